// Chat providers: CRUD with soft delete. Keys are not here: see providerKeys.ts.
import { randomUUID } from 'node:crypto';
import { AppError, conflict, notFound } from '../errors';
import type { Provider, ProviderType } from '../protocol';
import type { Db } from '../store/db';
import { iso } from '../util/time';
import type { ProviderKeys } from './providerKeys';
import { promoteDefaultIfMissing } from './modelConfigs';

export interface ProviderRow {
  id: string;
  provider: ProviderType;
  display_name: string;
  base_url: string;
  enabled: number;
  source: 'database' | 'env_preset';
  deleted: number;
  created_at: number;
  updated_at: number;
}

export const DISPLAY_NAMES: Record<ProviderType, string> = { openai: 'OpenAI', 'openai-compat': 'OpenAI Compatible' };

export function providerFromRow(row: ProviderRow, keys: ProviderKeys): Provider {
  return {
    id: row.id,
    provider: row.provider,
    display_name: row.display_name,
    base_url: row.base_url,
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

export interface ProviderInput { provider: ProviderType; display_name?: string; base_url: string; enabled?: boolean; source?: ProviderRow['source'] }

export function createProvider(db: Db, input: ProviderInput, now: number): ProviderRow {
  const baseUrl = normalizeBaseUrl(input.base_url);
  return db.transaction(() => {
    const clash = db.prepare('SELECT 1 FROM chat_providers WHERE deleted = 0 AND provider = ? AND base_url = ?').get(input.provider, baseUrl);
    if (clash) throw conflict('Chat provider already exists.', `A ${input.provider} provider for ${baseUrl} is already configured.`);
    return db.prepare(`INSERT INTO chat_providers (id, provider, display_name, base_url, enabled, source, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`).get(
      randomUUID(), input.provider, input.display_name ?? DISPLAY_NAMES[input.provider], baseUrl,
      input.enabled === false ? 0 : 1, input.source ?? 'database', now, now,
    ) as ProviderRow;
  }).immediate();
}

export function updateProvider(db: Db, id: string, patch: Partial<ProviderInput>, now: number): ProviderRow {
  return db.transaction(() => {
    const row = getProviderRow(db, id);
    if (!row || row.deleted) throw notFound('Chat provider not found.', `No provider with id ${id}.`);
    const next = {
      provider: patch.provider ?? row.provider,
      display_name: patch.display_name ?? row.display_name,
      base_url: patch.base_url ? normalizeBaseUrl(patch.base_url) : row.base_url,
      enabled: patch.enabled === undefined ? row.enabled : patch.enabled ? 1 : 0,
    };
    const clash = db.prepare('SELECT 1 FROM chat_providers WHERE deleted = 0 AND provider = ? AND base_url = ? AND id <> ?').get(next.provider, next.base_url, id);
    if (clash) throw conflict('Chat provider already exists.');
    return db.prepare('UPDATE chat_providers SET provider = ?, display_name = ?, base_url = ?, enabled = ?, updated_at = ? WHERE id = ? RETURNING *')
      .get(next.provider, next.display_name, next.base_url, next.enabled, now, id) as ProviderRow;
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
