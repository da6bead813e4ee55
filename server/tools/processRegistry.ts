// Processes started by `execute`, kept so a later `process_output` can read them, and killed with the server.
import { spawn, type ChildProcess } from 'node:child_process';

const BUFFER_CAP = 1024 * 1024;

export interface TrackedProcess {
  id: string;
  chatId: string;
  command: string;
  pid: number | undefined;
  startedAt: number;
  output: string;
  /** Bytes dropped from the front of `output` to keep it under the cap. */
  dropped: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  done: Promise<void>;
  child: ChildProcess;
  listeners: Set<(chunk: string) => void>;
}

export class ProcessRegistry {
  private seq = 0;
  private readonly procs = new Map<string, TrackedProcess>();

  start(opts: { chatId: string; command: string; cwd: string; env: NodeJS.ProcessEnv }): TrackedProcess {
    // Own process group, so killing it reaches whatever the shell started.
    const child = spawn('sh', ['-c', opts.command], { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const id = `proc_${++this.seq}`;
    let resolveDone: () => void = () => undefined;
    const proc: TrackedProcess = {
      id, chatId: opts.chatId, command: opts.command, pid: child.pid, startedAt: Date.now(), output: '', dropped: 0,
      exitCode: null, signal: null, done: new Promise<void>((r) => { resolveDone = r; }), child, listeners: new Set(),
    };
    const onData = (d: Buffer) => {
      const s = d.toString('utf8');
      proc.output += s;
      if (proc.output.length > BUFFER_CAP) {
        const cut = proc.output.length - BUFFER_CAP;
        proc.output = proc.output.slice(cut);
        proc.dropped += cut;
      }
      for (const l of proc.listeners) l(s);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('error', (err) => { onData(Buffer.from(`${err.message}\n`)); proc.exitCode = 127; resolveDone(); });
    child.on('close', (code, signal) => { proc.exitCode = code; proc.signal = signal; resolveDone(); });
    this.procs.set(id, proc);
    return proc;
  }

  get(id: string): TrackedProcess | undefined {
    return this.procs.get(id);
  }

  listForChat(chatId: string): TrackedProcess[] {
    return [...this.procs.values()].filter((p) => p.chatId === chatId);
  }

  running(p: TrackedProcess): boolean {
    return p.exitCode === null && p.signal === null;
  }

  kill(p: TrackedProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
    if (!this.running(p) || !p.pid) return;
    try { process.kill(-p.pid, signal); } catch { /* already gone */ }
  }

  killAll(): void {
    for (const p of this.procs.values()) this.kill(p);
  }
}
