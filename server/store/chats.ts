// Queries over `chats` and `chat_labels`.
import type { Chat } from '../protocol';
import { prepareCached, type Db } from './db';
import { chatFromRow, type ChatRow } from './rows';

const CHILD_COUNT = `(SELECT COUNT(*) FROM chats k WHERE k.parent_chat_id = c.id)`;
const HAS_UNREAD = `EXISTS (SELECT 1 FROM chat_messages m WHERE m.chat_id = c.id AND m.role = 'assistant' AND m.deleted = 0 AND m.id > COALESCE(c.last_read_message_id, 0))`;

export function getChatRow(db: Db, id: string): ChatRow | undefined {
  return db.prepare<[string], ChatRow>('SELECT * FROM chats WHERE id = ?').get(id);
}

export function getChat(db: Db, id: string): Chat | undefined {
  const row = prepareCached(db, `SELECT c.*, ${HAS_UNREAD} AS has_unread, ${CHILD_COUNT} AS child_count FROM chats c WHERE c.id = ?`).get(id) as (ChatRow & { has_unread: number; child_count: number }) | undefined;
  return row ? chatFromRow(row, row.has_unread === 1, row.child_count) : undefined;
}

function labelCount(db: Db, key: string, value: string): number {
  return (db.prepare<[string, string], { n: number }>('SELECT COUNT(*) AS n FROM chat_labels WHERE key = ? AND value = ?').get(key, value) as { n: number }).n;
}

export interface ChatListFilter {
  workspace?: string;
  archived: boolean;
  labels: Array<[string, string]>;
  hasUnread?: boolean;
  parentChatId?: string;
  /** Sort key of the cursor row: rows strictly after it are returned. */
  after?: { pin_sort: number; updated_at: number; id: string };
  limit: number;
}

/**
 * Pinned first (pin_order ascending), then updated_at desc, id desc. Root chats unless a parent is given.
 * Served by idx_chats_list / idx_chats_list_workspace; with a label filter, by idx_chat_labels_list, whose
 * rows carry the chats' sort keys (migration 6), walked in list order from the rarest label.
 */
export function listChats(db: Db, f: ChatListFilter): Chat[] {
  // The rows are walked in list order from `src`: the chats, or the rows of the driving label.
  const labels = f.labels.length > 1
    ? [...f.labels].sort((a, b) => labelCount(db, a[0], a[1]) - labelCount(db, b[0], b[1]))
    : f.labels;
  const driver = labels[0];
  const src = driver ? 'd' : 'c';
  const where: string[] = [`${src}.archived = ?`];
  const args: unknown[] = [];
  if (driver) {
    where.unshift('d.key = ?', 'd.value = ?');
    args.push(driver[0], driver[1]);
  }
  args.push(f.archived ? 1 : 0);
  if (f.parentChatId) {
    where.push('c.parent_chat_id = ?');
    args.push(f.parentChatId);
  } else {
    where.push('c.parent_chat_id IS NULL');
  }
  if (f.workspace !== undefined) {
    where.push('c.workspace = ?');
    args.push(f.workspace);
  }
  for (const [key, value] of labels.slice(1)) {
    where.push('EXISTS (SELECT 1 FROM chat_labels l WHERE l.chat_id = c.id AND l.key = ? AND l.value = ?)');
    args.push(key, value);
  }
  if (f.hasUnread !== undefined) where.push(f.hasUnread ? HAS_UNREAD : `NOT ${HAS_UNREAD}`);
  const id = driver ? 'd.chat_id' : 'c.id';
  if (f.after) {
    where.push(`(${src}.pin_sort > ? OR (${src}.pin_sort = ? AND (${src}.updated_at < ? OR (${src}.updated_at = ? AND ${id} < ?))))`);
    args.push(f.after.pin_sort, f.after.pin_sort, f.after.updated_at, f.after.updated_at, f.after.id);
  }
  const from = driver ? 'chat_labels d JOIN chats c ON c.id = d.chat_id' : 'chats c';
  // has_unread is computed for the page only, not for every candidate row before the sort.
  const inner = `SELECT c.* FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${src}.pin_sort ASC, ${src}.updated_at DESC, ${id} DESC LIMIT ?`;
  const order = 'ORDER BY c.pin_sort ASC, c.updated_at DESC, c.id DESC';
  const sql = `SELECT c.*, ${HAS_UNREAD} AS has_unread, ${CHILD_COUNT} AS child_count FROM (${inner}) c ${order}`;
  args.push(f.limit);
  const rows = prepareCached(db, sql).all(...args) as Array<ChatRow & { has_unread: number; child_count: number }>;
  return rows.map((r) => chatFromRow(r, r.has_unread === 1, r.child_count));
}

export function cursorOf(db: Db, id: string): { pin_sort: number; updated_at: number; id: string } | undefined {
  return db.prepare<[string], { pin_sort: number; updated_at: number; id: string }>('SELECT pin_sort, updated_at, id FROM chats WHERE id = ?').get(id);
}

export function replaceLabels(db: Db, chatId: string, labels: Record<string, string>): void {
  db.prepare('DELETE FROM chat_labels WHERE chat_id = ?').run(chatId);
  const ins = db.prepare('INSERT INTO chat_labels (chat_id, key, value) VALUES (?, ?, ?)');
  for (const [k, v] of Object.entries(labels)) ins.run(chatId, k, v);
  db.prepare('UPDATE chats SET labels = ? WHERE id = ?').run(JSON.stringify(labels), chatId);
}

/** Chat ids of a family: the chat itself and every chat whose root it is. */
export function familyIds(db: Db, rootId: string): string[] {
  return db.prepare<[string, string], { id: string }>('SELECT id FROM chats WHERE id = ? OR root_chat_id = ?').all(rootId, rootId).map((r) => r.id);
}
