// Turns a model config + its provider + the held key into what the model layer needs.
import type { AppContext } from '../context';
import { ModelError, type ModelTarget } from '../llm/types';
import type { ModelConfigRow } from '../models/modelConfigs';
import { getProviderRow } from '../models/providers';
import type { ModelOptions, ProviderOptions } from '../protocol';

export function modelTarget(ctx: AppContext, config: ModelConfigRow): ModelTarget {
  const provider = getProviderRow(ctx.db, config.provider_id);
  if (!provider || provider.deleted) throw new ModelError('Chat provider is not configured.', 'config', false);
  if (!provider.enabled) throw new ModelError(`Provider "${provider.provider_name}" is disabled.`, 'provider_disabled', false);
  const key = ctx.keys.get(provider.id);
  // A provider named with a key variable needs its key whatever its type: keyless, the request would fail with a
  // 401 that does not say which variable is unset.
  if (!key && (provider.key_env || provider.provider === 'openai' || provider.provider === 'azure')) {
    const hint = provider.key_env ? `Set ${provider.key_env}, or store a key with "Local Agents: Manage Providers and Models".` : 'Store a key with "Local Agents: Manage Providers and Models" or set OPENAI_API_KEY.';
    throw new ModelError(`No API key for provider "${provider.provider_name}".`, 'missing_key', false, undefined, hint);
  }
  const options = JSON.parse(config.options) as ModelOptions;
  const providerOptions = JSON.parse(provider.options) as ProviderOptions;
  return {
    providerId: provider.id,
    providerType: provider.provider,
    providerName: provider.provider_name,
    baseUrl: provider.base_url,
    apiKey: key?.value,
    credentialKind: key ? key.kind : 'none',
    model: provider.provider === 'azure' ? options.deployment ?? config.model : config.model,
    modelName: config.model,
    modelConfigId: config.id,
    apiVersion: providerOptions.api_version,
    api: options.api ?? 'chat_completions',
    store: options.store ?? false,
    maxOutputTokens: options.max_output_tokens,
    reasoningEffort: options.reasoning_effort,
    imageInput: options.image_input,
  };
}
