// Model configs: CRUD with soft delete and the default-promotion rules.
import { randomUUID } from 'node:crypto';
import { AppError, conflict, notFound } from '../errors';
import type { ModelConfig, ModelOptions } from '../protocol';
import type { Db } from '../store/db';
import { iso } from '../util/time';
import { requireLiveProvider } from './providers';

export interface ModelConfigRow {
  id: string;
  provider_id: string;
  model: string;
  display_name: string;
  enabled: number;
  is_default: number;
  context_limit: number;
  compression_threshold: number;
  options: string;
  deleted: number;
  created_at: number;
  updated_at: number;
}

export function modelConfigFromRow(row: ModelConfigRow): ModelConfig {
  return {
    id: row.id,
    provider_id: row.provider_id,
    model: row.model,
    display_name: row.display_name,
    enabled: row.enabled === 1,
    is_default: row.is_default === 1,
    context_limit: row.context_limit,
    options: JSON.parse(row.options) as ModelOptions,
    deleted: row.deleted === 1,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

export function getModelConfigRow(db: Db, id: string): ModelConfigRow | undefined {
  return db.prepare<[string], ModelConfigRow>('SELECT * FROM chat_model_configs WHERE id = ?').get(id);
}

export function listModelConfigRows(db: Db): ModelConfigRow[] {
  return db.prepare<[], ModelConfigRow>(`SELECT m.* FROM chat_model_configs m JOIN chat_providers p ON p.id = m.provider_id
    WHERE m.deleted = 0 ORDER BY p.provider, m.model, m.updated_at DESC, m.id DESC`).all();
}

/** A config a new turn may use: not deleted, enabled, and its provider live and enabled. */
export function usableModelConfig(db: Db, id: string | null | undefined): ModelConfigRow | undefined {
  if (!id) return undefined;
  return db.prepare<[string], ModelConfigRow>(`SELECT m.* FROM chat_model_configs m JOIN chat_providers p ON p.id = m.provider_id
    WHERE m.id = ? AND m.deleted = 0 AND m.enabled = 1 AND p.deleted = 0 AND p.enabled = 1`).get(id);
}

export function defaultModelConfig(db: Db): ModelConfigRow | undefined {
  return db.prepare<[], ModelConfigRow>(`SELECT m.* FROM chat_model_configs m JOIN chat_providers p ON p.id = m.provider_id
    WHERE m.is_default = 1 AND m.deleted = 0 AND p.deleted = 0 LIMIT 1`).get();
}

/**
 * When no live default remains, the first live config (provider, model, updated_at desc, id desc), other than
 * `demotedId`, becomes default; a usable one (enabled, its provider enabled) before a disabled one, as Coder's
 * later version does, so a disabled default never stops every turn while enabled models exist.
 */
export function promoteDefaultIfMissing(db: Db, demotedId: string | null, now: number): void {
  if (defaultModelConfig(db)) return;
  const next = db.prepare<[string], { id: string }>(`SELECT m.id FROM chat_model_configs m JOIN chat_providers p ON p.id = m.provider_id
    WHERE m.deleted = 0 AND p.deleted = 0 AND m.id <> ?
    ORDER BY (m.enabled = 1 AND p.enabled = 1) DESC, p.provider ASC, m.model ASC, m.updated_at DESC, m.id DESC LIMIT 1`).get(demotedId ?? '');
  if (next) db.prepare('UPDATE chat_model_configs SET is_default = 1, updated_at = ? WHERE id = ?').run(now, next.id);
}

export interface ModelConfigInput {
  provider_id: string;
  model: string;
  display_name?: string;
  context_limit: number;
  is_default?: boolean;
  enabled?: boolean;
  options?: ModelOptions;
}

export function createModelConfig(db: Db, input: ModelConfigInput, now: number): ModelConfigRow {
  return db.transaction(() => {
    requireLiveProvider(db, input.provider_id);
    const clash = db.prepare('SELECT 1 FROM chat_model_configs WHERE deleted = 0 AND provider_id = ? AND model = ?').get(input.provider_id, input.model);
    if (clash) throw conflict('Chat model config already exists.', `Model "${input.model}" is already configured for this provider.`);
    const isFirst = !db.prepare('SELECT 1 FROM chat_model_configs WHERE deleted = 0').get();
    const makeDefault = input.is_default === true || isFirst;
    if (makeDefault) db.prepare('UPDATE chat_model_configs SET is_default = 0 WHERE is_default = 1').run();
    return db.prepare(`INSERT INTO chat_model_configs (id, provider_id, model, display_name, enabled, is_default, context_limit, options, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`).get(
      randomUUID(), input.provider_id, input.model, input.display_name ?? input.model, input.enabled === false ? 0 : 1,
      makeDefault ? 1 : 0, input.context_limit, JSON.stringify(input.options ?? {}), now, now,
    ) as ModelConfigRow;
  }).immediate();
}

export function updateModelConfig(db: Db, id: string, patch: Partial<ModelConfigInput>, now: number): ModelConfigRow {
  return db.transaction(() => {
    const row = getModelConfigRow(db, id);
    if (!row || row.deleted) throw notFound('Chat model config not found.', `No model config with id ${id}.`);
    const providerId = patch.provider_id ?? row.provider_id;
    if (providerId !== row.provider_id) requireLiveProvider(db, providerId);
    const model = patch.model ?? row.model;
    if ((model !== row.model || providerId !== row.provider_id)
      && db.prepare('SELECT 1 FROM chat_model_configs WHERE deleted = 0 AND provider_id = ? AND model = ? AND id <> ?').get(providerId, model, id)) {
      throw conflict('Chat model config already exists.', `Model "${model}" is already configured for this provider.`);
    }
    if (patch.is_default === true) db.prepare('UPDATE chat_model_configs SET is_default = 0 WHERE is_default = 1 AND id <> ?').run(id);
    const updated = db.prepare(`UPDATE chat_model_configs SET provider_id = ?, model = ?, display_name = ?, context_limit = ?, enabled = ?, is_default = ?, options = ?, updated_at = ?
      WHERE id = ? AND deleted = 0 RETURNING *`).get(
      providerId, model, patch.display_name ?? row.display_name, patch.context_limit ?? row.context_limit,
      patch.enabled === undefined ? row.enabled : patch.enabled ? 1 : 0,
      patch.is_default === undefined ? row.is_default : patch.is_default ? 1 : 0,
      JSON.stringify(patch.options ?? JSON.parse(row.options)), now, id,
    ) as ModelConfigRow | undefined;
    if (!updated) throw notFound('Chat model config not found.', `No model config with id ${id}.`);
    if (patch.is_default === false) promoteDefaultIfMissing(db, id, now);
    return getModelConfigRow(db, id) ?? updated;
  }).immediate();
}

export function deleteModelConfig(db: Db, id: string, now: number): void {
  db.transaction(() => {
    const row = getModelConfigRow(db, id);
    if (!row || row.deleted) throw notFound('Chat model config not found.', `No model config with id ${id}.`);
    db.prepare('UPDATE chat_model_configs SET deleted = 1, is_default = 0, updated_at = ? WHERE id = ?').run(now, id);
    promoteDefaultIfMissing(db, id, now);
  }).immediate();
}

/** A model config id a request names must exist and be usable. */
export function requireUsableModelConfig(db: Db, id: string, field = 'model_config_id'): ModelConfigRow {
  const row = usableModelConfig(db, id);
  if (!row) throw new AppError(400, 'Invalid model config.', `Model config ${id} does not exist, was deleted or is disabled.`, field);
  return row;
}

export const NO_DEFAULT_MODEL = 'no default chat model config is available';

/** The chat's model if still usable, else the default; none at all is a clear error. */
export function resolveTurnModel(db: Db, preferredIds: Array<string | null | undefined>): ModelConfigRow {
  for (const id of preferredIds) {
    const row = usableModelConfig(db, id);
    if (row) return row;
  }
  const fallback = defaultModelConfig(db);
  if (fallback && usableModelConfig(db, fallback.id)) return fallback;
  throw new AppError(400, NO_DEFAULT_MODEL, 'Configure a provider and a model (Local Agents: Manage Providers and Models, or `local-agents models add`).');
}

/** The options (with prices) of the config a request was made with, or of its provider's config of that model. */
export function pricedConfigOptions(db: Db, configId: string | undefined, providerId: string, model: string): ModelOptions | undefined {
  const row = (configId ? getModelConfigRow(db, configId) : undefined)
    ?? db.prepare<[string, string], ModelConfigRow>('SELECT * FROM chat_model_configs WHERE provider_id = ? AND model = ? ORDER BY deleted, updated_at DESC LIMIT 1').get(providerId, model);
  if (!row) return undefined;
  if (row.model !== model) {
    // A compaction model of the same provider: its own config's prices, when it has one.
    const own = db.prepare<[string, string], ModelConfigRow>('SELECT * FROM chat_model_configs WHERE provider_id = ? AND model = ? ORDER BY deleted, updated_at DESC LIMIT 1').get(providerId, model);
    return own ? JSON.parse(own.options) as ModelOptions : undefined;
  }
  return JSON.parse(row.options) as ModelOptions;
}
