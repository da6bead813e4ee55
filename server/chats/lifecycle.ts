// Chat lifecycle rules: create, send (direct or queued), edit, interrupt, archive, update.
// Each rule runs in one IMMEDIATE transaction (two server processes may share the file), then emits events.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { AppContext } from '../context';
import { AppError, badRequest, notFound } from '../errors';
import { requireUsableModelConfig, resolveTurnModel } from '../models/modelConfigs';
import type { Chat, ChatMode, ChatStatus, EditMessageResult, InputPart, MessagePart, SendMessageResult } from '../protocol';
import type { CreateChatParams, EditMessageParams, SendMessageParams, UpdateChatParams } from '../protocol/requests';
import { familyIds, getChat, getChatRow, replaceLabels } from '../store/chats';
import { getMessageRow, insertMessage, softDeleteFrom } from '../store/messages';
import { clearQueue, enqueue, listQueued, queueLength } from '../store/queue';
import type { ChatRow } from '../store/rows';
import { validateLabels } from './labels';
import { setPinOrder } from './pins';
import { fallbackTitle, firstText } from './titles';
import { chooseBinding } from './workspaceBinding';
import { promoteHead } from './queue';
import { assertMcpServerIdsExist } from '../mcp/configStore';

export const MAX_QUEUE = 20;
const BUSY: ChatStatus[] = ['pending', 'running', 'requires_action'];

export function requireChat(ctx: AppContext, id: string): ChatRow {
  const row = getChatRow(ctx.db, id);
  if (!row) throw notFound('Chat not found.', `No chat with id ${id}.`);
  return row;
}

export function chatPayload(ctx: AppContext, id: string): Chat {
  const chat = getChat(ctx.db, id);
  if (!chat) throw notFound('Chat not found.', `No chat with id ${id}.`);
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

export const toMessageParts = (content: InputPart[]): MessagePart[] => content.map((p) => ({ ...p }));

export function createChat(ctx: AppContext, p: z.output<typeof CreateChatParams>): Chat {
  if (p.labels) validateLabels(p.labels);
  const workspace = p.workspace ?? ctx.workspace.workspace;
  if (!workspace) throw badRequest('A workspace is required.', 'Open a folder, or pass --workspace to the CLI.', 'workspace');
  const folder = workspace === ctx.workspace.workspace ? chooseBinding(ctx.workspace, p.workspace_folder) : (p.workspace_folder ?? null);
  const id = randomUUID();
  const now = ctx.now();
  if (p.mcp_server_ids?.length) assertMcpServerIdsExist(ctx.db, p.mcp_server_ids);
  ctx.db.transaction(() => {
    const model = p.model_config_id ? requireUsableModelConfig(ctx.db, p.model_config_id) : resolveTurnModel(ctx.db, []);
    ctx.db.prepare(`INSERT INTO chats (id, workspace, workspace_folder, title, status, mode, client_type, labels, last_model_config_id,
        mcp_server_ids, system_prompt, created_at, updated_at)
      VALUES (?, ?, ?, ?, 'pending', ?, ?, '{}', ?, ?, ?, ?, ?)`).run(
      id, workspace, folder, fallbackTitle(firstText(p.content)), p.mode ?? 'default', p.client_type ?? 'api', model.id,
      JSON.stringify(p.mcp_server_ids ?? []), p.system_prompt ?? null, now, now,
    );
    if (p.labels) replaceLabels(ctx.db, id, p.labels);
    insertMessage(ctx.db, { chatId: id, role: 'user', content: toMessageParts(p.content), modelConfigId: model.id, createdAt: now });
  }).immediate();
  const chat = chatPayload(ctx, id);
  ctx.events.watch('created', chat);
  ctx.wake();
  return chat;
}

export function sendMessage(ctx: AppContext, p: z.output<typeof SendMessageParams>): SendMessageResult {
  let result: SendMessageResult | undefined;
  let interrupted = false;
  ctx.db.transaction(() => {
    const chat = requireChat(ctx, p.chat_id);
    if (chat.archived) throw badRequest('Cannot send to an archived chat.', 'Unarchive the chat first.', 'chat_id');
    if (p.model_config_id) requireUsableModelConfig(ctx.db, p.model_config_id);
    const mode: ChatMode = p.mode ?? chat.mode;
    const now = ctx.now();
    if (p.mcp_server_ids?.length) assertMcpServerIdsExist(ctx.db, p.mcp_server_ids);
    if (p.mcp_server_ids) ctx.db.prepare('UPDATE chats SET mcp_server_ids = ? WHERE id = ?').run(JSON.stringify(p.mcp_server_ids), chat.id);
    const busy = BUSY.includes(chat.status) || queueLength(ctx.db, chat.id) > 0;
    if (busy) {
      if (queueLength(ctx.db, chat.id) >= MAX_QUEUE) throw new AppError(429, 'Message queue is full.', `Maximum ${MAX_QUEUE} messages can be queued.`);
      // The queued row keeps the model chosen now: the explicit one, else the chat's current one.
      const queued = enqueue(ctx.db, chat.id, p.content, p.model_config_id ?? chat.last_model_config_id, mode, now);
      result = { queued: true, queued_message: queued };
      if (p.busy_behavior === 'interrupt' && (chat.status === 'running' || chat.status === 'requires_action')) {
        // The run stops and keeps its partial output; finishing it promotes the queue head.
        ctx.db.prepare("UPDATE chats SET status = 'waiting', updated_at = ? WHERE id = ?").run(now, chat.id);
        interrupted = true;
      } else if (!BUSY.includes(chat.status)) {
        // Idle with a leftover queue: nobody will finish a run, so the head goes now.
        promoteHead(ctx, chat.id, now);
      }
      return;
    }
    const model = p.model_config_id ?? chat.last_model_config_id;
    const message = insertMessage(ctx.db, { chatId: chat.id, role: 'user', content: toMessageParts(p.content), modelConfigId: model, createdAt: now });
    // The model chosen for this message becomes the chat's model in the same transaction.
    ctx.db.prepare("UPDATE chats SET status = 'pending', last_model_config_id = ?, mode = ?, last_error = NULL, updated_at = ? WHERE id = ?")
      .run(model, mode, now, chat.id);
    result = { queued: false, message };
  }).immediate();
  if (!result) throw new Error('unreachable: send produced no result');
  if (interrupted) ctx.abortLocalRun(p.chat_id, 'interrupted');
  if (result.message) ctx.events.stream(p.chat_id, { type: 'message', message: result.message });
  emitQueue(ctx, p.chat_id);
  emitStatus(ctx, p.chat_id);
  ctx.wake();
  return result;
}

/** Soft-deletes the message and all after it, inserts the replacement, clears the queue, starts a new turn. */
export function editMessage(ctx: AppContext, p: z.output<typeof EditMessageParams>): EditMessageResult {
  let out: EditMessageResult | undefined;
  ctx.db.transaction(() => {
    const chat = requireChat(ctx, p.chat_id);
    if (chat.archived) throw badRequest('Cannot edit a message of an archived chat.', undefined, 'chat_id');
    const original = getMessageRow(ctx.db, p.message_id);
    if (!original || original.chat_id !== chat.id || original.deleted) throw notFound('Chat message not found.', 'Message does not belong to this chat.');
    if (original.role !== 'user') throw badRequest('Only user messages can be edited.', undefined, 'message_id');
    if (p.model_config_id) requireUsableModelConfig(ctx.db, p.model_config_id);
    const now = ctx.now();
    const deleted = softDeleteFrom(ctx.db, chat.id, original.id);
    const model = p.model_config_id ?? original.model_config_id ?? chat.last_model_config_id;
    const message = insertMessage(ctx.db, { chatId: chat.id, role: 'user', content: toMessageParts(p.content), modelConfigId: model, createdAt: now });
    clearQueue(ctx.db, chat.id);
    ctx.db.prepare("UPDATE chats SET status = 'pending', worker_id = NULL, last_model_config_id = ?, last_error = NULL, updated_at = ? WHERE id = ?")
      .run(model, now, chat.id);
    out = { message, deleted_message_ids: deleted };
  }).immediate();
  if (!out) throw new Error('unreachable: edit produced no result');
  // A run of the old history must stop and must not write its partial output.
  ctx.abortLocalRun(p.chat_id, 'superseded');
  ctx.events.stream(p.chat_id, { type: 'messages_deleted', message_ids: out.deleted_message_ids });
  ctx.events.stream(p.chat_id, { type: 'message', message: out.message });
  emitQueue(ctx, p.chat_id);
  emitStatus(ctx, p.chat_id);
  ctx.wake();
  return out;
}

/** Stops the running turn; what was streamed so far is kept by the runner. A pending chat stays pending. */
export function interruptChat(ctx: AppContext, chatId: string): Chat {
  const stopped: string[] = [];
  ctx.db.transaction(() => {
    const chat = requireChat(ctx, chatId);
    // Interrupting a chat interrupts its subagents too.
    const ids = chat.parent_chat_id ? [chatId] : familyIds(ctx.db, chatId);
    for (const id of ids) {
      const r = ctx.db.prepare("UPDATE chats SET status = 'waiting', updated_at = ? WHERE id = ? AND status IN ('running', 'requires_action')").run(ctx.now(), id);
      if (r.changes > 0) stopped.push(id);
    }
  }).immediate();
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
      ctx.db.prepare(`UPDATE chats SET archived = 1, pin_order = 0,
        status = CASE WHEN status IN ('pending', 'running', 'requires_action') THEN 'waiting' ELSE status END, updated_at = ? WHERE id = ?`).run(now, id);
    }
  } else {
    for (const id of ids) ctx.db.prepare('UPDATE chats SET archived = 0, updated_at = ? WHERE id = ?').run(now, id);
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
      ctx.db.prepare('UPDATE chats SET title = ?, updated_at = ? WHERE id = ?').run(p.title, now, chat.id);
      titleChanged = true;
    }
    if (p.mode !== undefined) ctx.db.prepare('UPDATE chats SET mode = ? WHERE id = ?').run(p.mode, chat.id);
    if (p.workspace_folder !== undefined) {
      if (chat.workspace !== ctx.workspace.workspace) throw badRequest('The chat belongs to another workspace.', `Chat workspace: ${chat.workspace}`, 'workspace_folder');
      ctx.db.prepare('UPDATE chats SET workspace_folder = ? WHERE id = ?').run(chooseBinding(ctx.workspace, p.workspace_folder), chat.id);
    }
  }).immediate();
  if (archiveChange) {
    for (const id of archiveChange.ids) {
      if (archiveChange.archived) ctx.abortLocalRun(id, 'archived');
      ctx.events.watch(archiveChange.archived ? 'deleted' : 'created', chatPayload(ctx, id));
    }
  }
  const chat = chatPayload(ctx, p.chat_id);
  ctx.events.watch(titleChanged ? 'title_change' : 'updated', chat);
  return chat;
}

/** Advances the read cursor to the newest visible message; no write when it is already there. */
export function markRead(ctx: AppContext, chatId: string): Chat {
  requireChat(ctx, chatId);
  const changes = ctx.db.prepare(`UPDATE chats SET last_read_message_id = (SELECT MAX(id) FROM chat_messages WHERE chat_id = chats.id AND deleted = 0)
    WHERE id = ? AND COALESCE(last_read_message_id, 0) IS NOT COALESCE((SELECT MAX(id) FROM chat_messages WHERE chat_id = chats.id AND deleted = 0), 0)`).run(chatId).changes;
  const chat = chatPayload(ctx, chatId);
  if (changes > 0) ctx.events.watch('updated', chat);
  return chat;
}
