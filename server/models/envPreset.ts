// A provider and model from OPENAI_BASE_URL / OPENAI_API_KEY (and OPENAI_MODEL) when the user has configured none,
// and the provider/model the CLI names with --base-url / --model.
import type { AppContext } from '../context';
import { listProviderModels } from '../llm/models';
import { log } from '../logger';
import { createModelConfig, listModelConfigRows, type ModelConfigRow } from './modelConfigs';
import { createProvider, findProviderByUrl, listProviderRows, normalizeBaseUrl, type ProviderRow } from './providers';

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_CONTEXT_LIMIT = 128_000;

export interface EnvSettings { baseUrl?: string; apiKey?: string; model?: string }

export function envSettings(env: NodeJS.ProcessEnv = process.env): EnvSettings {
  return { baseUrl: env.OPENAI_BASE_URL || undefined, apiKey: env.OPENAI_API_KEY || undefined, model: env.OPENAI_MODEL || undefined };
}

function providerTypeFor(url: string): 'openai' | 'openai-compat' {
  return normalizeBaseUrl(url) === OPENAI_BASE_URL ? 'openai' : 'openai-compat';
}

export function ensureProvider(ctx: AppContext, baseUrl: string, source: ProviderRow['source']): ProviderRow {
  return findProviderByUrl(ctx.db, baseUrl)
    ?? createProvider(ctx.db, { provider: providerTypeFor(baseUrl), base_url: baseUrl, source, display_name: source === 'env_preset' ? 'Environment (OPENAI_BASE_URL)' : undefined }, ctx.now());
}

export function ensureModelConfig(ctx: AppContext, providerId: string, model: string): ModelConfigRow {
  return listModelConfigRows(ctx.db).find((m) => m.provider_id === providerId && m.model === model)
    ?? createModelConfig(ctx.db, { provider_id: providerId, model, context_limit: DEFAULT_CONTEXT_LIMIT }, ctx.now());
}

/**
 * With no provider configured and the environment naming one, creates it (source `env_preset`) with a default
 * model: OPENAI_MODEL, else the first model the provider lists. The key stays in memory only.
 */
export async function applyEnvPreset(ctx: AppContext, env: EnvSettings): Promise<void> {
  if (!env.baseUrl && !env.apiKey) return;
  const baseUrl = env.baseUrl ?? OPENAI_BASE_URL;
  const existing = findProviderByUrl(ctx.db, baseUrl);
  if (!existing && listProviderRows(ctx.db).length > 0) {
    // The user configured providers of their own: the environment only lends its key to a matching one.
    return;
  }
  const provider = existing ?? ensureProvider(ctx, baseUrl, 'env_preset');
  if (env.apiKey && !ctx.keys.has(provider.id)) ctx.keys.set(provider.id, env.apiKey, 'centralized');
  if (listModelConfigRows(ctx.db).some((m) => m.provider_id === provider.id)) return;
  let model = env.model;
  if (!model) {
    try {
      model = (await listProviderModels(provider.base_url, env.apiKey))[0];
    } catch (err) {
      log.warn('could not list the provider\'s models for the default model', { error: (err as Error).message });
    }
  }
  if (model) ensureModelConfig(ctx, provider.id, model);
}
