// A real `local-agents serve --http` process on a temp database, and small clients for its JSON routes
// and its Server-Sent Event streams.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CLI_JS } from './serverProcess';

export interface ApiResponse<T = unknown> { status: number; headers: http.IncomingHttpHeaders; body: T; text: string }

export interface ApiServer {
  child: ChildProcess;
  /** http://127.0.0.1:PORT/api/experimental */
  url: string;
  port: number;
  /** The bearer token `request` sends; a test may change it (after a rotation). */
  token: string;
  output: () => string;
  request<T = unknown>(verb: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  stop(): Promise<void>;
}

/** `env: {LOCAL_AGENTS_API_TOKEN: ''}`: the server uses the token file of the data dir, which `token` is read from. */
export interface StartOptions { db: string; workspace: string; env?: NodeJS.ProcessEnv; token?: string; args?: string[]; listen?: string }

export function rawRequest(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; agent?: http.Agent }): Promise<ApiResponse<unknown>> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: opts.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try { body = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
      });
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export async function startApiServer(o: StartOptions): Promise<ApiServer> {
  const token = o.token ?? 'test-api-token-0123456789';
  const child = spawn(process.execPath, [CLI_JS, 'serve', '--http', o.listen ?? '127.0.0.1:0', '--db', o.db, '--workspace', o.workspace, ...(o.args ?? [])], {
    env: { ...process.env, LOCAL_AGENTS_API_TOKEN: token, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 20_000);
    const check = () => {
      const m = /Local Agents API: (\S+)/.exec(out);
      if (m) { clearTimeout(t); resolve(m[1]); }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => { clearTimeout(t); reject(new Error(`serve exited ${code}:\n${out}`)); });
  });
  const port = Number(new URL(url).port);
  const server: ApiServer = {
    child, url, port,
    token: o.env?.LOCAL_AGENTS_API_TOKEN === '' ? readFileSync(tokenFile(o.db), 'utf8').trim() : token,
    output: () => out,
    async request<T>(verb: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
      const r = await rawRequest(`${url}${route}`, {
        method: verb,
        headers: { Authorization: `Bearer ${server.token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
        body: body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
      });
      return r as ApiResponse<T>;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
  return server;
}

/** The token file `serve` uses when LOCAL_AGENTS_API_TOKEN is not set: `<dir of --db>/api-token`. */
export const tokenFile = (db: string) => path.join(path.dirname(path.resolve(db)), 'api-token');

export interface CliResult { code: number | null; stdout: string; stderr: string }

/** One run of the CLI bundle (`node dist/cli.js ARGS`), to its exit. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 30_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_JS, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const t = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`cli ${args.join(' ')} did not exit in ${timeoutMs} ms:\n${stdout}\n${stderr}`)); }, timeoutMs);
    child.on('exit', (code) => { clearTimeout(t); resolve({ code, stdout, stderr }); });
  });
}

/** Polls GET /chats/{id} until the chat has one of the statuses. */
export async function waitChatStatus(api: ApiServer, id: string, status: string | string[], timeoutMs = 15_000): Promise<{ status: string } & Record<string, unknown>> {
  const want = Array.isArray(status) ? status : [status];
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await api.request<{ status: string } & Record<string, unknown>>('GET', `/chats/${id}`);
    if (r.status === 200 && want.includes(r.body.status)) return r.body;
    if (Date.now() > until) throw new Error(`chat ${id} is ${r.body.status} (HTTP ${r.status}), not ${want.join('|')}\n${api.output().slice(-3000)}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** The tables a rejected request must leave as they were. */
export const SNAPSHOT_TABLES = ['chats', 'chat_messages', 'chat_queued_messages', 'chat_labels', 'chat_files', 'chat_file_links', 'chat_pending_actions'] as const;

export interface DbSnapshot { counts: Record<string, number>; hash: string }

/** Row counts and a content hash of SNAPSHOT_TABLES, read through a read-only connection. */
export function dbSnapshot(db: string): DbSnapshot {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    const h = createHash('sha256');
    const counts: Record<string, number> = {};
    for (const table of SNAPSHOT_TABLES) {
      // Some tables have no rowid: the rows are sorted as text, so the hash does not depend on read order.
      const rows = (conn.prepare(`SELECT * FROM ${table}`).raw().all() as unknown[][])
        .map((row) => JSON.stringify(row.map((v) => (Buffer.isBuffer(v) ? `b64:${v.toString('base64')}` : typeof v === 'bigint' ? v.toString() : v))))
        .sort();
      counts[table] = rows.length;
      h.update(`${table}\n`);
      for (const row of rows) h.update(`${row}\n`);
    }
    return { counts, hash: h.digest('hex') };
  } finally {
    conn.close();
  }
}

/**
 * The database once the server is idle: no turn pending or running, and the snapshot unchanged over a few reads
 * (a finished turn's title request and its git refresh still write after the chat shows `waiting`).
 */
export async function settledSnapshot(db: string, { quietReads = 4, intervalMs = 50, timeoutMs = 30_000 } = {}): Promise<DbSnapshot> {
  const until = Date.now() + timeoutMs;
  const busy = () => dbQuery<{ n: number }>(db, "SELECT COUNT(*) AS n FROM chats WHERE status IN ('pending', 'running')")[0].n;
  let last = dbSnapshot(db);
  let quiet = 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, intervalMs));
    const now = dbSnapshot(db);
    quiet = busy() === 0 && now.hash === last.hash ? quiet + 1 : 0;
    if (quiet >= quietReads) return now;
    if (Date.now() > until) throw new Error('the server did not settle');
    last = now;
  }
}

/** Runs a read-only query on the database (state checks the API does not show). */
export function dbQuery<T = Record<string, unknown>>(db: string, sql: string, ...params: unknown[]): T[] {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return conn.prepare(sql).all(...params) as T[];
  } finally {
    conn.close();
  }
}

export interface SseMessage { id?: string; event: string; data: unknown }

/** An open SSE stream: every event so far, and a way to wait for one. */
export interface SseStream {
  events: SseMessage[];
  status: number;
  waitFor(pred: (e: SseMessage, all: SseMessage[]) => boolean, timeoutMs?: number, what?: string): Promise<SseMessage>;
  close(): void;
}

export function openSse(url: string, headers: Record<string, string>): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const events: SseMessage[] = [];
    const waiters = new Set<() => void>();
    const req = http.get(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const msg: SseMessage = { event: 'message', data: null };
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const [k, ...v] = line.split(':');
            const value = v.join(':').replace(/^ /, '');
            if (k === 'id') msg.id = value;
            else if (k === 'event') msg.event = value;
            else if (k === 'data') data += value;
          }
          if (!data && !msg.id) continue;
          msg.data = data ? JSON.parse(data) : null;
          events.push(msg);
          for (const w of [...waiters]) w();
        }
      });
      resolve({
        events,
        status: res.statusCode ?? 0,
        waitFor(pred, timeoutMs = 15_000, what = 'event') {
          const found = events.find((e) => pred(e, events));
          if (found) return Promise.resolve(found);
          return new Promise((res2, rej) => {
            const t = setTimeout(() => { waiters.delete(check); rej(new Error(`timed out waiting for ${what}; got ${events.map((e) => e.event).join(', ')}`)); }, timeoutMs);
            const check = () => {
              const e = events.find((x) => pred(x, events));
              if (e) { clearTimeout(t); waiters.delete(check); res2(e); }
            };
            waiters.add(check);
          });
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}
