// Cost in integer micro-dollars. Prices are dollars per million tokens, so tokens × price is micro-dollars;
// the components are summed exactly (decimal.js) and rounded up once.
import Decimal from 'decimal.js';
import type { ChatUsage, Pricing } from '../protocol';

export function computeCostMicros(usage: ChatUsage, pricing: Pricing | undefined): number | null {
  if (!pricing) return null;
  // Reasoning tokens are part of output_tokens already; they are not added again.
  const parts: Array<[number | null, string | undefined]> = [
    [usage.input_tokens, pricing.input_price_per_million_tokens],
    [usage.output_tokens, pricing.output_price_per_million_tokens],
    [usage.cache_read_tokens, pricing.cache_read_price_per_million_tokens],
    [usage.cache_creation_tokens, pricing.cache_write_price_per_million_tokens],
  ];
  let total = new Decimal(0);
  let priced = false;
  for (const [tokens, price] of parts) {
    if (price === undefined || tokens === null || tokens === undefined || tokens === 0) continue;
    priced = true;
    total = total.plus(new Decimal(tokens).times(price));
  }
  return priced ? total.ceil().toNumber() : null;
}
