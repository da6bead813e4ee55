import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeCostMicros } from './cost';
import type { ChatUsage } from '../protocol';

const usage = (u: Partial<ChatUsage>): ChatUsage => ({ input_tokens: null, output_tokens: null, total_tokens: null, reasoning_tokens: null, cache_read_tokens: null, cache_creation_tokens: null, ...u });

test('sub-micro total rounds up to 1', () => {
  assert.equal(computeCostMicros(usage({ input_tokens: 1 }), { input_price_per_million_tokens: '0.15' }), 1);
});
test('reasoning tokens included in output total', () => {
  assert.equal(computeCostMicros(usage({ output_tokens: 100, reasoning_tokens: 60 }), { output_price_per_million_tokens: '10' }), 1000);
});
test('usage only in unpriced categories returns nil', () => {
  assert.equal(computeCostMicros(usage({ cache_read_tokens: 500 }), { input_price_per_million_tokens: '1' }), null);
  assert.equal(computeCostMicros(usage({ input_tokens: 500 }), undefined), null);
});
test('a free model costs 0, not nil', () => {
  assert.equal(computeCostMicros(usage({ input_tokens: 500 }), { input_price_per_million_tokens: '0' }), 0);
});
test('a mixed example sums exactly and ceils once', () => {
  // 1000×0.5 + 200×1.5 + 3000×0.05 + 1000×1.0049 = 500 + 300 + 150 + 1004.9 = 1954.9 → 1955
  assert.equal(computeCostMicros(usage({ input_tokens: 1000, output_tokens: 200, cache_read_tokens: 3000, cache_creation_tokens: 1000 }), {
    input_price_per_million_tokens: '0.5', output_price_per_million_tokens: '1.5', cache_read_price_per_million_tokens: '0.05', cache_write_price_per_million_tokens: '1.0049',
  }), 1955);
  // Three components of 0.3 each: one ceil gives 1, three ceils would give 3.
  assert.equal(computeCostMicros(usage({ input_tokens: 1, output_tokens: 1, cache_read_tokens: 1 }), {
    input_price_per_million_tokens: '0.3', output_price_per_million_tokens: '0.3', cache_read_price_per_million_tokens: '0.3',
  }), 1);
});
test('a full mixed example totals 2005', () => {
  // 1000×1 + 500×2 + 100×0.05 = 1000 + 1000 + 5; reasoning (within output) is not added again.
  assert.equal(computeCostMicros(usage({ input_tokens: 1000, output_tokens: 500, reasoning_tokens: 200, cache_read_tokens: 100, cache_creation_tokens: 0 }), {
    input_price_per_million_tokens: '1', output_price_per_million_tokens: '2', cache_read_price_per_million_tokens: '0.05', cache_write_price_per_million_tokens: '3.75',
  }), 2005);
});
test('cache writes are priced at the cache-write price', () => {
  assert.equal(computeCostMicros(usage({ cache_creation_tokens: 2000 }), { cache_write_price_per_million_tokens: '3.75' }), 7500);
});
test('large counts stay exact', () => {
  // 123456789 × 0.000001 = 123.456789 → 124; floating point would drift here.
  assert.equal(computeCostMicros(usage({ input_tokens: 123_456_789 }), { input_price_per_million_tokens: '0.000001' }), 124);
});
