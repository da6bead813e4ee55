// The models a provider offers (GET /models), with what the list publishes about each: OpenRouter's context
// length, prices (dollars per token there, per million here) and input modalities; vLLM's max_model_len.
import Decimal from 'decimal.js';
import type { Pricing } from '../protocol';
import type { ProviderModel } from '../protocol/requests';
import { clientFor, type ClientTarget } from './client';
import { limitOfEntry } from './contextLimits';
import { toModelError } from './errors';

export const MODEL_LIST_TIMEOUT_MS = 15_000;

type Json = Record<string, unknown>;

/** A per-token price ("0.000003") as dollars per million tokens ("3"); anything else is not a price. */
function perMillion(v: unknown): string | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  try {
    const d = new Decimal(v);
    // OpenRouter's "-1" marks a price it does not know (a router model).
    return d.isNegative() || !d.isFinite() ? undefined : d.times(1_000_000).toFixed();
  } catch {
    return undefined;
  }
}

export function pricingOfEntry(entry: Json): Pricing | undefined {
  const p = entry.pricing as Json | undefined;
  if (!p || typeof p !== 'object') return undefined;
  const cost: Pricing = {
    input_price_per_million_tokens: perMillion(p.prompt),
    output_price_per_million_tokens: perMillion(p.completion),
    cache_read_price_per_million_tokens: perMillion(p.input_cache_read),
    cache_write_price_per_million_tokens: perMillion(p.input_cache_write),
  };
  const set = Object.fromEntries(Object.entries(cost).filter(([, v]) => v !== undefined)) as Pricing;
  return Object.keys(set).length ? set : undefined;
}

function imageInputOf(entry: Json): ProviderModel['image_input'] {
  const arch = entry.architecture as Json | undefined;
  const modalities = arch?.input_modalities ?? (entry as Json).input_modalities;
  if (Array.isArray(modalities)) return modalities.includes('image') ? 'yes' : 'no';
  if (typeof arch?.modality === 'string') return /image/.test(arch.modality.split('->')[0] ?? '') ? 'yes' : 'no';
  return 'unknown';
}

export function providerModelOf(entry: Json): ProviderModel {
  const top = entry.top_provider as Json | undefined;
  const maxOut = top?.max_completion_tokens;
  const cost = pricingOfEntry(entry);
  return {
    id: String(entry.id),
    ...(limitOfEntry(entry) ? { context_length: limitOfEntry(entry) } : {}),
    ...(typeof maxOut === 'number' && Number.isInteger(maxOut) && maxOut > 0 ? { max_output_tokens: maxOut } : {}),
    image_input: imageInputOf(entry),
    ...(cost ? { cost } : {}),
  };
}

/** The provider's models, sorted by id; a ModelError saying what went wrong otherwise. */
export async function listProviderModelDetails(target: ClientTarget): Promise<ProviderModel[]> {
  const client = clientFor(target, MODEL_LIST_TIMEOUT_MS);
  try {
    const seen = new Map<string, ProviderModel>();
    for await (const model of client.models.list()) if (!seen.has(model.id)) seen.set(model.id, providerModelOf(model as unknown as Json));
    return [...seen.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  } catch (err) {
    const base = target.baseUrl.replace(/\/+$/, '');
    throw toModelError(err, {
      model: '(model list)',
      baseUrl: target.baseUrl,
      notFoundMessage: `${target.baseUrl} has no model list (GET ${base}/models answered 404). Check the base URL; it usually ends in /v1.`,
    });
  }
}

/** Model ids served at `${baseUrl}/models`, sorted. */
export async function listProviderModels(baseUrl: string, apiKey: string | undefined): Promise<string[]> {
  return (await listProviderModelDetails({ baseUrl, apiKey })).map((m) => m.id);
}
