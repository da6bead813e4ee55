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
import { deleteQueued, getQueued, listQueued, queueHead } from '../store/queue';
import { emitQueue, emitStatus, requireChat, toMessageParts } from './lifecycle';

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
  const message = insertMessage(ctx.db, { chatId, role: 'user', content: toMessageParts(head.content), modelConfigId: modelId, createdAt: now });
  deleteQueued(ctx.db, chatId, head.id);
  ctx.db.prepare("UPDATE chats SET status = 'pending', worker_id = NULL, last_model_config_id = ?, mode = ?, last_error = NULL, updated_at = ? WHERE id = ?")
    .run(modelId, head.mode, now, chatId);
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
  ctx.db.transaction(() => {
    const chat = requireChat(ctx, p.chat_id);
    if (chat.archived) throw badRequest('Chat is archived.', undefined, 'chat_id');
    const row = getQueued(ctx.db, p.chat_id, p.queued_message_id);
    if (!row) throw notFound('queued message not found', `No queued message ${p.queued_message_id} in this chat.`);
    const now = ctx.now();
    if (chat.status === 'running' || chat.status === 'requires_action' || chat.status === 'pending') {
      ctx.db.prepare('UPDATE chat_queued_messages SET position = (SELECT MIN(position) - 1 FROM chat_queued_messages WHERE chat_id = ?) WHERE id = ?').run(p.chat_id, row.id);
      if (chat.status !== 'pending') {
        ctx.db.prepare("UPDATE chats SET status = 'waiting', updated_at = ? WHERE id = ?").run(now, p.chat_id);
        interrupted = true;
      }
      moved = row;
      return;
    }
    message = promoteQueued(ctx, p.chat_id, now, row);
  }).immediate();
  if (interrupted) ctx.abortLocalRun(p.chat_id, 'interrupted');
  if (message) ctx.events.stream(p.chat_id, { type: 'message', message });
  emitQueue(ctx, p.chat_id);
  emitStatus(ctx, p.chat_id);
  ctx.wake();
  if (message) return { queued: false, message };
  if (moved) return { queued: true, queued_message: moved };
  throw new AppError(500, 'promotion produced nothing');
}

