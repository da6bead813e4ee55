// User secrets as requests. The host writes a value to SecretStorage first and then calls create/update; the
// metadata and the audit row are written in one transaction, and only after it commits does this process hold
// the value. A failed mutation leaves no row and no audit entry (the host then undoes its SecretStorage write).
import os from 'node:os';
import type { AppContext } from '../context';
import { badRequest, conflict, notFound } from '../errors';
import type { SecretAuditEntry, UserSecret } from '../protocol/usage';
import type { ParsedParams } from '../protocol/schemas';
import { getChatRow } from '../store/chats';
import {
  chatIdsOfSecret, deleteSecretRow, findSecretByName, getSecretRow, insertAudit, insertSecretRow, listAudit, listSecretRows, setChatSecretIds,
  updateSecretRow, type UserSecretRow,
} from '../store/secrets';
import { iso } from '../util/time';

/** Who changed a secret: the OS user this server runs as. */
export function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

function payload(ctx: AppContext, row: UserSecretRow): UserSecret {
  return {
    id: row.id, name: row.name, env_var: row.env_var, file_path: row.file_path, workspaces: JSON.parse(row.workspaces) as string[],
    chat_ids: chatIdsOfSecret(ctx.db, row.id), has_value: ctx.secretValues.has(row.id), created_at: iso(row.created_at), updated_at: iso(row.updated_at),
  };
}

function requireSecret(ctx: AppContext, id: string): UserSecretRow {
  const row = getSecretRow(ctx.db, id);
  if (!row) throw notFound('User secret not found.', `No secret with id ${id}.`);
  return row;
}

function assertFree(ctx: AppContext, row: Pick<UserSecretRow, 'id' | 'name' | 'env_var'>): void {
  const named = findSecretByName(ctx.db, row.name);
  if (named && named.id !== row.id) throw conflict('User secret already exists.', `A secret named "${row.name}" exists.`, 'name');
  if (row.env_var && listSecretRows(ctx.db).some((s) => s.id !== row.id && s.env_var === row.env_var)) {
    throw conflict('Environment variable already used.', `Another secret is given to commands as ${row.env_var}.`, 'env_var');
  }
}

export const listUserSecrets = (ctx: AppContext): UserSecret[] => listSecretRows(ctx.db).map((r) => payload(ctx, r));

export function createUserSecret(ctx: AppContext, p: ParsedParams<'CreateUserSecret'>): UserSecret {
  const now = ctx.now();
  const row: UserSecretRow = {
    id: p.id, name: p.name, env_var: p.env_var ?? null, file_path: p.file_path ?? null, workspaces: JSON.stringify(p.workspaces ?? []), created_at: now, updated_at: now,
  };
  ctx.db.transaction(() => {
    if (getSecretRow(ctx.db, p.id)) throw conflict('User secret already exists.', `A secret with id ${p.id} exists.`, 'id');
    assertFree(ctx, row);
    insertSecretRow(ctx.db, row);
    const fields = ['name', ...(row.env_var ? ['env_var'] : []), ...(row.file_path ? ['file_path'] : []), ...(p.workspaces?.length ? ['workspaces'] : []), 'value'];
    insertAudit(ctx.db, { secret_id: row.id, secret_name: row.name, action: 'create', actor: osUser(), changed_fields: JSON.stringify(fields), at: now });
  }).immediate();
  ctx.secretValues.set(row.id, p.value, row.name);
  return payload(ctx, row);
}

export function updateUserSecret(ctx: AppContext, p: ParsedParams<'UpdateUserSecret'>): UserSecret {
  const now = ctx.now();
  const next = ctx.db.transaction(() => {
    const row = requireSecret(ctx, p.secret_id);
    const candidate: UserSecretRow = {
      ...row,
      name: p.name ?? row.name,
      env_var: p.env_var !== undefined ? p.env_var : row.env_var,
      file_path: p.file_path !== undefined ? p.file_path : row.file_path,
      workspaces: p.workspaces !== undefined ? JSON.stringify(p.workspaces) : row.workspaces,
      updated_at: now,
    };
    // Bad input, as on create (400): nothing conflicts.
    if (!candidate.env_var && !candidate.file_path) throw badRequest('env_var or file_path is required: how would a command get the secret?', undefined, 'env_var');
    const changed = (['name', 'env_var', 'file_path', 'workspaces'] as const).filter((k) => candidate[k] !== row[k]);
    if (p.value !== undefined && p.value !== ctx.secretValues.get(row.id)) changed.push('value' as never);
    if (changed.length === 0) return row;
    assertFree(ctx, candidate);
    updateSecretRow(ctx.db, candidate);
    insertAudit(ctx.db, { secret_id: row.id, secret_name: candidate.name, action: 'update', actor: osUser(), changed_fields: JSON.stringify(changed), at: now });
    return candidate;
  }).immediate();
  if (p.value !== undefined) ctx.secretValues.set(next.id, p.value, next.name);
  else ctx.secretValues.rename(next.id, next.name);
  return payload(ctx, next);
}

/** A missing secret is a 404 and logs nothing. */
export function deleteUserSecret(ctx: AppContext, p: ParsedParams<'DeleteUserSecret'>): null {
  ctx.db.transaction(() => {
    const row = requireSecret(ctx, p.secret_id);
    if (!deleteSecretRow(ctx.db, row.id)) throw notFound('User secret not found.');
    insertAudit(ctx.db, { secret_id: row.id, secret_name: row.name, action: 'delete', actor: osUser(), changed_fields: JSON.stringify([]), at: ctx.now() });
  }).immediate();
  ctx.secretValues.set(p.secret_id, null);
  return null;
}

/** Values the host holds; values of secrets this database does not know are ignored. */
export function setUserSecretValues(ctx: AppContext, p: ParsedParams<'SetUserSecretValues'>): null {
  for (const v of p.values) {
    const row = getSecretRow(ctx.db, v.secret_id);
    if (row) ctx.secretValues.set(row.id, v.value, row.name);
  }
  return null;
}

export function setChatSecrets(ctx: AppContext, p: ParsedParams<'SetChatSecrets'>): UserSecret[] {
  ctx.db.transaction(() => {
    if (!getChatRow(ctx.db, p.chat_id)) throw notFound('Chat not found.', `No chat with id ${p.chat_id}.`);
    for (const id of p.secret_ids) requireSecret(ctx, id);
    setChatSecretIds(ctx.db, p.chat_id, [...new Set(p.secret_ids)]);
  }).immediate();
  return listUserSecrets(ctx);
}

export function listSecretAudit(ctx: AppContext, p: ParsedParams<'ListSecretAudit'>): SecretAuditEntry[] {
  return listAudit(ctx.db, p.secret_id, p.limit ?? 200).map((r) => ({ ...r, changed_fields: JSON.parse(r.changed_fields) as string[], at: iso(r.at) }));
}


