// Picks up pending chats of this workspace, runs their turns, keeps a heartbeat on them, and takes back
// turns whose worker died (kill -9, crash) so nothing is lost. Acquisition is one IMMEDIATE transaction, so
// two server processes on one database never run the same turn.
import { compareAtTurnEnd } from '../checkpoints/gitSnapshot';
import os from 'node:os';
import type { AppContext } from '../context';
import { emitStatus } from '../chats/lifecycle';
import { promoteHead } from '../chats/queue';
import { acquirePending, moveChat } from '../chats/status';
import { log } from '../logger';
import { heartbeatRun, idleChatsWithQueue, releaseReservations, reservedWorkers, runningChats, runState } from '../store/chats';
import type { ChatRow } from '../store/rows';
import type { ProcessRegistry } from '../tools/processRegistry';
import { finishTurn } from './finishTurn';
import type { AbortReason, LocalRun } from './ownership';
import { maybeGenerateTitle } from './titleGeneration';
import { expireDynamicCalls } from './dynamicTools';
import { TurnRunner } from './turnRunner';

export interface WorkerOptions {
  pollMs?: number;
  heartbeatMs?: number;
  staleAfterMs?: number;
  maxConcurrent?: number;
  /** A chat whose turn was taken back from dead workers this often ends in `error` instead of looping. */
  maxRecoveries?: number;
  /** Run only chats reserved for this worker (the CLI's own chat and its subagents). */
  onlyReserved?: boolean;
}

export function newWorkerId(uuid: string): string {
  return `${os.hostname()}:${process.pid}:${uuid}`;
}

export function workerPidAlive(workerId: string): boolean {
  const [host, pid] = workerId.split(':');
  if (host !== os.hostname()) return true; // another machine: only the heartbeat can tell
  const n = Number(pid);
  if (!Number.isInteger(n) || n <= 0) return false;
  if (n === process.pid) return true;
  try {
    process.kill(n, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class Worker {
  private readonly runs = new Map<string, LocalRun>();
  private readonly runner: TurnRunner;
  private readonly opts: Required<WorkerOptions>;
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private acquiring = false;
  private wakeRequested = false;
  private lastDataVersion = -1;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly ctx: AppContext, processes: ProcessRegistry, opts: WorkerOptions = {}) {
    this.runner = new TurnRunner(ctx, processes);
    this.opts = {
      pollMs: opts.pollMs ?? 1000,
      heartbeatMs: opts.heartbeatMs ?? 30_000,
      staleAfterMs: opts.staleAfterMs ?? 5 * 60_000,
      maxConcurrent: opts.maxConcurrent ?? 15,
      maxRecoveries: opts.maxRecoveries ?? 3,
      onlyReserved: opts.onlyReserved ?? false,
    };
  }

  start(): void {
    this.recoverStale();
    this.timers.push(setInterval(() => this.onPoll(), this.opts.pollMs));
    this.timers.push(setInterval(() => this.heartbeat(), this.opts.heartbeatMs));
    this.timers.push(setInterval(() => this.recoverStale(), Math.max(1000, this.opts.staleAfterMs / 5)));
    for (const t of this.timers) t.unref();
    this.wake();
  }

  /** Stops taking work, aborts local runs and hands them back as `pending` for the next server. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    for (const run of this.runs.values()) this.abort(run, 'shutdown');
    await Promise.allSettled([...this.running]);
  }

  wake(): void {
    if (this.stopped) return;
    if (this.acquiring) {
      this.wakeRequested = true;
      return;
    }
    setImmediate(() => this.acquire());
  }

  abortLocal(chatId: string, reason: AbortReason): void {
    const run = this.runs.get(chatId);
    if (run) this.abort(run, reason);
  }

  get activeRuns(): number {
    return this.runs.size;
  }

  private abort(run: LocalRun, reason: AbortReason): void {
    if (run.controller.signal.aborted) return;
    run.reason = reason;
    run.controller.abort(new Error(reason));
  }

  private onPoll(): void {
    // Another process (a second window, the CLI) wrote to the file: re-check what we run and what waits.
    const version = this.ctx.db.pragma('data_version', { simple: true }) as number;
    if (version !== this.lastDataVersion) {
      this.lastDataVersion = version;
      this.checkOwnership();
    }
    try {
      expireDynamicCalls(this.ctx);
    } catch (err) {
      log.warn('answering timed-out client tool calls failed', { error: (err as Error).message });
    }
    this.acquire();
  }

  private acquire(): void {
    if (this.stopped || this.acquiring) return;
    const ws = this.ctx.workspace.workspace;
    const free = this.opts.maxConcurrent - this.runs.size;
    if (!ws || free <= 0) return;
    this.acquiring = true;
    try {
      const now = this.ctx.now();
      const rows = this.ctx.db.transaction(() => acquirePending(this.ctx.db, this.ctx.workerId, ws, Math.min(free, 10), now, this.opts.onlyReserved)).immediate();
      for (const row of rows) this.startRun(row);
    } catch (err) {
      log.warn('acquire failed', { error: (err as Error).message });
    } finally {
      this.acquiring = false;
    }
    if (this.wakeRequested) {
      this.wakeRequested = false;
      this.wake();
    }
  }

  private startRun(row: ChatRow): void {
    const run: LocalRun = { chatId: row.id, runId: row.run_id as string, workerId: this.ctx.workerId, controller: new AbortController() };
    // A superseded run of the same chat may still be exiting (its command being killed); it can no longer write.
    this.runs.set(row.id, run);
    emitStatus(this.ctx, row.id);
    const p = (async () => {
      const outcome = await this.runner.run(row, run);
      // Background commands still running: their file changes so far belong to this turn.
      await compareAtTurnEnd(row.id);
      if (this.runs.get(row.id) === run) this.runs.delete(row.id);
      try {
        finishTurn(this.ctx, run, outcome);
      } catch (err) {
        log.error('finishing a turn failed', { chat_id: row.id, error: (err as Error).message });
      }
      if (outcome.kind === 'completed') await maybeGenerateTitle(this.ctx, row.id);
      // The branch the turn ended on and what it changed (after the title: git's processes must not delay it); a
      // shutdown's turn is not over.
      if (!(outcome.kind === 'aborted' && outcome.reason === 'shutdown')) this.ctx.diffStatus?.afterTurn(row.id);
      this.wake();
    })();
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }

  private heartbeat(): void {
    if (this.runs.size === 0) return;
    const now = this.ctx.now();
    for (const run of this.runs.values()) {
      if (!heartbeatRun(this.ctx.db, run.chatId, run.workerId, run.runId, now)) this.checkRun(run);
    }
  }

  private checkOwnership(): void {
    for (const run of this.runs.values()) this.checkRun(run);
  }

  /** Aborts a local run whose chat was interrupted, edited or taken over by another process. */
  private checkRun(run: LocalRun): void {
    const row = runState(this.ctx.db, run.chatId);
    if (!row || row.worker_id !== run.workerId || row.run_id !== run.runId) this.abort(run, row?.status === 'pending' ? 'superseded' : 'ownership_lost');
    else if (row.status === 'waiting') this.abort(run, 'interrupted');
    else if (row.status === 'pending') this.abort(run, 'superseded');
  }

  /**
   * Running chats whose worker is dead or silent go back to `pending` (or to `error` after too many tries),
   * reservations of dead workers are lifted, and idle chats with a queue go back to work. A chat waiting in
   * requires_action is never touched: it waits for a person (or a client) however long that takes.
   */
  recoverStale(): void {
    const ws = this.ctx.workspace.workspace;
    if (!ws) return;
    const now = this.ctx.now();
    const staleBefore = now - this.opts.staleAfterMs;
    const recovered: string[] = [];
    const failed: string[] = [];
    this.ctx.db.transaction(() => {
      for (const row of runningChats(this.ctx.db, ws)) {
        if (row.worker_id === this.ctx.workerId && this.runs.get(row.id)?.runId === row.run_id) continue;
        const dead = !row.worker_id || !workerPidAlive(row.worker_id) || row.worker_id === this.ctx.workerId;
        if (!dead && (row.heartbeat_at ?? 0) >= staleBefore) continue;
        if (row.recovery_count + 1 > this.opts.maxRecoveries) {
          const error = { message: `The turn was abandoned after its server stopped ${row.recovery_count + 1} times.`, kind: 'generic' };
          moveChat(this.ctx.db, row.id, 'error', { worker_id: null, run_id: null, last_error: JSON.stringify(error), updated_at: now });
          failed.push(row.id);
        } else {
          moveChat(this.ctx.db, row.id, 'pending', { worker_id: null, run_id: null, heartbeat_at: null, recovery_count: row.recovery_count + 1 });
          recovered.push(row.id);
        }
      }
      for (const worker of reservedWorkers(this.ctx.db, ws)) if (worker !== this.ctx.workerId && !workerPidAlive(worker)) releaseReservations(this.ctx.db, worker);
      for (const id of idleChatsWithQueue(this.ctx.db, ws, staleBefore)) {
        try {
          if (promoteHead(this.ctx, id, now)) recovered.push(id);
        } catch (err) {
          log.warn('could not promote a stale queue', { chat_id: id, error: (err as Error).message });
        }
      }
    }).immediate();
    for (const id of [...recovered, ...failed]) emitStatus(this.ctx, id);
    if (recovered.length > 0) {
      log.info('recovered turns from stopped workers', { chat_ids: recovered });
      this.wake();
    }
  }
}
