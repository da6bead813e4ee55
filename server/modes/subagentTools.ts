// The tools a chat uses to delegate: explore agents (read-only, report back) and general subagents.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { AgentHost, Tool } from '../tools/types';
import { realInside } from './contextFiles';

const host = (ctx: Parameters<Tool['run']>[1]) => {
  if (!ctx.agent) throw new Error('This tool needs a chat.');
  return ctx.agent;
};

/** How long a spawn-and-wait tool waits for its child's report. */
const CHILD_REPORT_TIMEOUT_MS = 30 * 60_000;

/** Starts a child and waits for its final report: what the explore and computer-use spawn tools return. */
async function spawnAndReport(ctx: Parameters<Tool['run']>[1], opts: Omit<Parameters<AgentHost['spawnChild']>[0], 'toolCallId'>) {
  const child = host(ctx).spawnChild({ ...opts, toolCallId: ctx.toolCallId });
  const result = await host(ctx).waitChild(child.chat_id, CHILD_REPORT_TIMEOUT_MS, ctx.signal);
  return { chat_id: result.chat_id, title: result.title, status: result.status, timed_out: result.timed_out, report: result.report, ...(result.last_error ? { last_error: result.last_error } : {}) };
}

export const spawnExploreAgentTool: Tool = {
  name: 'spawn_explore_agent',
  description: 'Start a read-only explore agent that investigates the workspace (reading files, running read-only commands) and reports back. Give it a self-contained `prompt`. Several can run in parallel; each call returns the agent\'s final report.',
  schema: z.object({ prompt: z.string().min(1), title: z.string().max(80).optional() }),
  async run(args: { prompt: string; title?: string }, ctx) {
    return spawnAndReport(ctx, { type: 'explore', prompt: args.prompt, title: args.title });
  },
};

export const COMPUTER_USE_MODEL_SETTING = 'localAgents.computerUse.model';

export const spawnComputerUseAgentTool: Tool = {
  name: 'spawn_computer_use_agent',
  description: 'Start a computer-use agent that checks what you built in a real browser (it clicks, types and looks at screenshots of e.g. your dev server on localhost) and reports back. Give it a self-contained `prompt` saying what to check and what counts as working, and `start_url` (the page to open first). Returns the agent\'s final report.',
  schema: z.object({ prompt: z.string().min(1), title: z.string().max(80).optional(), start_url: z.url({ protocol: /^https?$/, error: 'start_url must be an http(s) URL' }).optional() }),
  async run(args: { prompt: string; title?: string; start_url?: string }, ctx) {
    // A model that cannot see screenshots is refused before anything starts.
    const model = host(ctx).computerUseModel();
    if (model.problem) throw new Error(model.problem);
    const prompt = args.start_url ? `${args.prompt}\n\nStart by navigating to ${args.start_url}.` : args.prompt;
    return spawnAndReport(ctx, { type: 'computer_use', prompt, title: args.title, modelConfigId: model.id });
  },
};

export const spawnAgentTool: Tool = {
  name: 'spawn_agent',
  description: 'Start a subagent chat with its own context to work on a self-contained task (`type` general: may edit files and run commands; explore: read-only). Returns at once with its chat_id; use wait_agent to get its result.',
  schema: z.object({
    type: z.enum(['general', 'explore']).default('general'),
    prompt: z.string().min(1),
    title: z.string().max(80).optional(),
    model_config_id: z.string().optional(),
  }),
  async run(args: { type: 'general' | 'explore'; prompt: string; title?: string; model_config_id?: string }, ctx) {
    return host(ctx).spawnChild({ type: args.type, prompt: args.prompt, title: args.title, modelConfigId: args.model_config_id, toolCallId: ctx.toolCallId });
  },
};

export const waitAgentTool: Tool = {
  name: 'wait_agent',
  description: 'Wait until a subagent finishes its turn (default up to 300 s) and return its final report, or timed_out: true.',
  schema: z.object({ chat_id: z.string().min(1), timeout_seconds: z.number().int().min(1).max(3600).optional() }),
  async run(args: { chat_id: string; timeout_seconds?: number }, ctx) {
    return host(ctx).waitChild(args.chat_id, (args.timeout_seconds ?? 300) * 1000, ctx.signal);
  },
};

export const messageAgentTool: Tool = {
  name: 'message_agent',
  description: 'Send a follow-up message to one of your subagents; with interrupt: true its current turn stops first.',
  schema: z.object({ chat_id: z.string().min(1), message: z.string().min(1), interrupt: z.boolean().optional() }),
  async run(args: { chat_id: string; message: string; interrupt?: boolean }, ctx) {
    return host(ctx).messageChild(args.chat_id, args.message, args.interrupt ?? false);
  },
};

export const listAgentsTool: Tool = {
  name: 'list_agents',
  description: 'List your subagents with their status.',
  schema: z.object({ limit: z.number().int().min(1).max(50).optional(), offset: z.number().int().min(0).optional() }),
  async run(args: { limit?: number; offset?: number }, ctx) {
    return { agents: host(ctx).listChildren(args.limit ?? 10, args.offset ?? 0) };
  },
};

const SKILL_FILE_MAX = 512 * 1024;

export const readSkillTool: Tool = {
  name: 'read_skill',
  description: 'Read a skill\'s instructions (SKILL.md) by name, with the list of its files.',
  schema: z.object({ name: z.string().min(1) }),
  async run(args: { name: string }, ctx) {
    return host(ctx).readSkill(args.name);
  },
};

export const readSkillFileTool: Tool = {
  name: 'read_skill_file',
  description: 'Read one file of a skill by its relative path (as listed by read_skill).',
  schema: z.object({ name: z.string().min(1), path: z.string().min(1) }),
  async run(args: { name: string; path: string }, ctx) {
    const skill = host(ctx).readSkill(args.name);
    const segments = args.path.split(/[\\/]/);
    if (path.isAbsolute(args.path) || segments.some((s) => s === '..' || s.startsWith('.'))) throw new Error(`path: "${args.path}" must be relative, without ".." or hidden segments.`);
    // The real path must stay inside the skill's folder: a symlink out of it is refused, not followed.
    const abs = realInside(path.join(skill.dir, args.path), [skill.dir], 'skill file');
    if (!abs) throw new Error(`path: "${args.path}" leads outside the skill's folder.`);
    const size = statSync(abs).size;
    if (size > SKILL_FILE_MAX) throw new Error(`path: the file is ${size} bytes; the limit is 512 KiB.`);
    return { content: readFileSync(abs, 'utf8') };
  },
};

export const AGENT_TOOLS: Tool[] = [spawnExploreAgentTool, spawnComputerUseAgentTool, spawnAgentTool, waitAgentTool, messageAgentTool, listAgentsTool, readSkillTool, readSkillFileTool];
