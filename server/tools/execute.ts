import { z } from 'zod';
import { resolveInWorkspace } from './pathGuard';
import type { TrackedProcess } from './processRegistry';
import type { Tool, ToolContext } from './types';
import { requireTrusted } from './writeFile';

export const OUTPUT_CAP = 32 * 1024;
const MAX_TIMEOUT_S = 4 * 3600;

/** "30", 30, "30s", "5m", "1h" → seconds. */
export function parseDuration(v: string | number | undefined, fallbackS: number, field: string): number {
  if (v === undefined) return fallbackS;
  if (typeof v === 'number') return v;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(v.trim());
  if (!m) throw new Error(`${field}: "${v}" is not a duration (use seconds or 30s / 5m / 1h).`);
  const n = Number(m[1]);
  return m[2] === 'ms' ? n / 1000 : m[2] === 'm' ? n * 60 : m[2] === 'h' ? n * 3600 : n;
}

/** Keeps the head and the tail of long output. */
export function capOutput(s: string): { output: string; truncated: boolean } {
  if (Buffer.byteLength(s) <= OUTPUT_CAP) return { output: s, truncated: false };
  const half = OUTPUT_CAP / 2;
  return { output: `${s.slice(0, half)}\n… [output truncated] …\n${s.slice(-half)}`, truncated: true };
}

export function agentEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_EDITOR: 'true', GIT_SEQUENCE_EDITOR: 'true', EDITOR: 'true', VISUAL: 'true', GIT_TERMINAL_PROMPT: '0',
    NO_COLOR: '1', TERM: 'dumb', PAGER: 'cat', GIT_PAGER: 'cat', LOCAL_AGENTS_AGENT: 'true',
  };
}

const DUMP_RE = /^\s*(cat|head|tail|less|more)\s+[^|;&]+$|^\s*grep\s+-r/;

const schema = z.object({
  command: z.string().min(1).describe('Shell command, run with sh -c in the workspace folder'),
  timeout: z.union([z.number().positive(), z.string()]).optional().describe('Seconds or 30s/5m/1h (default 10 s, max 4 h); on timeout the process keeps running in the background'),
  workdir: z.string().optional().describe('Working folder inside the workspace'),
  run_in_background: z.boolean().optional().describe('Start and return at once with a process id for process_output'),
  model_intent: z.string().optional().describe('One line: why you run this'),
});

function waitFor(p: TrackedProcess, ms: number, signal: AbortSignal): Promise<'exited' | 'timeout' | 'aborted'> {
  return new Promise((resolve) => {
    const t = setTimeout(() => finish('timeout'), ms);
    const onAbort = () => finish('aborted');
    const finish = (r: 'exited' | 'timeout' | 'aborted') => { clearTimeout(t); signal.removeEventListener('abort', onAbort); resolve(r); };
    signal.addEventListener('abort', onAbort, { once: true });
    void p.done.then(() => finish('exited'));
  });
}

export const executeTool: Tool<typeof schema> = {
  name: 'execute',
  description: 'Run a shell command (sh -c) in the workspace, non-interactively (no stdin, pagers and editors disabled). Returns exit code and output (capped at 32 KB, head and tail kept). Long-running commands: set run_in_background or a timeout, then read more with process_output.',
  schema,
  async run(args, ctx: ToolContext) {
    requireTrusted(ctx, 'execute');
    const timeoutS = Math.min(parseDuration(args.timeout, 10, 'timeout'), MAX_TIMEOUT_S);
    const cwd = args.workdir ? resolveInWorkspace(ctx, args.workdir, 'workdir') : ctx.workspaceFolder;
    let command = args.command;
    let background = args.run_in_background ?? false;
    if (/[^&]&\s*$/.test(command)) {
      background = true;
      command = command.replace(/&\s*$/, '');
    }
    const started = Date.now();
    const proc = ctx.processes.start({ chatId: ctx.chatId, command, cwd, env: agentEnv() });
    if (background) return { success: true, output: '', exit_code: null, wall_duration_ms: 0, background_process_id: proc.id, note: 'Started in the background; read its output with process_output.' };
    const live = (s: string) => ctx.onOutput?.(s);
    proc.listeners.add(live);
    const outcome = await waitFor(proc, timeoutS * 1000, ctx.signal);
    proc.listeners.delete(live);
    const { output, truncated } = capOutput(proc.output);
    const wall = Date.now() - started;
    if (outcome === 'aborted') {
      ctx.processes.kill(proc);
      return { success: false, output, exit_code: null, wall_duration_ms: wall, error: 'Interrupted by the user; the process was killed.', truncated };
    }
    if (outcome === 'timeout') {
      return { success: false, output, exit_code: null, wall_duration_ms: wall, truncated, background_process_id: proc.id, error: `Still running after ${timeoutS} s.`, note: 'The process keeps running; use process_output to wait for it.' };
    }
    const code = proc.exitCode ?? (proc.signal ? 128 : 1);
    return {
      success: code === 0, output, exit_code: code, wall_duration_ms: wall, ...(truncated ? { truncated } : {}),
      ...(code !== 0 ? { error: `Exit code ${code}${proc.signal ? ` (${proc.signal})` : ''}` } : {}),
      ...(DUMP_RE.test(command) ? { note: 'Consider using read_file instead of dumping file contents with shell commands.' } : {}),
    };
  },
};

const outputSchema = z.object({
  process_id: z.string().min(1),
  wait_timeout: z.union([z.number().min(0), z.string()]).optional().describe('How long to wait for the process to finish (default 10 s; "0s" = snapshot now)'),
});

export const processOutputTool: Tool<typeof outputSchema> = {
  name: 'process_output',
  description: 'Read the output of a background process started by execute, waiting up to wait_timeout for it to finish.',
  schema: outputSchema,
  async run(args, ctx) {
    const proc = ctx.processes.get(args.process_id);
    if (!proc || proc.chatId !== ctx.chatId) throw new Error(`process_id: no process "${args.process_id}" in this chat.`);
    const waitS = parseDuration(args.wait_timeout, 10, 'wait_timeout');
    if (waitS > 0 && ctx.processes.running(proc)) await waitFor(proc, waitS * 1000, ctx.signal);
    const { output, truncated } = capOutput(proc.output);
    const running = ctx.processes.running(proc);
    return { output, running, ...(running ? {} : { exit_code: proc.exitCode }), ...(truncated || proc.dropped ? { truncated: true } : {}) };
  },
};
