// Files of chats: uploads (their bytes), workspace files attached by path, the plan file, and the links
// that say which chat holds which file (deduplicated: a file is linked to a chat once).
import { randomUUID } from 'node:crypto';
import type { ChatFile } from '../protocol';
import { iso } from '../util/time';
import { prepareCached, type Db } from './db';

export interface FileRow { id: string; name: string; media_type: string; path: string | null; size: number; data: Buffer | null; workspace: string | null; created_at: number }

export function insertUpload(db: Db, f: { name: string; mediaType: string; data: Buffer; workspace: string | null; createdAt: number }): string {
  const id = randomUUID();
  prepareCached(db, 'INSERT INTO chat_files (id, name, media_type, path, size, data, workspace, created_at) VALUES (?, ?, ?, NULL, ?, ?, ?, ?)')
    .run(id, f.name, f.mediaType, f.data.length, f.data, f.workspace, f.createdAt);
  return id;
}

export const getFileRow = (db: Db, id: string): FileRow | undefined =>
  prepareCached(db, 'SELECT * FROM chat_files WHERE id = ?').get(id) as FileRow | undefined;

/** The chat's file row for a workspace path, made (or its size refreshed) as needed, and linked. */
export function linkPathFile(db: Db, chatId: string, f: { path: string; name: string; mediaType: string; size: number; kind: 'attachment' | 'plan'; now: number }): string {
  const existing = prepareCached(db, 'SELECT f.id FROM chat_files f JOIN chat_file_links l ON l.file_id = f.id WHERE l.chat_id = ? AND f.path = ?').get(chatId, f.path) as { id: string } | undefined;
  if (existing) {
    prepareCached(db, 'UPDATE chat_files SET size = ? WHERE id = ?').run(f.size, existing.id);
    return existing.id;
  }
  const id = randomUUID();
  prepareCached(db, 'INSERT INTO chat_files (id, name, media_type, path, size, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(id, f.name, f.mediaType, f.path, f.size, f.now);
  linkFile(db, chatId, id, f.kind, f.now);
  return id;
}

export function linkFile(db: Db, chatId: string, fileId: string, kind: 'attachment' | 'plan', now: number): void {
  prepareCached(db, 'INSERT INTO chat_file_links (chat_id, file_id, kind, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (chat_id, file_id) DO NOTHING').run(chatId, fileId, kind, now);
}

export function listChatFileRows(db: Db, chatId: string): ChatFile[] {
  const rows = prepareCached(db, `SELECT f.id, f.name, f.media_type, f.path, f.size, l.kind, l.created_at FROM chat_file_links l JOIN chat_files f ON f.id = l.file_id
    WHERE l.chat_id = ? ORDER BY l.created_at, f.id`).all(chatId) as Array<Omit<ChatFile, 'created_at'> & { created_at: number }>;
  return rows.map((r) => ({ ...r, created_at: iso(r.created_at) }));
}

export const hasPlanFile = (db: Db, chatId: string): boolean =>
  !!prepareCached(db, "SELECT 1 FROM chat_file_links WHERE chat_id = ? AND kind = 'plan'").get(chatId);
