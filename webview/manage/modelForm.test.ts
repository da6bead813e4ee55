import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelConfig } from '../../server/protocol';
import { createParams, FieldError, formFromConfig, formFromListing, optionsOf, updateParams } from './modelForm';

const config = (over: Partial<ModelConfig> = {}): ModelConfig => ({
  id: 'm1', provider_id: 'p1', model: 'gpt-x', display_name: 'gpt-x', enabled: true, is_default: false, context_limit: 128000,
  options: { api: 'responses', compaction_threshold_percent: 80, cost: { input_price_per_million_tokens: '3' } }, deleted: false, created_at: '', updated_at: '', ...over,
});

test('a listed model starts with the prices, context and max output the list published', () => {
  const f = formFromListing({ id: 'or/model', context_length: 200000, max_output_tokens: 8192, image_input: 'yes', cost: { input_price_per_million_tokens: '3', output_price_per_million_tokens: '15' } });
  const p = createParams('p1', f);
  assert.equal(p.context_limit, 200000);
  assert.deepEqual(p.options, { max_output_tokens: 8192, image_input: 'yes', cost: { input_price_per_million_tokens: '3', output_price_per_million_tokens: '15' } });
});

test('no context limit given: 128k', () => {
  assert.equal(createParams('p1', formFromListing(undefined, 'local-model')).context_limit, 128000);
});

test('an edit keeps the options the form does not show and drops emptied fields', () => {
  const c = config();
  const f = { ...formFromConfig(c), prices: { ...formFromConfig(c).prices, input_price_per_million_tokens: '', output_price_per_million_tokens: '$0.60' }, reasoning_effort: 'high' as const };
  const p = updateParams(c, f);
  assert.deepEqual(p.options, { api: 'responses', compaction_threshold_percent: 80, cost: { output_price_per_million_tokens: '0.60' }, reasoning_effort: 'high', image_input: 'unknown' });
  assert.equal('context_limit' in p, false, 'an unchanged context limit is not sent (it would become the user\'s value)');
  assert.equal('is_default' in p, false);
});

test('all prices emptied: no cost at all (unpriced), not zeros', () => {
  const c = config();
  const f = formFromConfig(c);
  f.prices.input_price_per_million_tokens = '';
  assert.equal('cost' in optionsOf(f, c.options), false);
});

test('a number that is not one names its field', () => {
  const f = formFromConfig(config());
  f.context_limit = '12k';
  assert.throws(() => updateParams(config(), f), (e: unknown) => e instanceof FieldError && e.field === 'context_limit' && /whole number/.test(e.message));
  f.context_limit = '200,000';
  assert.equal(updateParams(config(), f).context_limit, 200000);
  f.max_output_tokens = '0';
  assert.throws(() => updateParams(config(), f), (e: unknown) => e instanceof FieldError && e.field === 'options.max_output_tokens');
});

test('a model id is required', () => {
  assert.throws(() => createParams('p1', formFromListing(undefined, ' ')), (e: unknown) => e instanceof FieldError && e.field === 'model');
});
