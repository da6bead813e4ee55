// The provider form's capability (first-run setup, Configure Provider): test a base URL, key and model with
// one tiny request, and save them as a provider with a default model. The key itself stays with the caller
// (the extension keeps it in SecretStorage and hands it over with SetProviderKey); it is used here, never kept.
import type { z } from 'zod';
import type { AppContext } from '../context';
import { maxTokensParam } from '../llm/chatCompletions';
import { clientFor } from '../llm/client';
import { toModelError } from '../llm/errors';
import type { ModelOptions, ProviderOptions, ProviderType } from '../protocol';
import type { SetupProviderParams, SetupProviderResult, TestProviderParams, TestProviderResult } from '../protocol/requests';
import { notFound } from '../errors';
import { log } from '../logger';
import { discoverModelContextLimit, ensureModelConfig, OPENAI_BASE_URL } from './envPreset';
import { modelConfigFromRow, updateModelConfig } from './modelConfigs';
import { createProvider, findProviderByName, findProviderByUrl, getProviderRow, normalizeBaseUrl, providerFromRow, updateProvider } from './providers';

const TEST_TIMEOUT_MS = 20_000;

export const providerTypeOf = (baseUrl: string): ProviderType => (normalizeBaseUrl(baseUrl) === OPENAI_BASE_URL ? 'openai' : 'openai-compat');

/** One non-streamed completion of one token: what fails says, in words, why turns would fail. */
export async function testProvider(ctx: AppContext, p: z.output<typeof TestProviderParams>): Promise<TestProviderResult> {
  let baseUrl = p.base_url;
  let key = p.api_key;
  let providerType = p.provider;
  let apiVersion = p.options?.api_version;
  if (p.provider_id) {
    const row = getProviderRow(ctx.db, p.provider_id);
    if (!row || row.deleted) throw notFound('Chat provider not found.', `No provider with id ${p.provider_id}.`);
    baseUrl ??= row.base_url;
    key ??= ctx.keys.get(row.id)?.value;
    providerType ??= row.provider;
    apiVersion ??= (JSON.parse(row.options) as ProviderOptions).api_version;
  }
  const url = normalizeBaseUrl(baseUrl as string);
  const type = providerType ?? providerTypeOf(url);
  const started = Date.now();
  try {
    const client = clientFor({ baseUrl: url, apiKey: key, providerType: type, apiVersion }, TEST_TIMEOUT_MS);
    await client.chat.completions.create({
      model: p.model, stream: false, messages: [{ role: 'user', content: 'Reply with the word OK.' }],
      ...maxTokensParam({ providerType: type }, 16),
    });
    return { ok: true, message: `${p.model} at ${url} answered.`, status_code: null, latency_ms: Date.now() - started };
  } catch (err) {
    const e = toModelError(err, { model: p.model, baseUrl: url });
    return { ok: false, message: e.message, status_code: e.statusCode ?? null, latency_ms: Date.now() - started };
  }
}

/**
 * The provider form's save (first-run setup and the management view): the named instance, else the provider
 * at this URL (made when missing), with this model as the default for new chats.
 */
export function setupProvider(ctx: AppContext, p: z.output<typeof SetupProviderParams>): SetupProviderResult {
  const url = normalizeBaseUrl(p.base_url);
  const type = p.provider ?? providerTypeOf(url);
  const { result, row } = ctx.db.transaction(() => {
    const named = p.provider_name ? findProviderByName(ctx.db, p.provider_name) : undefined;
    const existing = named ?? (p.provider_name ? undefined : findProviderByUrl(ctx.db, url));
    const provider = existing
      ? (existing.base_url !== url || existing.provider !== type || p.options ? updateProvider(ctx.db, existing.id, { base_url: url, provider: type, ...(p.options ? { options: p.options } : {}) }, ctx.now()) : existing)
      : createProvider(ctx.db, { provider: type, base_url: url, provider_name: p.provider_name, display_name: p.display_name, options: p.options }, ctx.now());
    let config = ensureModelConfig(ctx, provider.id, p.model);
    if (p.model_options || p.context_limit) {
      const options = { ...(JSON.parse(config.options) as ModelOptions), ...p.model_options, ...(p.context_limit ? { context_limit_source: 'discovered' as const } : {}) };
      config = updateModelConfig(ctx.db, config.id, { options, ...(p.context_limit ? { context_limit: p.context_limit } : {}) }, ctx.now());
    }
    const row = config.is_default === 1 ? config : updateModelConfig(ctx.db, config.id, { is_default: true }, ctx.now());
    return { result: { provider: providerFromRow(provider, ctx.keys), model_config: modelConfigFromRow(row) }, row };
  })();
  // In the background: the setup answers at once; the next turn uses the discovered limit.
  void discoverModelContextLimit(ctx, row, ctx.keys.get(row.provider_id)?.value)
    .catch((err: unknown) => log.warn('context limit discovery failed', { error: (err as Error).message }));
  return result;
}
