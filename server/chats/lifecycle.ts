// Chat lifecycle rules: create, send (direct or queued), edit, interrupt, archive, update.
// Each rule runs in one IMMEDIATE transaction (two server processes may share the file), then emits events.
import { dropCheckpoints } from '../checkpoints/cleanup';
import { restoreCheckpoint } from '../checkpoints/restore';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { AppContext } from '../context';
import { AppError, badRequest, conflict, notFound } from '../errors';
import { requireUsableModelConfig, resolveTurnModel } from '../models/modelConfigs';
import type { Chat, ChatMessage, ChatMode, EditMessageResult, SendMessageResult } from '../protocol';
import type { CreateChatParams, EditMessageParams, SendMessageParams, UpdateChatParams } from '../protocol/requests';
import { familyIds, getChat, getChatRow, insertChatRow, markReadToNewest, replaceLabels, reserveIdleChat, setArchivedColumns, updateChatColumns } from '../store/chats';
import { addChatRules, cancelOpenActions } from '../store/approvals';
import { cancelWaitingCalls } from '../permissions/cancelCalls';
import { getMessageRow, insertMessage, softDeleteFrom } from '../store/messages';
import { clearQueue, enqueue, listQueued, queueLength } from '../store/queue';
import type { ChatRow } from '../store/rows';
import { validateLabels } from './labels';
import { setPinOrder } from './pins';
import { fallbackTitle, firstText } from './titles';
import { chooseBinding } from './workspaceBinding';
import { promoteHead } from './queue';
import { assertMcpServerIdsExist } from '../mcp/configStore';
import { BUSY_STATUSES, INITIAL_STATUS, moveChat } from './status';
import { checkInputParts, userMessageParts } from './attachments';
import { acceptDynamicTools } from '../agent/dynamicTools';
import { BUILTIN_TOOL_NAMES } from '../agent/turnRunner';

export const MAX_QUEUE = 20;

/** A chat of another workspace does not exist for this server (unless it serves all of them: the CLI, asked to). */
export const inScope = (ctx: AppContext, row: { workspace: string }): boolean => ctx.workspace.scope === 'all' || row.workspace === ctx.workspace.workspace;

export function requireChat(ctx: AppContext, id: string): ChatRow {
  const row = getChatRow(ctx.db, id);
  if (!row || !inScope(ctx, row)) throw notFound('Chat not found.', `No chat with id ${id}.`);
  return row;
}

export function chatPayload(ctx: AppContext, id: string): Chat {
  const chat = getChat(ctx.db, id);
  if (!chat || !inScope(ctx, chat)) throw notFound('Chat not found.', `No chat with id ${id}.`);
  return chat;
}

export function emitStatus(ctx: AppContext, id: string): Chat {
  const chat = chatPayload(ctx, id);
  ctx.events.stream(id, { type: 'status', status: chat.status });
  ctx.events.watch('status_change', chat);
  return chat;
}

export function emitQueue(ctx: AppContext, id: string): void {
  ctx.events.stream(id, { type: 'queue_update', queued_messages: listQueued(ctx.db, id) });
}

export interface CreateOptions {
  /** The worker that must run this chat (the CLI runs its own chat, and no other process takes it). */
  reservedBy?: string;
  /** Rules this chat tree may use (the CLI's --allow). */
  rules?: string[];
}

export function createChat(ctx: AppContext, p: z.output<typeof CreateChatParams>, opts: CreateOptions = {}): Chat {
  if (p.labels) validateLabels(p.labels);
  const workspace = p.workspace ?? ctx.workspace.workspace;
  if (!workspace) throw badRequest('A workspace is required.', 'Open a folder, or pass --workspace to the CLI.', 'workspace');
  if (workspace !== ctx.workspace.workspace) {
    throw badRequest('The chat must belong to this server\'s workspace.', `This server serves ${ctx.workspace.workspace ?? 'no workspace'}.`, 'workspace');
  }
  const folder = chooseBinding(ctx.workspace, p.workspace_folder);
  checkInputParts(ctx, p.content);
  const id = randomUUID();
  const now = ctx.now();
  if (p.mcp_server_ids?.length) assertMcpServerIdsExist(ctx.db, p.mcp_server_ids);
  const dynamic = acceptDynamicTools(p.unsafe_dynamic_tools ?? [], BUILTIN_TOOL_NAMES);
  ctx.db.transaction(() => {
    const model = p.model_config_id ? requireUsableModelConfig(ctx.db, p.model_config_id) : resolveTurnModel(ctx.db, []);
    insertChatRow(ctx.db, {
      id, workspace, workspace_folder: folder, title: fallbackTitle(firstText(p.content)), status: INITIAL_STATUS, mode: modeOf(p) ?? 'default',
      dynamic_tools: dynamic.tools.length > 0 ? JSON.stringify(dynamic.tools) : null,
      client_type: p.client_type ?? 'api', last_model_config_id: model.id, mcp_server_ids: JSON.stringify(p.mcp_server_ids ?? []),
      system_prompt: p.system_prompt ?? null, session_key: p.session_key ?? null, permission_mode: p.permission_mode ?? null, reserved_by: opts.reservedBy ?? null, created_at: now,
    });
    if (opts.rules?.length) addChatRules(ctx.db, id, opts.rules, 'cli', now);
    if (p.labels) replaceLabels(ctx.db, id, p.labels);
    insertMessage(ctx.db, { chatId: id, role: 'user', content: userMessageParts(ctx, id, p.content, now), modelConfigId: model.id, createdAt: now });
  }).immediate();
  const chat = chatPayload(ctx, id);
  ctx.events.watch('created', chat);
  ctx.wake();
  return dynamic.warnings.length > 0 ? { ...chat, warnings: dynamic.warnings } : chat;
}

/** `mode`, or the seed's `plan_mode` ("plan" / "") when mode is not given. */
export function modeOf(p: { mode?: ChatMode; plan_mode?: '' | 'plan' }): ChatMode | undefined {
  if (p.mode) return p.mode;
  if (p.plan_mode === undefined) return undefined;
  return p.plan_mode === 'plan' ? 'plan' : 'default';
}

export function sendMessage(ctx: AppContext, p: z.output<typeof SendMessageParams>): SendMessageResult {
  let result: SendMessageResult | undefined;
  let interrupted = false;
  const cancelled: ChatMessage[] = [];
  ctx.db.transaction(() => {
    const chat = requireChat(ctx, p.chat_id);
    if (chat.archived) throw badRequest('Cannot send to an archived chat.', 'Unarchive the chat first.', 'chat_id');
    if (p.model_config_id) requireUsableModelConfig(ctx.db, p.model_config_id);
    checkInputParts(ctx, p.content);
    const mode: ChatMode = modeOf(p) ?? chat.mode;
    const now = ctx.now();
    if (p.mcp_server_ids?.length) assertMcpServerIdsExist(ctx.db, p.mcp_server_ids);
    if (p.mcp_server_ids) updateChatColumns(ctx.db, chat.id, { mcp_server_ids: JSON.stringify(p.mcp_server_ids) });
    if (chat.status === 'requires_action' && p.busy_behavior === 'interrupt' && queueLength(ctx.db, chat.id) === 0) {
      // Nothing runs: the waiting calls are answered as not run, and the message goes now.
      cancelled.push(...cancelWaitingCalls(ctx, chat.id, now));
      moveChat(ctx.db, chat.id, 'waiting', { updated_at: now });
      chat.status = 'waiting';
    }
    const busy = BUSY_STATUSES.includes(chat.status) || queueLength(ctx.db, chat.id) > 0;
    if (busy) {
      if (queueLength(ctx.db, chat.id) >= MAX_QUEUE) throw new AppError(429, 'Message queue is full.', `Maximum ${MAX_QUEUE} messages can be queued.`);
      // The queued row keeps the model chosen now: the explicit one, else the chat's current one.
      const queued = enqueue(ctx.db, chat.id, p.content, p.model_config_id ?? chat.last_model_config_id, mode, now);
      result = { queued: true, queued_message: queued };
      if (p.busy_behavior === 'interrupt' && chat.status === 'running') {
        // The run stops and keeps its partial output; finishing it promotes the queue head.
        moveChat(ctx.db, chat.id, 'waiting', { updated_at: now });
        interrupted = true;
      } else if (!BUSY_STATUSES.includes(chat.status)) {
        // Idle with a leftover queue: nobody will finish a run, so the head goes now.
        promoteHead(ctx, chat.id, now);
      }
      return;
    }
    const model = p.model_config_id ?? chat.last_model_config_id;
    const message = insertMessage(ctx.db, { chatId: chat.id, role: 'user', content: userMessageParts(ctx, chat.id, p.content, now), modelConfigId: model, createdAt: now });
    // The model chosen for this message becomes the chat's model in the same transaction.
    moveChat(ctx.db, chat.id, 'pending', { last_model_config_id: model, mode, last_error: null, updated_at: now });
    result = { queued: false, message };
  }).immediate();
  if (!result) throw new Error('unreachable: send produced no result');
  if (interrupted) ctx.abortLocalRun(p.chat_id, 'interrupted');
  for (const message of cancelled) ctx.events.stream(p.chat_id, { type: 'message', message });
  if (result.message) ctx.events.stream(p.chat_id, { type: 'message', message: result.message });
  emitQueue(ctx, p.chat_id);
  emitStatus(ctx, p.chat_id);
  ctx.wake();
  return result;
}

/** Soft-deletes the message and all after it, inserts the replacement, clears the queue, starts a new turn. */
export function editMessage(ctx: AppContext, p: z.output<typeof EditMessageParams>): EditMessageResult {
  let out: EditMessageResult | undefined;
  let stoppedChildren: string[] = [];
  ctx.db.transaction(() => {
    const chat = requireChat(ctx, p.chat_id);
    if (chat.archived) throw badRequest('Cannot edit a message of an archived chat.', undefined, 'chat_id');
    const original = getMessageRow(ctx.db, p.message_id);
    if (!original || original.chat_id !== chat.id || original.deleted) throw notFound('Chat message not found.', 'Message does not belong to this chat.');
    if (original.role !== 'user') throw badRequest('Only user messages can be edited.', undefined, 'message_id');
    if (p.model_config_id) requireUsableModelConfig(ctx.db, p.model_config_id);
    checkInputParts(ctx, p.content);
    const now = ctx.now();
    const deleted = softDeleteFrom(ctx.db, chat.id, original.id);
    const model = p.model_config_id ?? original.model_config_id ?? chat.last_model_config_id;
    const message = insertMessage(ctx.db, { chatId: chat.id, role: 'user', content: userMessageParts(ctx, chat.id, p.content, now), modelConfigId: model, createdAt: now });
    clearQueue(ctx.db, chat.id);
    cancelOpenActions(ctx.db, chat.id, now);
    moveChat(ctx.db, chat.id, 'pending', { worker_id: null, run_id: null, last_model_config_id: model, last_error: null, updated_at: now });
    // The subagents of the superseded turn stop with it.
    stoppedChildren = stopSubagents(ctx, chat, now);
    out = { message, deleted_message_ids: deleted };
  }).immediate();
  if (!out) throw new Error('unreachable: edit produced no result');
  // A run of the old history must stop and must not write its partial output.
  ctx.abortLocalRun(p.chat_id, 'superseded');
  // "Restore files too": the agent's changes after the edited message go back before the turn runs again.
  if (p.restore_files) out = { ...out, restore: restoreCheckpoint(ctx, { chat_id: p.chat_id, message_id: p.message_id }) };
  for (const id of stoppedChildren) {
    ctx.abortLocalRun(id, 'interrupted');
    emitStatus(ctx, id);
  }
  ctx.events.stream(p.chat_id, { type: 'messages_deleted', message_ids: out.deleted_message_ids });
  ctx.events.stream(p.chat_id, { type: 'message', message: out.message });
  emitQueue(ctx, p.chat_id);
  emitStatus(ctx, p.chat_id);
  ctx.wake();
  return out;
}

/** Stops the running turn; what was streamed so far is kept by the runner. A pending chat stays pending. */
/** Inside the caller's transaction: every subagent of the chat that works or waits stops (→ waiting). */
function stopSubagents(ctx: AppContext, chat: ChatRow, now: number): string[] {
  if (chat.parent_chat_id) return [];
  const stopped: string[] = [];
  for (const id of familyIds(ctx.db, chat.id)) {
    if (id === chat.id) continue;
    if (moveChat(ctx.db, id, 'waiting', { updated_at: now }, { from: BUSY_STATUSES })) {
      cancelWaitingCalls(ctx, id, now);
      stopped.push(id);
    }
  }
  return stopped;
}

export function interruptChat(ctx: AppContext, chatId: string): Chat {
  const stopped: string[] = [];
  const cancelled: ChatMessage[] = [];
  ctx.db.transaction(() => {
    const chat = requireChat(ctx, chatId);
    const now = ctx.now();
    if (moveChat(ctx.db, chatId, 'waiting', { updated_at: now }, { from: ['running', 'requires_action'] })) {
      cancelled.push(...cancelWaitingCalls(ctx, chatId, now));
      stopped.push(chatId);
    }
    // Interrupting a chat interrupts its subagents too.
    stopped.push(...stopSubagents(ctx, chat, now));
  }).immediate();
  for (const message of cancelled) ctx.events.stream(chatId, { type: 'message', message });
  for (const id of stopped) {
    ctx.abortLocalRun(id, 'interrupted');
    if (id !== chatId) emitStatus(ctx, id);
  }
  return stopped.includes(chatId) ? emitStatus(ctx, chatId) : chatPayload(ctx, chatId);
}

function setArchived(ctx: AppContext, chat: ChatRow, archived: boolean): string[] {
  if (archived && chat.archived) throw badRequest('Chat is already archived.', undefined, 'archived');
  if (!archived && !chat.archived) throw badRequest('Chat is already not archived.', undefined, 'archived');
  if (!archived && chat.parent_chat_id) {
    const parent = getChatRow(ctx.db, chat.parent_chat_id);
    if (parent?.archived) throw badRequest('cannot unarchive child chat while parent is archived', undefined, 'archived');
  }
  const ids = familyIds(ctx.db, chat.id);
  const now = ctx.now();
  if (archived) {
    if (chat.pin_order > 0) setPinOrder(ctx.db, chat, 0);
    for (const id of ids) {
      if (moveChat(ctx.db, id, 'waiting', {}, { from: BUSY_STATUSES })) cancelWaitingCalls(ctx, id, now);
      setArchivedColumns(ctx.db, id, true, now);
    }
  } else {
    for (const id of ids) setArchivedColumns(ctx.db, id, false, now);
  }
  return ids;
}

export function updateChat(ctx: AppContext, p: z.output<typeof UpdateChatParams>): Chat {
  if (p.labels) validateLabels(p.labels);
  let archiveChange: { ids: string[]; archived: boolean } | undefined;
  let titleChanged = false;
  ctx.db.transaction(() => {
    const chat = requireChat(ctx, p.chat_id);
    const now = ctx.now();
    if (p.archived !== undefined) archiveChange = { ids: setArchived(ctx, chat, p.archived), archived: p.archived };
    if (p.pin_order !== undefined) setPinOrder(ctx.db, requireChat(ctx, p.chat_id), p.pin_order);
    if (p.labels) replaceLabels(ctx.db, chat.id, p.labels);
    if (p.title !== undefined && p.title !== chat.title) {
      updateChatColumns(ctx.db, chat.id, { title: p.title, updated_at: now });
      titleChanged = true;
    }
    if (modeOf(p) !== undefined) updateChatColumns(ctx.db, chat.id, { mode: modeOf(p) });
    if (p.permission_mode !== undefined) {
      if (chat.parent_chat_id) throw badRequest('A subagent uses its parent chat\'s permission mode.', undefined, 'permission_mode');
      updateChatColumns(ctx.db, chat.id, { permission_mode: p.permission_mode, updated_at: now });
    }
    if (p.workspace_folder !== undefined) {
      if (chat.workspace !== ctx.workspace.workspace) throw badRequest('The chat belongs to another workspace.', `Chat workspace: ${chat.workspace}`, 'workspace_folder');
      updateChatColumns(ctx.db, chat.id, { workspace_folder: chooseBinding(ctx.workspace, p.workspace_folder) });
    }
  }).immediate();
  if (archiveChange) {
    for (const id of archiveChange.ids) {
      if (archiveChange.archived) ctx.abortLocalRun(id, 'archived');
      ctx.events.watch(archiveChange.archived ? 'deleted' : 'created', chatPayload(ctx, id));
    }
    if (archiveChange.archived) dropCheckpoints(ctx, archiveChange.ids);
  }
  const chat = chatPayload(ctx, p.chat_id);
  ctx.events.watch(titleChanged ? 'title_change' : 'updated', chat);
  return chat;
}

/** Advances the read cursor to the newest visible message; no write when it is already there. */
export function markRead(ctx: AppContext, chatId: string): Chat {
  requireChat(ctx, chatId);
  const changed = markReadToNewest(ctx.db, chatId);
  const chat = chatPayload(ctx, chatId);
  if (changed) ctx.events.watch('updated', chat);
  return chat;
}

/**
 * The CLI continues an idle chat: reserved for its worker (no other server takes the turn) and given the
 * CLI's --allow rules. A chat that works or waits elsewhere is refused.
 */
export function continueChatHere(ctx: AppContext, chatId: string, opts: { reservedBy: string; rules: string[] }): void {
  ctx.db.transaction(() => {
    const chat = requireChat(ctx, chatId);
    if (chat.parent_chat_id) throw badRequest('A subagent chat cannot be continued directly.', 'Continue its parent chat.', 'chat_id');
    if (!reserveIdleChat(ctx.db, chat.id, opts.reservedBy)) throw conflict('Chat is busy.', `It is ${chat.status}; wait until it is idle, or interrupt it.`);
    if (opts.rules.length > 0) addChatRules(ctx.db, chat.id, opts.rules, 'cli', ctx.now());
  }).immediate();
}
