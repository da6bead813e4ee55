// Queries over `chat_messages`. Reads skip soft-deleted rows; totals count them.
import type { ChatMessage, ChatUsage, MessagePart, MessageRole } from '../protocol';
import { prepareCached, type Db } from './db';
import { messageFromRow, type MessageRow } from './rows';

export interface NewMessage {
  chatId: string;
  role: MessageRole;
  content: MessagePart[];
  modelConfigId?: string | null;
  usage?: Partial<ChatUsage>;
  contextLimit?: number | null;
  totalCostMicros?: number | null;
  runtimeMs?: number | null;
  providerResponseId?: string | null;
  createdAt: number;
}

export function insertMessage(db: Db, m: NewMessage): ChatMessage {
  const row = db.prepare(`INSERT INTO chat_messages (chat_id, role, content_version, content, model_config_id, created_at,
      input_tokens, output_tokens, total_tokens, reasoning_tokens, cache_read_tokens, cache_creation_tokens,
      context_limit, total_cost_micros, runtime_ms, provider_response_id)
    VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`).get(
    m.chatId, m.role, JSON.stringify(m.content), m.modelConfigId ?? null, m.createdAt,
    m.usage?.input_tokens ?? null, m.usage?.output_tokens ?? null, m.usage?.total_tokens ?? null,
    m.usage?.reasoning_tokens ?? null, m.usage?.cache_read_tokens ?? null, m.usage?.cache_creation_tokens ?? null,
    m.contextLimit ?? null, m.totalCostMicros ?? null, m.runtimeMs ?? null, m.providerResponseId ?? null,
  ) as MessageRow;
  return messageFromRow(row);
}

export function getMessageRow(db: Db, id: number): MessageRow | undefined {
  return db.prepare<[number], MessageRow>('SELECT * FROM chat_messages WHERE id = ?').get(id);
}

/** Newest page first internally, returned oldest first. */
export function pageMessages(db: Db, chatId: string, beforeId: number | undefined, limit: number): { messages: ChatMessage[]; hasMore: boolean } {
  const rows = prepareCached(db, 'SELECT * FROM chat_messages WHERE chat_id = ? AND deleted = 0 AND id < ? ORDER BY id DESC LIMIT ?')
    .all(chatId, beforeId ?? Number.MAX_SAFE_INTEGER, limit + 1) as MessageRow[];
  const hasMore = rows.length > limit;
  return { messages: rows.slice(0, limit).reverse().map(messageFromRow), hasMore };
}

/** The oldest `limit` messages after `afterId`, oldest first (a client catching up). */
export function messagesAfter(db: Db, chatId: string, afterId: number, limit: number): { messages: ChatMessage[]; hasMore: boolean } {
  const rows = prepareCached(db, 'SELECT * FROM chat_messages WHERE chat_id = ? AND deleted = 0 AND id > ? ORDER BY id ASC LIMIT ?')
    .all(chatId, afterId, limit + 1) as MessageRow[];
  return { messages: rows.slice(0, limit).map(messageFromRow), hasMore: rows.length > limit };
}

/** About half the page before the message and half from it on; has_more: older ones exist; hasNewer: newer ones. */
export function messagesAround(db: Db, chatId: string, aroundId: number, limit: number): { messages: ChatMessage[]; hasMore: boolean; hasNewer: boolean } {
  const before = Math.floor(limit / 2);
  const older = prepareCached(db, 'SELECT * FROM chat_messages WHERE chat_id = ? AND deleted = 0 AND id < ? ORDER BY id DESC LIMIT ?').all(chatId, aroundId, before + 1) as MessageRow[];
  const newer = prepareCached(db, 'SELECT * FROM chat_messages WHERE chat_id = ? AND deleted = 0 AND id >= ? ORDER BY id ASC LIMIT ?').all(chatId, aroundId, limit - Math.min(before, older.length) + 1) as MessageRow[];
  const keepOlder = older.slice(0, before).reverse();
  const keepNewer = newer.slice(0, limit - keepOlder.length);
  return { messages: [...keepOlder, ...keepNewer].map(messageFromRow), hasMore: older.length > before, hasNewer: newer.length > keepNewer.length };
}

export function allVisibleMessages(db: Db, chatId: string): ChatMessage[] {
  return db.prepare<[string], MessageRow>('SELECT * FROM chat_messages WHERE chat_id = ? AND deleted = 0 ORDER BY id').all(chatId).map(messageFromRow);
}

export function lastVisibleMessageId(db: Db, chatId: string): number | null {
  const r = db.prepare<[string], { id: number | null }>('SELECT MAX(id) AS id FROM chat_messages WHERE chat_id = ? AND deleted = 0').get(chatId);
  return r?.id ?? null;
}

/** Soft-deletes the message and every later one of the chat; returns their ids. */
export function softDeleteFrom(db: Db, chatId: string, fromId: number): number[] {
  return db.prepare<[string, number], { id: number }>('UPDATE chat_messages SET deleted = 1 WHERE chat_id = ? AND id >= ? AND deleted = 0 RETURNING id')
    .all(chatId, fromId).map((r) => r.id).sort((a, b) => a - b);
}

export function updateMessageRuntime(db: Db, id: number, runtimeMs: number): void {
  db.prepare('UPDATE chat_messages SET runtime_ms = ? WHERE id = ?').run(runtimeMs, id);
}
