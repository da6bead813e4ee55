// The cost rules as a table: micro-dollars = Σ tokens × $/M per category, summed exactly, one ceil at the end;
// NULL when nothing priced was used (unknown), 0 when it was free; reasoning is inside output, never added.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeCostMicros } from './cost';
import type { ChatUsage, Pricing } from '../protocol';

const usage = (u: Partial<ChatUsage>): ChatUsage => ({ input_tokens: null, output_tokens: null, total_tokens: null, reasoning_tokens: null, cache_read_tokens: null, cache_creation_tokens: null, ...u });
const price = (input?: string, output?: string, cacheRead?: string, cacheWrite?: string): Pricing => ({
  ...(input !== undefined ? { input_price_per_million_tokens: input } : {}),
  ...(output !== undefined ? { output_price_per_million_tokens: output } : {}),
  ...(cacheRead !== undefined ? { cache_read_price_per_million_tokens: cacheRead } : {}),
  ...(cacheWrite !== undefined ? { cache_write_price_per_million_tokens: cacheWrite } : {}),
});

const CASES: Array<{ name: string; usage: Partial<ChatUsage>; pricing: Pricing | undefined; micros: number | null }> = [
  // One ceil after summing.
  { name: 'sub-micro total rounds up to 1', usage: { input_tokens: 1 }, pricing: price('0.15'), micros: 1 },
  { name: 'a price with many decimals on one token is still 1', usage: { output_tokens: 1 }, pricing: price(undefined, '0.0000001'), micros: 1 },
  { name: 'three components of 0.4 sum to 1.2 and ceil once to 2 (three ceils would give 3)', usage: { input_tokens: 1, output_tokens: 1, cache_read_tokens: 1 }, pricing: price('0.4', '0.4', '0.4'), micros: 2 },
  { name: 'three components of 0.3 ceil once to 1', usage: { input_tokens: 1, output_tokens: 1, cache_read_tokens: 1 }, pricing: price('0.3', '0.3', '0.3'), micros: 1 },
  { name: 'an exact integer is not rounded up', usage: { input_tokens: 1000 }, pricing: price('1'), micros: 1000 },
  { name: 'large counts stay exact (floating point would drift)', usage: { input_tokens: 123_456_789 }, pricing: price('0.000001'), micros: 124 },
  // NULL vs 0.
  { name: 'no pricing: unknown, null', usage: { input_tokens: 500, output_tokens: 10 }, pricing: undefined, micros: null },
  { name: 'pricing with no field set: null', usage: { input_tokens: 500 }, pricing: {}, micros: null },
  { name: 'a free model costs 0, not null', usage: { input_tokens: 500, output_tokens: 20 }, pricing: price('0', '0'), micros: 0 },
  { name: 'a free category beside an unpriced one: 0', usage: { input_tokens: 500, cache_read_tokens: 50 }, pricing: price('0'), micros: 0 },
  // Usage only where there is no price: null.
  { name: 'usage only in unpriced categories returns null', usage: { cache_read_tokens: 500 }, pricing: price('1'), micros: null },
  { name: 'priced categories with zero or unknown tokens: null', usage: { input_tokens: 0, output_tokens: null, cache_creation_tokens: 70 }, pricing: price('1', '2'), micros: null },
  // Cache tokens at their own prices, never the input price.
  { name: 'cache reads at the cache-read price', usage: { cache_read_tokens: 1000 }, pricing: price('5', undefined, '0.3'), micros: 300 },
  { name: 'cache writes at the cache-write price', usage: { cache_creation_tokens: 2000 }, pricing: price('5', undefined, undefined, '3.75'), micros: 7500 },
  { name: 'reads and writes priced separately beside input', usage: { input_tokens: 100, cache_read_tokens: 1000, cache_creation_tokens: 1000 }, pricing: price('5', undefined, '0.3', '3.75'), micros: 500 + 300 + 3750 },
  // Reasoning is part of output_tokens: priced once.
  { name: 'reasoning tokens included in the output total, not added again', usage: { output_tokens: 100, reasoning_tokens: 60 }, pricing: price(undefined, '10'), micros: 1000 },
  { name: 'reasoning alone (no output count) is not priced', usage: { reasoning_tokens: 60 }, pricing: price(undefined, '10'), micros: null },
  // Mixed.
  {
    name: 'a mixed example with a fractional cache-write price: 500 + 300 + 150 + 1004.9 = 1954.9 → 1955',
    usage: { input_tokens: 1000, output_tokens: 200, cache_read_tokens: 3000, cache_creation_tokens: 1000 }, pricing: price('0.5', '1.5', '0.05', '1.0049'), micros: 1955,
  },
  {
    // The seed's full mixed example totals 2005; these inputs give it: 1000 input × $1 = 1000, 500 output (200 of
    // them reasoning) × $2 = 1000, 100 cache reads × $0.05 = 5, no cache writes (priced at $3.75 but 0 tokens).
    name: 'the seed\'s full mixed example totals 2005',
    usage: { input_tokens: 1000, output_tokens: 500, reasoning_tokens: 200, cache_read_tokens: 100, cache_creation_tokens: 0 }, pricing: price('1', '2', '0.05', '3.75'), micros: 2005,
  },
];

for (const c of CASES) {
  test(c.name, () => {
    assert.equal(computeCostMicros(usage(c.usage), c.pricing), c.micros);
  });
}
