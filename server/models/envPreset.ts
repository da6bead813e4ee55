// A provider and model from OPENAI_BASE_URL / OPENAI_API_KEY (and OPENAI_MODEL) when the user has configured none,
// and the provider/model the CLI names with --base-url / --model.
import type { AppContext } from '../context';
import { discoverContextLimit } from '../llm/contextLimits';
import { listProviderModels } from '../llm/models';
import type { ModelOptions } from '../protocol';
import { log } from '../logger';
import { createModelConfig, listModelConfigRows, updateModelConfig, type ModelConfigRow } from './modelConfigs';
import { createProvider, findProviderByUrl, listProviderRows, normalizeBaseUrl, updateProvider, type ProviderRow } from './providers';

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
    ?? createModelConfig(ctx.db, { provider_id: providerId, model, context_limit: DEFAULT_CONTEXT_LIMIT, options: { context_limit_source: 'fallback' } }, ctx.now());
}

/**
 * Replaces a fallback context limit with the one the provider publishes (never a value the user set).
 * Failures keep the fallback: a provider without metadata still works.
 */
export async function discoverModelContextLimit(ctx: AppContext, config: ModelConfigRow, apiKey: string | undefined): Promise<void> {
  const options = JSON.parse(config.options) as ModelOptions;
  if (options.context_limit_source !== 'fallback') return;
  const provider = listProviderRows(ctx.db).find((p) => p.id === config.provider_id);
  if (!provider) return;
  const limit = await discoverContextLimit(provider.base_url, apiKey, config.model);
  if (!limit) return;
  const current = listModelConfigRows(ctx.db).find((m) => m.id === config.id);
  if (!current || (JSON.parse(current.options) as ModelOptions).context_limit_source !== 'fallback') return;
  updateModelConfig(ctx.db, config.id, { context_limit: limit, options: { ...options, context_limit_source: 'discovered' } }, ctx.now());
  log.info('context limit discovered from the provider', { model: config.model, context_limit: limit });
}

/**
 * The provider made from the environment follows it: created (source `env_preset`) when the environment names
 * one and the user has none of their own, and moved when OPENAI_BASE_URL changes between runs (say from OpenAI
 * to a local Ollama), so turns never go on calling a URL the environment no longer names. Its default model is
 * OPENAI_MODEL, else one the provider lists. The key stays in memory only.
 */
export async function applyEnvPreset(ctx: AppContext, env: EnvSettings): Promise<void> {
  if (!env.baseUrl && !env.apiKey) return;
  const baseUrl = normalizeBaseUrl(env.baseUrl ?? OPENAI_BASE_URL);
  let provider = listProviderRows(ctx.db).find((p) => p.source === 'env_preset');
  let moved = false;
  if (provider && provider.base_url !== baseUrl) {
    const taken = findProviderByUrl(ctx.db, baseUrl);
    if (taken) {
      // The user has a provider of their own at the new URL: the environment lends its key to that one.
      provider = taken;
    } else {
      log.info('the provider from OPENAI_BASE_URL follows the environment', { from: provider.base_url, to: baseUrl });
      provider = updateProvider(ctx.db, provider.id, { base_url: baseUrl, provider: providerTypeFor(baseUrl) }, ctx.now());
      moved = true;
      // A key of the old URL must not travel to the new one.
      if (ctx.keys.get(provider.id)?.kind === 'centralized') ctx.keys.set(provider.id, null);
    }
  }
  if (!provider) {
    const existing = findProviderByUrl(ctx.db, baseUrl);
    // The user configured providers of their own: the environment only lends its key to a matching one.
    if (!existing && listProviderRows(ctx.db).length > 0) return;
    provider = existing ?? ensureProvider(ctx, baseUrl, 'env_preset');
  }
  if (env.apiKey && (!ctx.keys.has(provider.id) || ctx.keys.get(provider.id)?.kind === 'centralized')) ctx.keys.set(provider.id, env.apiKey, 'centralized');
  const configs = listModelConfigRows(ctx.db).filter((m) => m.provider_id === provider.id);
  let model = env.model;
  // Nothing changed since the last run: no request to the provider at start.
  if (!model && configs.length > 0 && !moved) return;
  if (!model) {
    try {
      const offered = await listProviderModels(provider.base_url, env.apiKey);
      // Keep a model this provider still offers; otherwise the first one it lists.
      model = configs.find((c) => c.is_default === 1 && offered.includes(c.model))?.model ?? configs.find((c) => offered.includes(c.model))?.model ?? offered[0];
    } catch (err) {
      log.warn('could not list the provider\'s models for the default model', { error: (err as Error).message });
      if (configs.length > 0) return;
    }
  }
  if (!model) return;
  const config = ensureModelConfig(ctx, provider.id, model);
  await discoverModelContextLimit(ctx, config, ctx.keys.get(provider.id)?.value);
  // The environment's provider and model are what a run that names them means: the default follows them too.
  if (provider.source === 'env_preset' && config.is_default !== 1 && (defaultIsOfProvider(ctx, provider.id) || !!env.model)) {
    updateModelConfig(ctx.db, config.id, { is_default: true }, ctx.now());
  }
}

function defaultIsOfProvider(ctx: AppContext, providerId: string): boolean {
  return listModelConfigRows(ctx.db).some((m) => m.is_default === 1 && m.provider_id === providerId);
}

/**
 * Providers added with `--key-env VAR` (like Codex's env_key) read their key from that variable, as a
 * `centralized` credential; a key the user stored in VS Code (`personal`) wins over it.
 */
export function applyKeyEnvs(ctx: AppContext, env: NodeJS.ProcessEnv = process.env): void {
  for (const p of listProviderRows(ctx.db)) {
    if (!p.key_env || ctx.keys.get(p.id)?.kind === 'personal') continue;
    ctx.keys.set(p.id, env[p.key_env] || null, 'centralized');
  }
}
