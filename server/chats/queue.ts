// Queue promotion (FIFO) and removal. A promoted row uses its own model when still usable, then the chat's,
// then the default; a message whose model cannot be resolved stays queued rather than being dropped.
import type { z } from 'zod';
import type { AppContext } from '../context';
import { AppError, badRequest, notFound } from '../errors';
import { log } from '../logger';
import { resolveTurnModel } from '../models/modelConfigs';
import type { ChatMessage, QueuedMessage, SendMessageResult } from '../protocol';
import type { QueuedMessageParams } from '../protocol/requests';
import { getChatRow } from '../store/chats';
import { insertMessage } from '../store/messages';
import { deleteQueued, getQueued, listQueued, moveToFront, queueHead } from '../store/queue';
import { cancelWaitingCalls } from '../permissions/cancelCalls';
import { moveChat } from './status';
import { emitQueue, emitStatus, requireChat } from './lifecycle';
import { userMessageParts } from './attachments';

/** Inside the caller's transaction: turns the given queued row (default: the head) into a user message and sets `pending`. */
export function promoteQueued(ctx: AppContext, chatId: string, now: number, row?: QueuedMessage): ChatMessage | undefined {
  const head = row ?? queueHead(ctx.db, chatId);
  if (!head) return undefined;
  const chat = getChatRow(ctx.db, chatId);
  if (!chat) return undefined;
  let modelId: string;
  try {
    modelId = resolveTurnModel(ctx.db, [head.model_config_id, chat.last_model_config_id]).id;
  } catch (err) {
    log.warn('queued message kept: no usable model', { chat_id: chatId, queued_id: head.id, error: (err as Error).message });
    throw err;
  }
  if (head.model_config_id && head.model_config_id !== modelId) {
    log.warn('queued message model unavailable, using fallback', { chat_id: chatId, queued_id: head.id, stored: head.model_config_id, used: modelId });
  }
  const message = insertMessage(ctx.db, { chatId, role: 'user', content: userMessageParts(ctx, chatId, head.content, now), modelConfigId: modelId, createdAt: now });
  deleteQueued(ctx.db, chatId, head.id);
  moveChat(ctx.db, chatId, 'pending', { worker_id: null, run_id: null, last_model_config_id: modelId, mode: head.mode, last_error: null, updated_at: now });
  return message;
}

export const promoteHead = (ctx: AppContext, chatId: string, now: number) => promoteQueued(ctx, chatId, now);

export function deleteQueuedMessage(ctx: AppContext, p: z.output<typeof QueuedMessageParams>): { queued_messages: QueuedMessage[] } {
  ctx.db.transaction(() => {
    requireChat(ctx, p.chat_id);
    if (!deleteQueued(ctx.db, p.chat_id, p.queued_message_id)) throw notFound('queued message not found', `No queued message ${p.queued_message_id} in this chat.`);
  }).immediate();
  emitQueue(ctx, p.chat_id);
  return { queued_messages: listQueued(ctx.db, p.chat_id) };
}

/**
 * Sends a queued message now. When a turn is running, the row moves to the front and the run is interrupted
 * (keeping its partial output); finishing the run promotes it, so history stays in order.
 */
export function promoteQueuedMessage(ctx: AppContext, p: z.output<typeof QueuedMessageParams>): SendMessageResult {
  let message: ChatMessage | undefined;
  let interrupted = false;
  let moved: QueuedMessage | undefined;
  let cancelled: ChatMessage[] = [];
  ctx.db.transaction(() => {
    const chat = requireChat(ctx, p.chat_id);
    if (chat.archived) throw badRequest('Chat is archived.', undefined, 'chat_id');
    const row = getQueued(ctx.db, p.chat_id, p.queued_message_id);
    if (!row) throw notFound('queued message not found', `No queued message ${p.queued_message_id} in this chat.`);
    const now = ctx.now();
    if (chat.status === 'running' || chat.status === 'pending') {
      moveToFront(ctx.db, p.chat_id, row.id);
      if (chat.status === 'running') {
        moveChat(ctx.db, p.chat_id, 'waiting', { updated_at: now });
        interrupted = true;
      }
      moved = row;
      return;
    }
    if (chat.status === 'requires_action') {
      // Nothing runs while it waits: the waiting calls are answered as not run and this message goes now.
      cancelled = cancelWaitingCalls(ctx, p.chat_id, now);
      moveChat(ctx.db, p.chat_id, 'waiting', { updated_at: now });
    }
    message = promoteQueued(ctx, p.chat_id, now, row);
  }).immediate();
  if (interrupted) ctx.abortLocalRun(p.chat_id, 'interrupted');
  for (const m of cancelled) ctx.events.stream(p.chat_id, { type: 'message', message: m });
  if (message) ctx.events.stream(p.chat_id, { type: 'message', message });
  emitQueue(ctx, p.chat_id);
  emitStatus(ctx, p.chat_id);
  ctx.wake();
  if (message) return { queued: false, message };
  if (moved) return { queued: true, queued_message: moved };
  throw new AppError(500, 'promotion produced nothing');
}

