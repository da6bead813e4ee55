// SQL of checkpoints: the file changes of a chat and the restores that undid some of them.
import type { Db } from './db';
import { prepareCached } from './db';

export interface FileChangeRow {
  id: number;
  chat_id: string;
  message_id: number | null;
  tool_call_id: string | null;
  path: string;
  before_hash: string | null;
  after_hash: string | null;
  added: number;
  removed: number;
  source: 'write_file' | 'edit_files' | 'execute' | 'restore';
  restore_id: number | null;
  undone_by: number | null;
  state: 'applied' | 'kept' | 'undone';
  created_at: number;
}
export interface FileRestoreRow { id: number; chat_id: string; to_message_id: number | null; created_at: number; undone_at: number | null }

export type NewFileChange = Omit<FileChangeRow, 'id' | 'state' | 'message_id' | 'undone_by'> & { message_id?: number | null };

/** The assistant message a running tool call belongs to: the chat's newest one (tools run before the next step). */
export function currentAssistantMessageId(db: Db, chatId: string): number | null {
  return (prepareCached(db, "SELECT MAX(id) AS id FROM chat_messages WHERE chat_id = ? AND role = 'assistant' AND deleted = 0").get(chatId) as { id: number | null }).id;
}

export function insertFileChange(db: Db, c: NewFileChange): FileChangeRow {
  return prepareCached(db, `INSERT INTO file_changes (chat_id, message_id, tool_call_id, path, before_hash, after_hash, added, removed, source, restore_id, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`).get(
    c.chat_id, c.message_id ?? currentAssistantMessageId(db, c.chat_id), c.tool_call_id, c.path, c.before_hash, c.after_hash, c.added, c.removed, c.source, c.restore_id, c.created_at,
  ) as FileChangeRow;
}

export function listFileChanges(db: Db, chatId: string): FileChangeRow[] {
  return prepareCached(db, 'SELECT * FROM file_changes WHERE chat_id = ? ORDER BY id').all(chatId) as FileChangeRow[];
}

export function getFileChanges(db: Db, chatId: string, ids: number[]): FileChangeRow[] {
  if (ids.length === 0) return [];
  return db.prepare(`SELECT * FROM file_changes WHERE chat_id = ? AND id IN (${ids.map(() => '?').join(',')}) ORDER BY id`).all(chatId, ...ids) as FileChangeRow[];
}

/** The agent's own changes (not a restore's) still in place (applied or kept), made by messages after `messageId`. */
export function appliedChangesAfter(db: Db, chatId: string, messageId: number): FileChangeRow[] {
  return prepareCached(db, "SELECT * FROM file_changes WHERE chat_id = ? AND source <> 'restore' AND state IN ('applied', 'kept') AND message_id > ? ORDER BY id")
    .all(chatId, messageId) as FileChangeRow[];
}

export function setChangeState(db: Db, ids: number[], state: FileChangeRow['state'], undoneBy: number | null = null): void {
  const stmt = prepareCached(db, 'UPDATE file_changes SET state = ?, undone_by = ? WHERE id = ?');
  for (const id of ids) stmt.run(state, undoneBy, id);
}

export function changesUndoneBy(db: Db, restoreId: number): FileChangeRow[] {
  return prepareCached(db, 'SELECT * FROM file_changes WHERE undone_by = ? ORDER BY id').all(restoreId) as FileChangeRow[];
}

export function insertRestore(db: Db, chatId: string, toMessageId: number | null, now: number): FileRestoreRow {
  return prepareCached(db, 'INSERT INTO file_restores (chat_id, to_message_id, created_at) VALUES (?, ?, ?) RETURNING *').get(chatId, toMessageId, now) as FileRestoreRow;
}

export function getRestore(db: Db, chatId: string, id: number): FileRestoreRow | undefined {
  return prepareCached(db, 'SELECT * FROM file_restores WHERE chat_id = ? AND id = ?').get(chatId, id) as FileRestoreRow | undefined;
}

export function changesOfRestore(db: Db, restoreId: number): FileChangeRow[] {
  return prepareCached(db, 'SELECT * FROM file_changes WHERE restore_id = ? ORDER BY id').all(restoreId) as FileChangeRow[];
}

export function markRestoreUndone(db: Db, id: number, now: number): void {
  prepareCached(db, 'UPDATE file_restores SET undone_at = ? WHERE id = ?').run(now, id);
}

/** Drops the checkpoints of archived chats (their blobs are collected afterwards). */
export function deleteChangesOfChats(db: Db, chatIds: string[]): number {
  let n = 0;
  for (const id of chatIds) {
    n += prepareCached(db, 'DELETE FROM file_changes WHERE chat_id = ?').run(id).changes;
    prepareCached(db, 'DELETE FROM file_restores WHERE chat_id = ?').run(id);
  }
  return n;
}

export function referencedHashes(db: Db): Set<string> {
  const rows = db.prepare('SELECT before_hash AS h FROM file_changes WHERE before_hash IS NOT NULL UNION SELECT after_hash FROM file_changes WHERE after_hash IS NOT NULL').all() as Array<{ h: string }>;
  return new Set(rows.map((r) => r.h));
}
