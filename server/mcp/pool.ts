// Live MCP sessions shared across turns and chats, keyed by config, its version and its secrets' version
// (a changed config or credential gets a fresh session). Connecting and listing tools share one budget;
// a server that keeps failing is retried with exponential backoff; idle sessions are closed.
import { log } from '../logger';
import type { McpServerDef } from './configStore';
import { McpConnection, type ConnectionDeps } from './connection';

export const CONNECT_BUDGET_MS = 10_000;
export const IDLE_CLOSE_MS = 10 * 60_000;
const SLOW_CONNECT_MS = 5_000;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 60_000;

export type ConnectOutcome = 'connected' | 'timeout' | 'error' | 'no_tools';

export class McpConnectTimeoutError extends Error {
  constructor(name: string, ms: number) {
    super(`MCP server "${name}" did not connect and list its tools within ${ms >= 1000 ? Math.round(ms / 1000) : (ms / 1000).toFixed(1)} s.`);
    this.name = 'McpConnectTimeoutError';
  }
}

interface Entry { key: string; conn: McpConnection; lastUsed: number }
interface Failure { key: string; count: number; nextAttemptAt: number; message: string }

export interface PoolOptions { connectBudgetMs?: number; idleMs?: number; now?: () => number }

export class McpConnectionPool {
  private readonly live = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<McpConnection>>();
  private readonly failures = new Map<string, Failure>();
  /** Opens still settling after their budget ran out: a stdio child may take seconds to stop. */
  private readonly settling = new Set<Promise<unknown>>();
  private readonly sweeper: NodeJS.Timeout;
  readonly connectBudgetMs: number;
  private readonly idleMs: number;
  private readonly now: () => number;

  constructor(private readonly deps: () => ConnectionDeps, opts: PoolOptions = {}) {
    this.connectBudgetMs = opts.connectBudgetMs ?? CONNECT_BUDGET_MS;
    this.idleMs = opts.idleMs ?? IDLE_CLOSE_MS;
    this.now = opts.now ?? Date.now;
    this.sweeper = setInterval(() => void this.closeIdle(), Math.min(60_000, this.idleMs)).unref();
  }

  private keyOf(def: McpServerDef, authIdentity: string): string {
    return `${def.id}@${def.updated_at}#${authIdentity}`;
  }

  /** The pooled session for the config, connecting (within the budget) when there is none. */
  async acquire(def: McpServerDef, authIdentity: string, opts: { signal?: AbortSignal; ignoreBackoff?: boolean } = {}): Promise<McpConnection> {
    const key = this.keyOf(def, authIdentity);
    const entry = this.live.get(def.id);
    if (entry && entry.key === key && !entry.conn.closed) {
      entry.lastUsed = this.now();
      return entry.conn;
    }
    if (entry) void this.drop(def.id);
    const inflight = this.pending.get(key);
    if (inflight) return inflight;
    const failure = this.failures.get(def.id);
    if (failure && failure.key === key && !opts.ignoreBackoff && this.now() < failure.nextAttemptAt) {
      throw new Error(`${failure.message} (next attempt in ${Math.ceil((failure.nextAttemptAt - this.now()) / 1000)} s)`);
    }
    const attempt = this.connect(def, key, opts.signal);
    this.pending.set(key, attempt);
    try {
      return await attempt;
    } finally {
      this.pending.delete(key);
    }
  }

  private async connect(def: McpServerDef, key: string, signal?: AbortSignal): Promise<McpConnection> {
    const started = this.now();
    const budget = new AbortController();
    const timer = setTimeout(() => budget.abort(new McpConnectTimeoutError(def.display_name, this.connectBudgetMs)), this.connectBudgetMs);
    const onOuterAbort = () => budget.abort(signal?.reason);
    signal?.addEventListener('abort', onOuterAbort, { once: true });
    try {
      const opening = McpConnection.open(def, this.deps(), budget.signal);
      // A session that opens after the budget ran out is closed, not leaked.
      const settled = opening.then((late) => { if (budget.signal.aborted) return late.close(); }, () => undefined);
      this.settling.add(settled);
      void settled.finally(() => this.settling.delete(settled));
      const conn = await Promise.race([
        opening,
        new Promise<never>((_, reject) => budget.signal.addEventListener('abort', () => reject(budget.signal.reason), { once: true })),
      ]);
      const took = this.now() - started;
      if (took >= SLOW_CONNECT_MS) log.warn('slow MCP connect', { server: def.slug, ms: took });
      this.failures.delete(def.id);
      this.live.set(def.id, { key, conn, lastUsed: this.now() });
      conn.onClose(() => {
        if (this.live.get(def.id)?.conn === conn) this.live.delete(def.id);
      });
      return conn;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const prev = this.failures.get(def.id);
      const count = prev && prev.key === key ? prev.count + 1 : 1;
      this.failures.set(def.id, { key, count, message, nextAttemptAt: this.now() + Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (count - 1)) });
      log.warn('MCP connect failed', { server: def.slug, error: message });
      throw err;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onOuterAbort);
    }
  }

  /** Closes the config's session (config edited, secret changed, disconnected) and forgets its failures. */
  async drop(configId: string): Promise<void> {
    const entry = this.live.get(configId);
    this.live.delete(configId);
    this.failures.delete(configId);
    await entry?.conn.close();
  }

  async closeIdle(): Promise<number> {
    const cutoff = this.now() - this.idleMs;
    const idle = [...this.live.entries()].filter(([, e]) => e.lastUsed < cutoff);
    for (const [id] of idle) this.live.delete(id);
    await Promise.all(idle.map(([, e]) => e.conn.close()));
    return idle.length;
  }

  get size(): number {
    return this.live.size;
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    const all = [...this.live.values()];
    this.live.clear();
    await Promise.allSettled([...this.pending.values(), ...this.settling]);
    await Promise.all([...all, ...this.live.values()].map((e) => e.conn.close()));
    this.live.clear();
  }
}
