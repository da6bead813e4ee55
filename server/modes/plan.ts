// Plan mode: the chat's own plan file, the tools that end a planning turn, and the write restriction.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Tool } from '../tools/types';

export const DEFAULT_PLAN_DIR = path.join('.agents', 'plans');
export const PLAN_MAX_BYTES = 32 * 1024;
/** Tools after which the turn ends and the user acts (approve, answer). */
export const STOP_AFTER_TOOLS = new Set(['propose_plan', 'ask_user_question']);

export function planFilePath(folder: string, chatId: string, planDir = DEFAULT_PLAN_DIR): string {
  return path.resolve(folder, planDir, `PLAN-${chatId}.md`);
}

function realOrResolved(p: string): string {
  try { return realpathSync(p); } catch { return path.resolve(p); }
}

/** Paths a write_file / edit_files call would touch, from its raw arguments. */
function writeTargets(toolName: string, args: unknown): string[] {
  const a = args as { path?: unknown; edits?: Array<{ path?: unknown }> };
  if (toolName === 'write_file') return typeof a?.path === 'string' ? [a.path] : [];
  if (toolName === 'edit_files') return (Array.isArray(a?.edits) ? a.edits : []).map((e) => (typeof e?.path === 'string' ? e.path : ''));
  return [];
}

/** In plan mode write_file / edit_files may only touch the plan file; returns the refusal, if any. */
export function planModeWriteRefusal(toolName: string, argsJson: string, folder: string, planPath: string): string | undefined {
  if (toolName !== 'write_file' && toolName !== 'edit_files') return undefined;
  let args: unknown;
  try { args = JSON.parse(argsJson); } catch { return undefined; } // the tool itself reports bad JSON
  const plan = realOrResolved(planPath);
  for (const target of writeTargets(toolName, args)) {
    if (realOrResolved(path.resolve(folder, target)) !== plan) {
      return `Plan mode: ${toolName} may only write the plan file ${planPath}, not "${target}". Put the plan there, then call propose_plan.`;
    }
  }
  return undefined;
}

export const proposePlanTool: Tool<z.ZodObject<{ path: z.ZodString }>> = {
  name: 'propose_plan',
  description: 'Present the finished plan to the user for approval. `path` must be this chat\'s plan file (a non-empty .md file of at most 32 KiB that you wrote with write_file). The turn ends; the user approves it or asks for changes.',
  schema: z.object({ path: z.string().min(1).describe('The plan file path') }),
  async run(args, ctx) {
    if (!ctx.agent) throw new Error('propose_plan needs a chat.');
    const abs = path.resolve(ctx.workspaceFolder, args.path);
    if (!abs.endsWith('.md')) throw new Error(`path: "${args.path}" must be a .md file.`);
    if (realOrResolved(abs) !== realOrResolved(ctx.agent.planFilePath)) throw new Error(`path: "${args.path}" is not this chat's plan file; write the plan to ${ctx.agent.planFilePath}.`);
    let size: number;
    try { size = statSync(abs).size; } catch { throw new Error(`path: the plan file ${abs} does not exist; write it first.`); }
    if (size === 0 || readFileSync(abs, 'utf8').trim() === '') throw new Error('path: the plan file is empty.');
    if (size > PLAN_MAX_BYTES) throw new Error(`path: the plan file is ${size} bytes; the limit is ${PLAN_MAX_BYTES} (32 KiB).`);
    const { file_id } = ctx.agent.linkPlanFile(abs);
    return { ok: true, path: abs, kind: 'plan', file_id, media_type: 'text/markdown' };
  },
};

const QuestionSchema = z.object({
  header: z.string().min(1).max(60).describe('A short label for the question'),
  question: z.string().min(1),
  options: z.array(z.object({ label: z.string().min(1), description: z.string() })).min(2, 'give 2 to 4 options').max(4, 'give 2 to 4 options'),
});

export const askUserQuestionTool: Tool<z.ZodObject<{ questions: z.ZodArray<typeof QuestionSchema> }>> = {
  name: 'ask_user_question',
  description: 'Ask the user one or more clarifying questions, each with 2–4 options (the user may also answer in their own words). The turn ends; the answer arrives as the next user message.',
  schema: z.object({ questions: z.array(QuestionSchema).min(1) }),
  async run(args) {
    return { questions: args.questions };
  },
};
