// Queries over `chat_queued_messages`, in FIFO order (position, then id).
import type { ChatMode, InputPart, QueuedMessage } from '../protocol';
import type { Db } from './db';
import { queuedFromRow, type QueuedRow } from './rows';

export function listQueued(db: Db, chatId: string): QueuedMessage[] {
  return db.prepare<[string], QueuedRow>('SELECT * FROM chat_queued_messages WHERE chat_id = ? ORDER BY position, id').all(chatId).map(queuedFromRow);
}

export function queueLength(db: Db, chatId: string): number {
  return (db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM chat_queued_messages WHERE chat_id = ?').get(chatId) as { n: number }).n;
}

export function enqueue(db: Db, chatId: string, content: InputPart[], modelConfigId: string | null, mode: ChatMode, now: number): QueuedMessage {
  const row = db.prepare(`INSERT INTO chat_queued_messages (chat_id, content, model_config_id, mode, position, created_at)
    VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM chat_queued_messages WHERE chat_id = ?), ?) RETURNING *`)
    .get(chatId, JSON.stringify(content), modelConfigId, mode, chatId, now) as QueuedRow;
  return queuedFromRow(row);
}

export function queueHead(db: Db, chatId: string): QueuedMessage | undefined {
  const row = db.prepare<[string], QueuedRow>('SELECT * FROM chat_queued_messages WHERE chat_id = ? ORDER BY position, id LIMIT 1').get(chatId);
  return row ? queuedFromRow(row) : undefined;
}

export function getQueued(db: Db, chatId: string, id: number): QueuedMessage | undefined {
  const row = db.prepare<[number, string], QueuedRow>('SELECT * FROM chat_queued_messages WHERE id = ? AND chat_id = ?').get(id, chatId);
  return row ? queuedFromRow(row) : undefined;
}

export function deleteQueued(db: Db, chatId: string, id: number): boolean {
  return db.prepare('DELETE FROM chat_queued_messages WHERE id = ? AND chat_id = ?').run(id, chatId).changes > 0;
}

export function clearQueue(db: Db, chatId: string): number {
  return db.prepare('DELETE FROM chat_queued_messages WHERE chat_id = ?').run(chatId).changes;
}

export function moveToFront(db: Db, chatId: string, id: number): void {
  db.prepare('UPDATE chat_queued_messages SET position = (SELECT MIN(position) - 1 FROM chat_queued_messages WHERE chat_id = ?) WHERE id = ?').run(chatId, id);
}
