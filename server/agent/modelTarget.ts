// Turns a model config + its provider + the held key into what the model layer needs.
import type { AppContext } from '../context';
import { ModelError, type ModelTarget } from '../llm/types';
import type { ModelConfigRow } from '../models/modelConfigs';
import { getProviderRow } from '../models/providers';
import type { ModelOptions } from '../protocol';

export function modelTarget(ctx: AppContext, config: ModelConfigRow): ModelTarget {
  const provider = getProviderRow(ctx.db, config.provider_id);
  if (!provider || provider.deleted) throw new ModelError('Chat provider is not configured.', 'config', false);
  if (!provider.enabled) throw new ModelError(`Provider "${provider.display_name}" is disabled.`, 'provider_disabled', false);
  const key = ctx.keys.get(provider.id);
  if (!key && provider.provider === 'openai') {
    throw new ModelError(`No API key for provider "${provider.display_name}".`, 'missing_key', false, undefined, 'Run "Local Agents: Configure Provider" or set OPENAI_API_KEY.');
  }
  const options = JSON.parse(config.options) as ModelOptions;
  return {
    providerId: provider.id,
    providerType: provider.provider,
    providerName: provider.display_name,
    baseUrl: provider.base_url,
    apiKey: key?.value,
    credentialKind: key ? key.kind : 'none',
    model: config.model,
    api: options.api ?? 'chat_completions',
    store: options.store ?? false,
    maxOutputTokens: options.max_output_tokens,
    reasoningEffort: options.reasoning_effort,
  };
}
