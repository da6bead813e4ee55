// The model config form's fields as text, and the requests they make. Numbers are checked here (a field left
// empty is unset); prices go to the server as typed, which names the field when one is not a price.
import type { ModelConfig, ModelOptions, Pricing } from '../../server/protocol';
import type { ProviderModel } from '../../server/protocol/requests';

export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;
type Effort = (typeof REASONING_EFFORTS)[number];

export const PRICE_FIELDS = [
  ['input_price_per_million_tokens', 'Input'],
  ['output_price_per_million_tokens', 'Output'],
  ['cache_read_price_per_million_tokens', 'Cache read'],
  ['cache_write_price_per_million_tokens', 'Cache write'],
] as const satisfies ReadonlyArray<readonly [keyof Pricing, string]>;

export interface ModelFormState {
  model: string;
  display_name: string;
  context_limit: string;
  max_output_tokens: string;
  reasoning_effort: Effort | '';
  image_input: 'yes' | 'no' | 'unknown';
  prices: Record<keyof Pricing, string>;
  deployment: string;
  is_default: boolean;
}

const text = (n: number | undefined) => (n === undefined ? '' : String(n));
const pricesOf = (p: Pricing | undefined): ModelFormState['prices'] => ({
  input_price_per_million_tokens: p?.input_price_per_million_tokens ?? '',
  output_price_per_million_tokens: p?.output_price_per_million_tokens ?? '',
  cache_read_price_per_million_tokens: p?.cache_read_price_per_million_tokens ?? '',
  cache_write_price_per_million_tokens: p?.cache_write_price_per_million_tokens ?? '',
});

export function formFromConfig(c: ModelConfig): ModelFormState {
  return {
    model: c.model, display_name: c.display_name, context_limit: String(c.context_limit), max_output_tokens: text(c.options.max_output_tokens),
    reasoning_effort: c.options.reasoning_effort ?? '', image_input: c.options.image_input ?? 'unknown', prices: pricesOf(c.options.cost),
    deployment: c.options.deployment ?? '', is_default: c.is_default,
  };
}

/** A model from the provider's list, with what the list published (OpenRouter: context, max output, prices). */
export function formFromListing(d: ProviderModel | undefined, model = d?.id ?? ''): ModelFormState {
  return {
    model, display_name: '', context_limit: text(d?.context_length), max_output_tokens: text(d?.max_output_tokens), reasoning_effort: '',
    image_input: d?.image_input ?? 'unknown', prices: pricesOf(d?.cost), deployment: '', is_default: false,
  };
}

export class FieldError extends Error {
  constructor(readonly field: string, message: string) { super(message); }
}

function positiveInt(field: string, label: string, s: string): number | undefined {
  const t = s.trim().replace(/[_,\s]/g, '');
  if (!t) return undefined;
  if (!/^\d+$/.test(t) || Number(t) <= 0) throw new FieldError(field, `${label} must be a whole number greater than zero.`);
  return Number(t);
}

/** The options the form sets, over those it does not show (api, compaction…); an emptied field is removed. */
export function optionsOf(f: ModelFormState, base: ModelOptions = {}): ModelOptions {
  const o: ModelOptions = { ...base };
  const maxOut = positiveInt('options.max_output_tokens', 'Max output', f.max_output_tokens);
  if (maxOut === undefined) delete o.max_output_tokens; else o.max_output_tokens = maxOut;
  if (f.reasoning_effort) o.reasoning_effort = f.reasoning_effort; else delete o.reasoning_effort;
  o.image_input = f.image_input;
  const cost: Pricing = {};
  for (const [key] of PRICE_FIELDS) {
    const v = f.prices[key].trim().replace(/^\$/, '');
    if (v) cost[key] = v;
  }
  if (Object.keys(cost).length) o.cost = cost; else delete o.cost;
  if (f.deployment.trim()) o.deployment = f.deployment.trim(); else delete o.deployment;
  return o;
}

/** CreateModelConfig's params (the context limit is required: 128k when neither the list nor the user gave one). */
export function createParams(providerId: string, f: ModelFormState) {
  if (!f.model.trim()) throw new FieldError('model', 'Model is required.');
  return {
    provider_id: providerId, model: f.model.trim(), ...(f.display_name.trim() ? { display_name: f.display_name.trim() } : {}),
    context_limit: positiveInt('context_limit', 'Context limit', f.context_limit) ?? 128_000, is_default: f.is_default, options: optionsOf(f),
  };
}

export function updateParams(c: ModelConfig, f: ModelFormState) {
  const contextLimit = positiveInt('context_limit', 'Context limit', f.context_limit);
  return {
    model_config_id: c.id, display_name: f.display_name.trim() || c.model,
    ...(contextLimit !== undefined && contextLimit !== c.context_limit ? { context_limit: contextLimit } : {}),
    ...(f.is_default !== c.is_default ? { is_default: f.is_default } : {}),
    options: optionsOf(f, c.options),
  };
}
