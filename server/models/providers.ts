// Chat providers: CRUD with soft delete. Keys are not here: see providerKeys.ts.
import { randomUUID } from 'node:crypto';
import { AppError, conflict, notFound } from '../errors';
import type { Provider, ProviderOptions, ProviderType } from '../protocol';
import type { Db } from '../store/db';
import { iso } from '../util/time';
import type { ProviderKeys } from './providerKeys';
import { promoteDefaultIfMissing } from './modelConfigs';

export interface ProviderRow {
  id: string;
  provider: ProviderType;
  provider_name: string;
  display_name: string;
  base_url: string;
  key_env: string | null;
  options: string;
  enabled: number;
  source: 'database' | 'env_preset';
  deleted: number;
  created_at: number;
  updated_at: number;
}

export const DISPLAY_NAMES: Record<ProviderType, string> = { openai: 'OpenAI', 'openai-compat': 'OpenAI Compatible', azure: 'Azure OpenAI' };

export function providerFromRow(row: ProviderRow, keys: ProviderKeys): Provider {
  return {
    id: row.id,
    provider: row.provider,
    provider_name: row.provider_name,
    display_name: row.display_name,
    base_url: row.base_url,
    key_env: row.key_env,
    key_source: keys.get(row.id)?.kind ?? 'none',
    options: JSON.parse(row.options) as ProviderOptions,
    enabled: row.enabled === 1,
    source: row.source,
    has_api_key: keys.has(row.id),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

export function normalizeBaseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

export function getProviderRow(db: Db, id: string): ProviderRow | undefined {
  return db.prepare<[string], ProviderRow>('SELECT * FROM chat_providers WHERE id = ?').get(id);
}

export function listProviderRows(db: Db): ProviderRow[] {
  return db.prepare<[], ProviderRow>('SELECT * FROM chat_providers WHERE deleted = 0 ORDER BY provider, display_name, id').all();
}

export function findProviderByUrl(db: Db, baseUrl: string): ProviderRow | undefined {
  return db.prepare<[string], ProviderRow>('SELECT * FROM chat_providers WHERE deleted = 0 AND base_url = ? ORDER BY created_at LIMIT 1').get(normalizeBaseUrl(baseUrl));
}

export interface ProviderInput {
  provider: ProviderType;
  provider_name?: string;
  display_name?: string;
  base_url: string;
  key_env?: string | null;
  options?: ProviderOptions;
  enabled?: boolean;
  source?: ProviderRow['source'];
}

export function findProviderByName(db: Db, name: string): ProviderRow | undefined {
  return db.prepare<[string], ProviderRow>('SELECT * FROM chat_providers WHERE deleted = 0 AND provider_name = ?').get(name);
}

/** The type's display name, numbered when a live provider has it already ("OpenAI Compatible 2"). */
function freeName(db: Db, base: string): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base} ${n}`;
    if (!findProviderByName(db, name)) return name;
  }
}

const nameTaken = (name: string) => conflict('Chat provider already exists.', `A provider named "${name}" is already configured.`, 'provider_name');

export function createProvider(db: Db, input: ProviderInput, now: number): ProviderRow {
  const baseUrl = normalizeBaseUrl(input.base_url);
  return db.transaction(() => {
    if (input.provider_name && findProviderByName(db, input.provider_name)) throw nameTaken(input.provider_name);
    const name = input.provider_name ?? freeName(db, input.display_name ?? DISPLAY_NAMES[input.provider]);
    return db.prepare(`INSERT INTO chat_providers (id, provider, provider_name, display_name, base_url, key_env, options, enabled, source, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`).get(
      randomUUID(), input.provider, name, input.display_name ?? name, baseUrl, input.key_env ?? null, JSON.stringify(input.options ?? {}),
      input.enabled === false ? 0 : 1, input.source ?? 'database', now, now,
    ) as ProviderRow;
  }).immediate();
}

export function updateProvider(db: Db, id: string, patch: Partial<ProviderInput>, now: number): ProviderRow {
  return db.transaction(() => {
    const row = getProviderRow(db, id);
    if (!row || row.deleted) throw notFound('Chat provider not found.', `No provider with id ${id}.`);
    const name = patch.provider_name ?? row.provider_name;
    if (name !== row.provider_name && findProviderByName(db, name)) throw nameTaken(name);
    const updated = db.prepare(`UPDATE chat_providers SET provider = ?, provider_name = ?, display_name = ?, base_url = ?, key_env = ?, options = ?, enabled = ?, updated_at = ?
      WHERE id = ? AND deleted = 0 RETURNING *`).get(
      patch.provider ?? row.provider, name, patch.display_name ?? (patch.provider_name && row.display_name === row.provider_name ? name : row.display_name),
      patch.base_url ? normalizeBaseUrl(patch.base_url) : row.base_url, patch.key_env !== undefined ? patch.key_env : row.key_env,
      JSON.stringify(patch.options ?? JSON.parse(row.options)), patch.enabled === undefined ? row.enabled : patch.enabled ? 1 : 0, now, id,
    ) as ProviderRow | undefined;
    if (!updated) throw notFound('Chat provider not found.', `No provider with id ${id}.`);
    return updated;
  }).immediate();
}

/** Soft-deletes the provider and its model configs; chats keep resolving them for reading. */
export function deleteProvider(db: Db, id: string, now: number): void {
  db.transaction(() => {
    const row = getProviderRow(db, id);
    if (!row || row.deleted) throw notFound('Chat provider not found.', `No provider with id ${id}.`);
    db.prepare('UPDATE chat_providers SET deleted = 1, updated_at = ? WHERE id = ?').run(now, id);
    db.prepare('UPDATE chat_model_configs SET deleted = 1, is_default = 0, updated_at = ? WHERE provider_id = ? AND deleted = 0').run(now, id);
    promoteDefaultIfMissing(db, null, now);
  }).immediate();
}

export function requireLiveProvider(db: Db, id: string): ProviderRow {
  const row = getProviderRow(db, id);
  if (!row || row.deleted) throw new AppError(400, 'Chat provider is not configured.', `No provider with id ${id}.`, 'provider_id');
  return row;
}
