// A run may write to its chat only while this worker still owns it: an edit, a stale recovery or
// another process taking the chat over clears or changes worker_id, and the run's output is dropped.
import type { Db } from '../store/db';

export function ownsChat(db: Db, chatId: string, workerId: string): boolean {
  return !!db.prepare('SELECT 1 FROM chats WHERE id = ? AND worker_id = ?').get(chatId, workerId);
}
