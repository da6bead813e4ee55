// Processes started by `execute`: kept after the call returns so `process_output` can wait for them and read
// their output, and killed with the server. Each runs in its own process group so a kill reaches its children.
import { spawn, type ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { constants } from 'node:os';

/** The newest output kept per process; older output is dropped (the first HEAD_BYTES are kept apart). */
export const TAIL_CAP_BYTES = 1024 * 1024;
/** The start of the output is kept separately, so a capped view can show head and tail. */
export const HEAD_BYTES = 16 * 1024;
/** After the shell exits, how long to wait for its pipes to close (a leftover child may hold them open). */
const PIPE_DRAIN_MS = 200;
/** Finished processes kept for process_output; older ones are forgotten so their buffers are freed. */
export const MAX_FINISHED_KEPT = 100;

export interface StartOptions {
  chatId: string;
  command: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface ProcessInfo {
  id: string;
  chat_id: string;
  command: string;
  pid: number | undefined;
  started_at: string;
  running: boolean;
  exit_code?: number;
  signal?: string;
}

export class TrackedProcess {
  readonly startedAt = new Date();
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;
  /** Set when the process could not be started at all (bad cwd, no shell). */
  spawnError: string | null = null;
  /** The shell exited but something it started still held the output pipes: its group may still have members. */
  leftChildren = false;
  /** Every byte the process has written, including dropped ones. */
  totalBytes = 0;
  /** Resolves once the process has exited and its output has been read. */
  readonly done: Promise<void>;

  private head = Buffer.alloc(0);
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private readonly listeners = new Set<(chunk: string) => void>();
  private finished = false;
  private markDone: () => void = () => undefined;

  constructor(
    readonly id: string,
    readonly chatId: string,
    readonly command: string,
    readonly child: ChildProcess,
  ) {
    this.done = new Promise<void>((resolve) => { this.markDone = resolve; });
  }

  get pid(): number | undefined { return this.child.pid; }
  get running(): boolean { return !this.finished; }

  /** Called by the registry for each decoded chunk of stdout or stderr. */
  append(text: string): void {
    if (text === '') return;
    const bytes = Buffer.from(text, 'utf8');
    this.totalBytes += bytes.length;
    if (this.head.length < HEAD_BYTES) this.head = Buffer.concat([this.head, bytes.subarray(0, HEAD_BYTES - this.head.length)]);
    this.tail.push(bytes);
    this.tailBytes += bytes.length;
    while (this.tailBytes - this.tail[0].length >= TAIL_CAP_BYTES) this.tailBytes -= this.tail.shift()!.length;
    if (this.tailBytes > TAIL_CAP_BYTES) {
      const excess = this.tailBytes - TAIL_CAP_BYTES;
      this.tail[0] = this.tail[0].subarray(excess);
      this.tailBytes -= excess;
    }
    for (const listener of this.listeners) listener(text);
  }

  /** Subscribes to live output; returns the unsubscribe function. */
  onOutput(listener: (chunk: string) => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  /**
   * The output, at most `capBytes` long: all of it when it fits, otherwise the start and the end with a marker
   * saying how much was left out between them.
   */
  output(capBytes = TAIL_CAP_BYTES): { output: string; truncated: boolean } {
    const tail = Buffer.concat(this.tail);
    if (this.totalBytes <= capBytes && this.totalBytes === tail.length) return { output: decodeTrimmed(tail), truncated: false };
    const headPart = this.head.subarray(0, Math.min(this.head.length, Math.floor(capBytes / 2)));
    const tailPart = tail.subarray(Math.max(0, tail.length - (capBytes - headPart.length)));
    const omitted = this.totalBytes - headPart.length - tailPart.length;
    if (omitted <= 0) return { output: decodeTrimmed(tail), truncated: false };
    return { output: `${decodeTrimmed(headPart)}\n\n... [${omitted} bytes of output omitted] ...\n\n${decodeTrimmed(tailPart)}`, truncated: true };
  }

  /** The exit code as a shell reports it: 128 + signal number when the process was killed. */
  get shellExitCode(): number | null {
    if (this.exitCode !== null) return this.exitCode;
    if (this.exitSignal) return 128 + (constants.signals[this.exitSignal] ?? 0);
    return this.spawnError ? 127 : null;
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.listeners.clear();
    this.markDone();
  }

  info(): ProcessInfo {
    const code = this.shellExitCode;
    return {
      id: this.id, chat_id: this.chatId, command: this.command, pid: this.pid, started_at: this.startedAt.toISOString(), running: this.running,
      ...(this.running || code === null ? {} : { exit_code: code }), ...(this.exitSignal ? { signal: this.exitSignal } : {}),
    };
  }
}

/** Byte cuts may split a UTF-8 character; drop the replacement characters that leaves at the edges. */
function decodeTrimmed(buf: Buffer): string {
  return buf.toString('utf8').replace(/^\uFFFD+|\uFFFD+$/g, '');
}

export class ProcessRegistry {
  private seq = 0;
  private readonly procs = new Map<string, TrackedProcess>();

  /** Starts `sh -c command` in its own process group, stdin closed, stdout and stderr interleaved. */
  start(opts: StartOptions): TrackedProcess {
    const child = spawn('sh', ['-c', opts.command], { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const proc = new TrackedProcess(`proc_${++this.seq}`, opts.chatId, opts.command, child);
    const outDecoder = new StringDecoder('utf8');
    const errDecoder = new StringDecoder('utf8');
    child.stdout?.on('data', (d: Buffer) => proc.append(outDecoder.write(d)));
    child.stderr?.on('data', (d: Buffer) => proc.append(errDecoder.write(d)));
    let drainTimer: NodeJS.Timeout | undefined;
    const finish = () => {
      if (drainTimer) clearTimeout(drainTimer);
      proc.append(outDecoder.end());
      proc.append(errDecoder.end());
      proc.finish();
    };
    child.on('error', (err) => {
      proc.spawnError = err.message;
      proc.append(`${err.message}\n`);
      finish();
    });
    child.on('exit', (code, signal) => {
      proc.exitCode = code;
      proc.exitSignal = signal;
      // Usually 'close' follows at once; a child left running in the background can hold the pipes open.
      drainTimer = setTimeout(() => {
        proc.leftChildren = true;
        finish();
      }, PIPE_DRAIN_MS);
      drainTimer.unref();
    });
    child.on('close', finish);
    this.procs.set(proc.id, proc);
    void proc.done.then(() => this.pruneFinished());
    return proc;
  }

  /** Drops a finished process nobody will ask about (a foreground command that completed). */
  forget(proc: TrackedProcess): void {
    if (!proc.running && !proc.leftChildren) this.procs.delete(proc.id);
  }

  private pruneFinished(): void {
    const finished = [...this.procs.values()].filter((p) => !p.running && !p.leftChildren);
    for (const p of finished.slice(0, Math.max(0, finished.length - MAX_FINISHED_KEPT))) this.procs.delete(p.id);
  }

  get(id: string): TrackedProcess | undefined {
    return this.procs.get(id);
  }

  listForChat(chatId: string): TrackedProcess[] {
    return [...this.procs.values()].filter((p) => p.chatId === chatId);
  }

  /** Signals the whole process group (the shell and everything it started). */
  signal(proc: TrackedProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
    const pid = proc.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is already gone.
    }
  }

  /** Waits until the process finishes, `ms` passes, or `signal` aborts, whichever comes first. */
  waitFor(proc: TrackedProcess, ms: number, signal?: AbortSignal): Promise<'exited' | 'timeout' | 'aborted'> {
    if (!proc.running) return Promise.resolve('exited');
    if (signal?.aborted) return Promise.resolve('aborted');
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle('timeout'), ms);
      const onAbort = () => settle('aborted');
      const settle = (r: 'exited' | 'timeout' | 'aborted') => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(r);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      void proc.done.then(() => settle('exited'));
    });
  }

  /**
   * At server shutdown: SIGKILL every process group that may still have members. Groups whose shell exited and
   * closed its pipes are skipped, so a reused pid never gets an unrelated group killed.
   */
  killAll(): void {
    for (const proc of this.procs.values()) {
      if (proc.running || proc.leftChildren) this.signal(proc, 'SIGKILL');
    }
  }
}
