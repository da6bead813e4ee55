import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { makeTestContext, type TestContext } from '../testing/testContext';
import { createModelConfig, defaultModelConfig, deleteModelConfig, resolveTurnModel, updateModelConfig } from './modelConfigs';
import { createProvider, deleteProvider } from './providers';

let ctx: TestContext;
beforeEach(() => { ctx = makeTestContext({ withModel: false }); });
afterEach(() => ctx.close());

test('the first config is default; is_default moves the flag; a removed default promotes by provider, model, updated_at, id', () => {
  const p = createProvider(ctx.db, { provider: 'openai-compat', base_url: 'http://127.0.0.1:1/v1' }, ctx.now());
  const z = createModelConfig(ctx.db, { provider_id: p.id, model: 'zeta', context_limit: 10 }, ctx.now());
  assert.equal(defaultModelConfig(ctx.db)?.id, z.id);
  const a = createModelConfig(ctx.db, { provider_id: p.id, model: 'alpha', context_limit: 10 }, ctx.now());
  const m = createModelConfig(ctx.db, { provider_id: p.id, model: 'mid', context_limit: 10, is_default: true }, ctx.now());
  assert.equal(defaultModelConfig(ctx.db)?.id, m.id);
  assert.equal((ctx.db.prepare('SELECT COUNT(*) AS n FROM chat_model_configs WHERE is_default = 1').get() as { n: number }).n, 1);
  updateModelConfig(ctx.db, m.id, { is_default: false }, ctx.now());
  assert.equal(defaultModelConfig(ctx.db)?.id, a.id, 'first by model name, not the demoted one');
  deleteModelConfig(ctx.db, a.id, ctx.now());
  assert.equal(defaultModelConfig(ctx.db)?.id, m.id);
  assert.equal(resolveTurnModel(ctx.db, [a.id]).id, m.id, 'a deleted chat model falls back to the default');
  assert.equal(resolveTurnModel(ctx.db, [z.id]).id, z.id);
});

test('provider errors and soft deletes', () => {
  assert.throws(() => createModelConfig(ctx.db, { provider_id: 'missing', model: 'x', context_limit: 1 }, ctx.now()), /Chat provider is not configured\./);
  const p = createProvider(ctx.db, { provider: 'openai-compat', base_url: 'http://127.0.0.1:1/v1/' }, ctx.now());
  assert.equal(p.base_url, 'http://127.0.0.1:1/v1');
  // Two instances may share a base URL; their names are unique.
  const twin = createProvider(ctx.db, { provider: 'openai-compat', base_url: 'http://127.0.0.1:1/v1' }, ctx.now());
  assert.equal(twin.provider_name, 'OpenAI Compatible 2');
  assert.throws(() => createProvider(ctx.db, { provider: 'openai-compat', provider_name: 'OpenAI Compatible', base_url: 'http://127.0.0.1:2/v1' }, ctx.now()), /Chat provider already exists\./);
  deleteProvider(ctx.db, twin.id, ctx.now());
  const c = createModelConfig(ctx.db, { provider_id: p.id, model: 'x', context_limit: 1 }, ctx.now());
  assert.throws(() => createModelConfig(ctx.db, { provider_id: p.id, model: 'x', context_limit: 1 }, ctx.now()), /Chat model config already exists\./);
  deleteProvider(ctx.db, p.id, ctx.now());
  const row = ctx.db.prepare('SELECT deleted, is_default FROM chat_model_configs WHERE id = ?').get(c.id) as { deleted: number; is_default: number };
  assert.deepEqual(row, { deleted: 1, is_default: 0 }, 'configs are soft-deleted and still resolvable for history');
  assert.throws(() => resolveTurnModel(ctx.db, [c.id]), /no default chat model config is available/);
});

test('promotion takes a usable config before a disabled one', () => {
  const p = createProvider(ctx.db, { provider: 'openai-compat', provider_name: 'promote-usable', base_url: 'http://127.0.0.1:9/v1' }, ctx.now());
  const disabled = createModelConfig(ctx.db, { provider_id: p.id, model: 'aaa-disabled', context_limit: 1, enabled: false }, ctx.now());
  const usable = createModelConfig(ctx.db, { provider_id: p.id, model: 'mmm-usable', context_limit: 1 }, ctx.now());
  const current = createModelConfig(ctx.db, { provider_id: p.id, model: 'zzz-default', context_limit: 1, is_default: true }, ctx.now());
  deleteModelConfig(ctx.db, current.id, ctx.now());
  assert.equal(defaultModelConfig(ctx.db)?.id, usable.id, 'aaa-disabled sorts first but cannot run a turn');
  deleteModelConfig(ctx.db, usable.id, ctx.now());
  assert.equal(defaultModelConfig(ctx.db)?.id, disabled.id, 'with nothing usable left, the disabled one still becomes default');
});
