// process_output: wait for a background process started by execute and read its output.
import { z } from 'zod';
import { parseDurationSeconds } from './duration';
import { MAX_TIMEOUT_S, OUTPUT_CAP_BYTES } from './execute';
import type { Tool } from './types';

export const DEFAULT_WAIT_S = 10;

const schema = z.object({
  process_id: z.string().describe('The background_process_id returned by execute, like "proc_1".'),
  wait_timeout: z.union([z.number(), z.string()]).optional()
    .describe(`How long to wait for the process to finish: seconds, or a string like "30s". Default ${DEFAULT_WAIT_S}s; "0s" returns a snapshot at once.`),
});

export const processOutputTool: Tool<typeof schema> = {
  name: 'process_output',
  description: [
    'Read the output of a background process started by execute (run_in_background, a trailing "&", or a',
    'command that outlived its timeout). Waits until the process exits or wait_timeout passes, then returns its',
    'output so far (32 KB at most: the start and the end), whether it is still running, and its exit_code once done.',
  ].join(' '),
  schema,
  async run(args, ctx) {
    const proc = ctx.processes.get(args.process_id);
    if (!proc || proc.chatId !== ctx.chatId) {
      const known = ctx.processes.listForChat(ctx.chatId).map((p) => p.id);
      throw new Error(`process_id: no background process "${args.process_id}" in this chat${known.length ? ` (known: ${known.join(', ')})` : ''}.`);
    }
    const waitS = Math.min(parseDurationSeconds(args.wait_timeout, DEFAULT_WAIT_S, 'wait_timeout'), MAX_TIMEOUT_S);
    if (waitS > 0) await ctx.processes.waitFor(proc, waitS * 1000, ctx.signal);
    const { output, truncated } = proc.output(OUTPUT_CAP_BYTES);
    const code = proc.shellExitCode;
    return {
      output,
      running: proc.running,
      ...(!proc.running && code !== null ? { exit_code: code } : {}),
      ...(truncated ? { truncated: true } : {}),
    };
  },
};
