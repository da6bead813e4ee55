// Providers and model configs as requests: the rows become payloads (keys only as has_api_key), a key is
// held in memory for this process, and a provider's model list is fetched with its stored or given key.
import type { AppContext } from '../context';
import type { ModelOptions, ProviderOptions } from '../protocol';
import type { ProviderModel } from '../protocol/requests';
import { badRequest, notFound } from '../errors';
import { listProviderModelDetails } from '../llm/models';
import type { ModelConfig, Provider } from '../protocol';
import type { ParsedParams } from '../protocol/schemas';
import { applyKeyEnvs } from './envPreset';
import { createModelConfig, deleteModelConfig, listModelConfigRows, modelConfigFromRow, updateModelConfig } from './modelConfigs';
import { createProvider, deleteProvider, getProviderRow, listProviderRows, providerFromRow, updateProvider, type ProviderRow } from './providers';

function liveProvider(ctx: AppContext, id: string): ProviderRow {
  const row = getProviderRow(ctx.db, id);
  if (!row || row.deleted) throw notFound('Chat provider not found.', `No provider with id ${id}.`);
  return row;
}

export const listProviders = (ctx: AppContext): Provider[] => listProviderRows(ctx.db).map((r) => providerFromRow(r, ctx.keys));
export function addProvider(ctx: AppContext, p: ParsedParams<'CreateProvider'>): Provider {
  const row = createProvider(ctx.db, p, ctx.now());
  applyKeyEnvs(ctx);
  return providerFromRow(row, ctx.keys);
}

export function changeProvider(ctx: AppContext, p: ParsedParams<'UpdateProvider'>): Provider {
  const row = updateProvider(ctx.db, p.provider_id, p, ctx.now());
  if (p.key_env !== undefined && ctx.keys.get(row.id)?.kind !== 'personal') ctx.keys.set(row.id, null);
  applyKeyEnvs(ctx);
  return providerFromRow(row, ctx.keys);
}

export function removeProvider(ctx: AppContext, p: ParsedParams<'DeleteProvider'>): null {
  deleteProvider(ctx.db, p.provider_id, ctx.now());
  ctx.keys.set(p.provider_id, null);
  return null;
}

export function setProviderKey(ctx: AppContext, p: ParsedParams<'SetProviderKey'>): Provider {
  const row = liveProvider(ctx, p.provider_id);
  ctx.keys.set(p.provider_id, p.api_key, 'personal');
  return providerFromRow(row, ctx.keys);
}

export async function fetchProviderModels(ctx: AppContext, p: ParsedParams<'FetchProviderModels'>): Promise<{ models: string[]; details: ProviderModel[] }> {
  let baseUrl = p.base_url;
  let key = p.api_key;
  let providerType = p.provider;
  let apiVersion = p.options?.api_version;
  if (p.provider_id) {
    const row = liveProvider(ctx, p.provider_id);
    baseUrl = baseUrl ?? row.base_url;
    key = key ?? ctx.keys.get(row.id)?.value;
    providerType = providerType ?? row.provider;
    apiVersion = apiVersion ?? (JSON.parse(row.options) as ProviderOptions).api_version;
  }
  if (!baseUrl) throw badRequest('base_url or provider_id is required.', undefined, 'base_url');
  const details = await listProviderModelDetails({ baseUrl, apiKey: key, providerType, apiVersion });
  return { models: details.map((d) => d.id), details };
}

export const listModelConfigs = (ctx: AppContext): ModelConfig[] => listModelConfigRows(ctx.db).map(modelConfigFromRow);
// A context limit the user gives is theirs: discovery never replaces it.
export const addModelConfig = (ctx: AppContext, p: ParsedParams<'CreateModelConfig'>): ModelConfig =>
  modelConfigFromRow(createModelConfig(ctx.db, { ...p, options: { ...p.options, context_limit_source: 'user' } }, ctx.now()));
export function changeModelConfig(ctx: AppContext, p: ParsedParams<'UpdateModelConfig'>): ModelConfig {
  if (p.context_limit === undefined) return modelConfigFromRow(updateModelConfig(ctx.db, p.model_config_id, p, ctx.now()));
  const current = listModelConfigRows(ctx.db).find((m) => m.id === p.model_config_id);
  const options = p.options ?? (current ? JSON.parse(current.options) as ModelOptions : {});
  return modelConfigFromRow(updateModelConfig(ctx.db, p.model_config_id, { ...p, options: { ...options, context_limit_source: 'user' } }, ctx.now()));
}

export function removeModelConfig(ctx: AppContext, p: ParsedParams<'DeleteModelConfig'>): null {
  deleteModelConfig(ctx.db, p.model_config_id, ctx.now());
  return null;
}
