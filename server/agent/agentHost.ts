// The chat-level capabilities behind plan-mode and subagent tools: child chats, waiting on them,
// the plan file link, skills.
import { commandEnv } from '../tools/commandEnv';
import { randomUUID } from 'node:crypto';
import { linkPathFile } from '../store/files';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../context';
import { chatPayload, requireChat, sendMessage } from '../chats/lifecycle';
import { fallbackTitle } from '../chats/titles';
import { AppError, badRequest, notFound } from '../errors';
import { log } from '../logger';
import { requireUsableModelConfig, resolveTurnModel, usableModelConfig } from '../models/modelConfigs';
import { discoverSkills, realInside } from '../modes/contextFiles';
import { inheritContext, rootsOf } from '../modes/contextInjection';
import { planFilePath } from '../modes/plan';
import type { MessagePart, ModelOptions } from '../protocol';
import { policyForChat } from '../permissions/approvals';
import { COMPUTER_USE_MODEL_SETTING } from '../modes/subagentTools';
import { insertMessage } from '../store/messages';
import { insertChatRow } from '../store/chats';
import { INITIAL_STATUS } from '../chats/status';
import type { ChatRow } from '../store/rows';
import type { AgentHost, ChildSummary, ChildWaitResult } from '../tools/types';

/** A child waiting for an approval is still at work: its parent keeps waiting for it. */
const ACTIVE = new Set(['pending', 'running', 'requires_action']);

function summary(row: ChatRow): ChildSummary {
  return { chat_id: row.id, title: row.title, status: row.status, type: row.mode === 'explore' || row.mode === 'computer_use' ? row.mode : 'general' };
}

function lastAssistantText(ctx: AppContext, chatId: string): string {
  const row = ctx.db.prepare(`SELECT content FROM chat_messages WHERE chat_id = ? AND role = 'assistant' AND deleted = 0 ORDER BY id DESC LIMIT 1`).get(chatId) as { content: string } | undefined;
  if (!row) return '';
  return (JSON.parse(row.content) as MessagePart[]).filter((p) => p.type === 'text').map((p) => (p as { text: string }).text).join('\n');
}

/**
 * Explore model: the configured override when it names a usable model (by config id or model name), else the
 * parent's current model, else the default. A broken override is "treated as unset", never fatal.
 */
export function resolveExploreModel(ctx: AppContext, turnModelId: string | null): { id: string; overrideProblem?: string } {
  return resolveModelOverride(ctx, ctx.settings.exploreModel, 'explore', turnModelId);
}

/** The computer-use model: `localAgents.computerUse.model` when it names a usable model, else as for explore agents. */
export function resolveComputerUseModel(ctx: AppContext, turnModelId: string | null): { id: string; overrideProblem?: string } {
  return resolveModelOverride(ctx, ctx.settings.computerUseModel, 'computer use', turnModelId);
}

function resolveModelOverride(ctx: AppContext, value: string | null | undefined, what: string, turnModelId: string | null): { id: string; overrideProblem?: string } {
  const override = value?.trim();
  let problem: string | undefined;
  if (value !== null && value !== undefined) {
    if (!override || /\s/.test(override)) problem = `${what} model override "${value}" is malformed; treated as unset`;
    else {
      const byId = usableModelConfig(ctx.db, override);
      const byName = byId ?? (ctx.db.prepare(`SELECT m.id FROM chat_model_configs m JOIN chat_providers p ON p.id = m.provider_id
        WHERE m.model = ? AND m.deleted = 0 AND m.enabled = 1 AND p.deleted = 0 AND p.enabled = 1 ORDER BY m.is_default DESC, m.updated_at DESC LIMIT 1`).get(override) as { id: string } | undefined);
      if (byName) return { id: byName.id };
      problem = `${what} model override "${override}" is not an available model; treated as unset`;
    }
  }
  if (problem) log.warn(problem);
  return { id: resolveTurnModel(ctx.db, [turnModelId]).id, overrideProblem: problem };
}

export function createAgentHost(ctx: AppContext, chat: ChatRow, folder: string, turnModelId: string): AgentHost {
  const planPath = planFilePath(folder, chat.id, ctx.settings.planDirectory);
  const requireChild = (id: string): ChatRow => {
    const row = requireChat(ctx, id);
    if (row.parent_chat_id !== chat.id) throw notFound('Subagent not found.', `Chat ${id} is not a subagent of this chat.`);
    return row;
  };
  return {
    chatId: chat.id,
    planFilePath: planPath,

    linkPlanFile(absPath) {
      const size = statSync(absPath).size;
      const id = linkPathFile(ctx.db, chat.id, { path: absPath, name: path.basename(absPath), mediaType: 'text/markdown', size, kind: 'plan', now: ctx.now() });
      return { file_id: id };
    },

    spawnChild({ type, prompt, title, modelConfigId, toolCallId }) {
      if (chat.parent_chat_id) throw new AppError(400, chat.mode === 'explore' ? 'explore chats cannot create child subagents' : 'delegated chats cannot create child subagents');
      const model = modelConfigId ? requireUsableModelConfig(ctx.db, modelConfigId).id
        : type === 'explore' ? resolveExploreModel(ctx, turnModelId).id
          : type === 'computer_use' ? resolveComputerUseModel(ctx, turnModelId).id : resolveTurnModel(ctx.db, [turnModelId]).id;
      const id = randomUUID();
      const now = ctx.now();
      // Explore and computer-use children never plan; a general child of a planning chat plans too (and so cannot write).
      const mode = type === 'explore' || type === 'computer_use' ? type : chat.mode === 'plan' ? 'plan' : 'default';
      // SPEC §4: plan-mode MCP is for the planning chat itself; its subagents get no MCP servers at all. A
      // computer-use agent has its browser and read_file only.
      const mcpServerIds = chat.mode === 'plan' || type === 'computer_use' ? '[]' : chat.mcp_server_ids;
      ctx.db.transaction(() => {
        insertChatRow(ctx.db, {
          id, workspace: chat.workspace, workspace_folder: chat.workspace_folder, title: title?.trim() || fallbackTitle(prompt), status: INITIAL_STATUS,
          parent_chat_id: chat.id, parent_tool_call_id: toolCallId ?? null, root_chat_id: chat.root_chat_id ?? chat.id, mode,
          client_type: chat.client_type, last_model_config_id: model, mcp_server_ids: mcpServerIds,
          // The worker that runs the parent runs its children (the CLI's chat keeps its subagents to itself).
          reserved_by: chat.reserved_by, created_at: now,
        });
        inheritContext(ctx, chat.id, id);
        insertMessage(ctx.db, { chatId: id, role: 'user', content: [{ type: 'text', text: prompt }], modelConfigId: model, createdAt: now });
      })();
      ctx.events.watch('created', chatPayload(ctx, id));
      ctx.wake();
      return summary(requireChat(ctx, id));
    },

    async waitChild(childId, timeoutMs, signal) {
      requireChild(childId);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const row = requireChild(childId);
        if (!ACTIVE.has(row.status)) {
          const err = row.last_error ? (JSON.parse(row.last_error) as { message: string }).message : undefined;
          return { ...summary(row), timed_out: false, report: lastAssistantText(ctx, childId), ...(row.status === 'error' && err ? { last_error: err } : {}) } satisfies ChildWaitResult;
        }
        if (Date.now() >= deadline) return { ...summary(row), timed_out: true, report: '' };
        if (signal.aborted) throw new Error('Interrupted while waiting for the subagent.');
        await new Promise<void>((resolve) => {
          const done = () => { clearTimeout(t); off(); signal.removeEventListener('abort', done); resolve(); };
          const t = setTimeout(done, Math.min(500, Math.max(1, deadline - Date.now())));
          const off = ctx.events.onWatch((kind, c) => { if (c.id === childId && kind === 'status_change') done(); });
          signal.addEventListener('abort', done, { once: true });
        });
      }
    },

    messageChild(childId, message, interrupt) {
      requireChild(childId);
      sendMessage(ctx, { chat_id: childId, content: [{ type: 'text', text: message }], busy_behavior: interrupt ? 'interrupt' : 'queue' });
      return summary(requireChild(childId));
    },

    listChildren(limit, offset) {
      return (ctx.db.prepare('SELECT * FROM chats WHERE parent_chat_id = ? ORDER BY created_at, id LIMIT ? OFFSET ?').all(chat.id, limit, offset) as ChatRow[]).map(summary);
    },

    browser() {
      if (!ctx.computer) throw new Error('Computer use is not available in this process.');
      return ctx.computer.get(chat.id, () => ({
        browser: ctx.settings.computerUse.browser, headless: ctx.settings.computerUse.headless, label: chat.id, env: commandEnv(ctx.settings.commandEnv),
        // Read on every request: an "Always allow" given meanwhile applies at once.
        policy: () => policyForChat(ctx, requireChat(ctx, chat.id)),
      }));
    },

    computerUseModel() {
      const resolved = resolveComputerUseModel(ctx, turnModelId);
      const config = requireUsableModelConfig(ctx.db, resolved.id);
      const options = JSON.parse(config.options) as ModelOptions;
      if (options.image_input === 'no') {
        const how = ctx.settings.computerUseModel ? `it is the model ${COMPUTER_USE_MODEL_SETTING} names` : `${COMPUTER_USE_MODEL_SETTING} is not set, so the chat's model is used`;
        return { id: config.id, problem: `Computer use needs a model that takes images, and the model "${config.model}" (model config ${config.id}) is marked as not taking images (image input: no); ${how}. Set ${COMPUTER_USE_MODEL_SETTING} to a model that takes images, or change this model's image input in Manage Providers and Models.` };
      }
      return { id: config.id };
    },

    readSkill(name) {
      const skills = discoverSkills(folder, rootsOf(ctx, folder));
      const skill = skills.find((s) => s.name === name);
      if (!skill) throw badRequest(`Skill "${name}" not found.`, `Skills: ${skills.map((s) => s.name).join(', ') || '(none)'}`, 'name');
      const files: string[] = [];
      // Symlinks are listed only when they stay inside the skill's folder; the others are never offered.
      const walk = (dir: string, rel: string) => {
        for (const e of readdirSync(dir, { withFileTypes: true })) {
          if (e.name.startsWith('.')) continue;
          const abs = path.join(dir, e.name);
          if (e.isSymbolicLink() && !realInside(abs, [skill.dir], 'skill file')) continue;
          if (statSync(abs, { throwIfNoEntry: false })?.isDirectory()) walk(abs, path.join(rel, e.name));
          else files.push(path.join(rel, e.name));
        }
      };
      walk(skill.dir, '');
      return { name: skill.name, dir: skill.dir, body: skill.body, files: files.sort() };
    },
  };
}
