// Pin rules (SPEC §2): pin appends; unpin compacts; reorder clamps to [1, pinned count] and shifts neighbours.
// Pin order is kept per workspace, since each window lists its own workspace's chats.
import { badRequest } from '../errors';
import type { Db } from '../store/db';
import type { ChatRow } from '../store/rows';

function pinnedCount(db: Db, workspace: string): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM chats WHERE workspace = ? AND pin_order > 0').get(workspace) as { n: number }).n;
}

/** Applies a requested pin_order inside the caller's transaction. */
export function setPinOrder(db: Db, chat: ChatRow, requested: number): void {
  if (requested < 0) throw badRequest('Pin order must be non-negative.', undefined, 'pin_order');
  if (requested > 0 && chat.archived) throw badRequest('Cannot pin an archived chat.', undefined, 'pin_order');
  if (requested > 0 && chat.parent_chat_id) throw badRequest('Cannot pin a child chat.', 'Subagent chats appear under their parent and cannot be pinned.', 'pin_order');
  const current = chat.pin_order;
  if (requested === 0) {
    if (current === 0) return;
    unpin(db, chat.workspace, chat.id, current);
    return;
  }
  if (current === 0) {
    db.prepare('UPDATE chats SET pin_order = ? WHERE id = ?').run(pinnedCount(db, chat.workspace) + 1, chat.id);
    return;
  }
  const target = Math.min(Math.max(requested, 1), pinnedCount(db, chat.workspace));
  if (target === current) return;
  if (target < current) {
    db.prepare('UPDATE chats SET pin_order = pin_order + 1 WHERE workspace = ? AND pin_order >= ? AND pin_order < ? AND id <> ?').run(chat.workspace, target, current, chat.id);
  } else {
    db.prepare('UPDATE chats SET pin_order = pin_order - 1 WHERE workspace = ? AND pin_order > ? AND pin_order <= ? AND id <> ?').run(chat.workspace, current, target, chat.id);
  }
  db.prepare('UPDATE chats SET pin_order = ? WHERE id = ?').run(target, chat.id);
}

export function unpin(db: Db, workspace: string, chatId: string, current: number): void {
  db.prepare('UPDATE chats SET pin_order = 0 WHERE id = ?').run(chatId);
  db.prepare('UPDATE chats SET pin_order = pin_order - 1 WHERE workspace = ? AND pin_order > ?').run(workspace, current);
}
