// execute: run a shell command in the workspace, non-interactively. Long commands outlive the call: on timeout
// (or when asked) they keep running in the process registry and process_output reads them later.
import { BackgroundCompare, takeGitSnapshot } from '../checkpoints/gitSnapshot';
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { commandEnv } from './commandEnv';
import { materializeSecretFiles } from '../secrets/commandSecrets';
import { parseDurationSeconds } from './duration';
import { resolveInWorkspace } from './pathGuard';
import type { TrackedProcess } from './processRegistry';
import { requireTrusted } from './trust';
import type { Tool } from './types';

/** Output returned to the model per call; longer output keeps its start and its end. */
export const OUTPUT_CAP_BYTES = 32 * 1024;
export const DEFAULT_TIMEOUT_S = 10;
export const MAX_TIMEOUT_S = 4 * 3600;
/** After killing an interrupted command, how long to wait for its last output. */
const KILL_GRACE_MS = 1000;

export const READ_FILE_NOTE = 'Consider using read_file instead of dumping file contents with shell commands.';

/** A trailing single `&` (not `&&`) asks for background mode; returns the command without it. */
export function splitTrailingAmpersand(command: string): { command: string; background: boolean } {
  const m = /(^|[^&>|])&\s*$/.exec(command);
  if (!m) return { command, background: false };
  return { command: command.slice(0, m.index + m[1].length).trimEnd(), background: true };
}

const DUMP_PROGRAMS = new Set(['cat', 'head', 'tail', 'nl', 'less', 'more', 'bat', 'grep', 'egrep', 'fgrep']);

/** A single command that prints files (cat, head, grep…) without piping them anywhere. */
export function isFileDump(command: string): boolean {
  if (/[|;&<>`$(]/.test(command)) return false;
  const program = command.trim().split(/\s+/)[0] ?? '';
  return DUMP_PROGRAMS.has(program) && command.trim().split(/\s+/).length > 1;
}

function exitError(proc: TrackedProcess, code: number): string {
  if (proc.spawnError) return `The command could not be started: ${proc.spawnError}`;
  if (proc.exitSignal) return `The command was killed by ${proc.exitSignal}.`;
  return `The command exited with code ${code}.`;
}

const schema = z.object({
  command: z.string().min(1, 'must not be empty').describe('The shell command, run with sh -c. End it with " &" to run it in the background.'),
  timeout: z.union([z.number(), z.string()]).optional()
    .describe(`How long to wait: seconds, or a string like "30s", "5m". Default ${DEFAULT_TIMEOUT_S}s, at most 4h. On timeout the command keeps running in the background.`),
  workdir: z.string().optional().describe('Folder to run in: relative to the workspace folder, or absolute inside the workspace. Default: the workspace folder.'),
  run_in_background: z.boolean().optional().describe('Start the command and return at once with a background_process_id (for servers, watchers, long builds).'),
  model_intent: z.string().optional().describe('A short phrase saying what this command is for, shown to the user.'),
});

export const executeTool: Tool<typeof schema> = {
  name: 'execute',
  description: [
    'Run a shell command (sh -c) in the workspace folder and return its exit code and output (stdout and stderr',
    'interleaved). The command cannot read input (stdin is closed) and editors, pagers and colours are disabled,',
    'so pass non-interactive flags. Output longer than 32 KB keeps its start and end.',
    `Waits up to timeout (default ${DEFAULT_TIMEOUT_S}s); a command still running then keeps running in the background and`,
    'its background_process_id is returned. Use run_in_background for servers and watchers, and process_output to',
    'wait for or read a background process. Use read_file rather than cat to look at files.',
  ].join(' '),
  schema,
  async run(args, ctx) {
    requireTrusted(ctx, 'execute');
    const timeoutS = Math.min(parseDurationSeconds(args.timeout, DEFAULT_TIMEOUT_S, 'timeout') || DEFAULT_TIMEOUT_S, MAX_TIMEOUT_S);
    const cwd = args.workdir ? await resolveInWorkspace(ctx, args.workdir, 'workdir') : ctx.workspaceFolder;
    if (args.workdir && !(await stat(cwd).catch(() => null))?.isDirectory()) throw new Error(`workdir: "${args.workdir}" is not a folder.`);
    if (ctx.signal.aborted) throw new Error('The command was not started: the turn was interrupted.');

    const split = splitTrailingAmpersand(args.command);
    const background = split.background || args.run_in_background === true;
    const started = Date.now();
    const snapshot = ctx.checkpoints ? await takeGitSnapshot(cwd) : undefined;
    const secrets = ctx.secrets ? materializeSecretFiles(ctx.secrets) : undefined;
    const proc = ctx.processes.start({ chatId: ctx.chatId, command: split.command, cwd, env: { ...commandEnv(ctx.envPolicy), ...secrets?.env } });
    if (secrets) void proc.done.then(secrets.cleanup);
    // A command's changes are compared once, when it exits: before the result for a foreground command,
    // later for one that runs on in the background.
    const recorder = ctx.checkpoints;
    const watch = snapshot && recorder ? new BackgroundCompare(ctx.chatId, snapshot, recorder) : undefined;
    const compared = watch ? proc.done.then(() => watch.compare(true)) : undefined;
    if (background) {
      return {
        success: true, output: '', wall_duration_ms: Date.now() - started, background_process_id: proc.id,
        note: `Started in the background as ${proc.id}. Call process_output with process_id "${proc.id}" to read its output or wait for it.`,
      };
    }

    const stopLive = ctx.onOutput ? proc.onOutput(ctx.onOutput) : () => undefined;
    const outcome = await ctx.processes.waitFor(proc, timeoutS * 1000, ctx.signal);
    stopLive();
    if (outcome === 'aborted') {
      ctx.processes.signal(proc, 'SIGKILL');
      await ctx.processes.waitFor(proc, KILL_GRACE_MS);
    }
    const { output, truncated } = proc.output(OUTPUT_CAP_BYTES);
    const base = { output, wall_duration_ms: Date.now() - started, ...(truncated ? { truncated: true } : {}) };
    if (outcome === 'aborted') {
      ctx.processes.forget(proc);
      return { success: false, ...base, error: 'The command was interrupted and its processes were killed.' };
    }
    if (outcome === 'timeout') {
      return {
        success: false, ...base, background_process_id: proc.id,
        error: `The command did not finish within ${timeoutS}s.`,
        note: `It keeps running in the background as ${proc.id}. Call process_output with process_id "${proc.id}" to wait for it and read the rest of its output.`,
      };
    }
    const code = proc.shellExitCode ?? 1;
    ctx.processes.forget(proc);
    await compared;
    return {
      success: code === 0, ...base, exit_code: code,
      ...(code !== 0 ? { error: exitError(proc, code) } : {}),
      ...(code === 0 && isFileDump(split.command) ? { note: READ_FILE_NOTE } : {}),
    };
  },
};
