// User secrets' metadata, their per-chat enablement and the audit log. Values are never here.
import type { Db } from './db';

export interface UserSecretRow {
  id: string;
  name: string;
  env_var: string | null;
  file_path: string | null;
  workspaces: string;
  created_at: number;
  updated_at: number;
}

export interface SecretAuditRow {
  id: number;
  secret_id: string;
  secret_name: string;
  action: 'create' | 'update' | 'delete';
  actor: string;
  changed_fields: string;
  at: number;
}

export const listSecretRows = (db: Db): UserSecretRow[] => db.prepare<[], UserSecretRow>('SELECT * FROM user_secrets ORDER BY name').all();
export const getSecretRow = (db: Db, id: string): UserSecretRow | undefined => db.prepare<[string], UserSecretRow>('SELECT * FROM user_secrets WHERE id = ?').get(id);
export const findSecretByName = (db: Db, name: string): UserSecretRow | undefined =>
  db.prepare<[string], UserSecretRow>('SELECT * FROM user_secrets WHERE name = ? COLLATE NOCASE').get(name);

export function insertSecretRow(db: Db, row: UserSecretRow): void {
  db.prepare('INSERT INTO user_secrets (id, name, env_var, file_path, workspaces, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(row.id, row.name, row.env_var, row.file_path, row.workspaces, row.created_at, row.updated_at);
}

export function updateSecretRow(db: Db, row: UserSecretRow): void {
  db.prepare('UPDATE user_secrets SET name = ?, env_var = ?, file_path = ?, workspaces = ?, updated_at = ? WHERE id = ?')
    .run(row.name, row.env_var, row.file_path, row.workspaces, row.updated_at, row.id);
}

export function deleteSecretRow(db: Db, id: string): boolean {
  return db.prepare('DELETE FROM user_secrets WHERE id = ?').run(id).changes > 0;
}

export function chatIdsOfSecret(db: Db, secretId: string): string[] {
  return db.prepare<[string], { chat_id: string }>('SELECT chat_id FROM chat_user_secrets WHERE secret_id = ? ORDER BY chat_id').all(secretId).map((r) => r.chat_id);
}

export function setChatSecretIds(db: Db, chatId: string, secretIds: string[]): void {
  db.prepare('DELETE FROM chat_user_secrets WHERE chat_id = ?').run(chatId);
  const add = db.prepare('INSERT INTO chat_user_secrets (chat_id, secret_id) VALUES (?, ?)');
  for (const id of secretIds) add.run(chatId, id);
}

/** The secrets a chat's commands get: enabled for its workspace (or every workspace), or for it or its root chat. */
export function secretsForChat(db: Db, chatId: string, rootChatId: string | null, workspace: string): UserSecretRow[] {
  return db.prepare<[string, string, string], UserSecretRow>(`SELECT s.* FROM user_secrets s
    WHERE EXISTS (SELECT 1 FROM json_each(s.workspaces) w WHERE w.value = '*' OR w.value = ?)
       OR EXISTS (SELECT 1 FROM chat_user_secrets c WHERE c.secret_id = s.id AND c.chat_id IN (?, ?))
    ORDER BY s.name`).all(workspace, chatId, rootChatId ?? chatId);
}

export function insertAudit(db: Db, row: Omit<SecretAuditRow, 'id'>): void {
  db.prepare('INSERT INTO secret_audit (secret_id, secret_name, action, actor, changed_fields, at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(row.secret_id, row.secret_name, row.action, row.actor, row.changed_fields, row.at);
}

export function listAudit(db: Db, secretId: string | undefined, limit: number): SecretAuditRow[] {
  return secretId
    ? db.prepare<[string, number], SecretAuditRow>('SELECT * FROM secret_audit WHERE secret_id = ? ORDER BY id DESC LIMIT ?').all(secretId, limit)
    : db.prepare<[number], SecretAuditRow>('SELECT * FROM secret_audit ORDER BY id DESC LIMIT ?').all(limit);
}
