// The provider setup a new user goes through, and the provider made from the environment following it.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import * as P from '../../server/protocol';
import type { Chat, ModelConfig, Provider } from '../../server/protocol';
import { startFakeOpenAI } from '../fakes/fakeOpenAI';
import { freePort } from '../mcp/appHarness';
import { setupEnv, text, type Env } from './helpers';

let env: Env;
beforeEach(async () => { env = await setupEnv(); });
afterEach(async () => { await env.cleanup(); });

test('Test says in words what is wrong (wrong key, unknown model, nothing listening), then passes; Save makes the default', async () => {
  const s = await env.start({}, { OPENAI_BASE_URL: '', OPENAI_API_KEY: '', OPENAI_MODEL: '' });
  assert.deepEqual(await s.request(P.ListProviders, {}), [], 'a fresh install has no provider');
  const bad = await s.request<unknown, P.TestProviderResult>(P.TestProvider, { base_url: env.fake.url, api_key: 'wrong', model: 'fake-model' });
  assert.deepEqual([bad.ok, bad.status_code], [false, 401]);
  assert.match(bad.message, /rejected the API key \(401\)/);
  env.fake.setHandler((req) => (req.model === 'no-such-model' ? { kind: 'error', status: 404, message: 'The model does not exist' } : undefined));
  const unknown = await s.request<unknown, P.TestProviderResult>(P.TestProvider, { base_url: env.fake.url, api_key: 'test-key', model: 'no-such-model' });
  assert.match(unknown.message, /Model "no-such-model" was not found at .* \(404\)/);
  const closed = `http://127.0.0.1:${await freePort()}/v1`;
  const refused = await s.request<unknown, P.TestProviderResult>(P.TestProvider, { base_url: closed, model: 'x' });
  assert.equal(refused.message, `Could not reach ${closed}: connection refused: nothing answers there (is the server running, and is the port right?)`);
  await assert.rejects(s.request(P.TestProvider, { base_url: 'not a url', model: 'x' }), (e: { data?: { field?: string } }) => e.data?.field === 'base_url');
  const good = await s.request<unknown, P.TestProviderResult>(P.TestProvider, { base_url: env.fake.url, api_key: 'test-key', model: 'fake-model' });
  assert.equal(good.ok, true, good.message);
  assert.ok(!JSON.stringify([bad, unknown, good]).includes('test-key'), 'no key in a reply');

  const saved = await s.request<unknown, P.SetupProviderResult>(P.SetupProvider, { base_url: `${env.fake.url}/`, model: 'fake-model' });
  assert.equal(saved.model_config.is_default, true);
  assert.equal(saved.provider.base_url, env.fake.url);
  await s.request(P.SetProviderKey, { provider_id: saved.provider.id, api_key: 'test-key' });
  const again = await s.request<unknown, P.SetupProviderResult>(P.SetupProvider, { base_url: env.fake.url, model: 'fake-model' });
  assert.equal(again.provider.id, saved.provider.id, 'the same URL is the same provider');
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('hi') });
  await s.waitForStatus(chat.id, ['waiting']);
  await s.stop();
});

test('the provider from OPENAI_BASE_URL follows the environment from one run to the next; the old key does not travel', async () => {
  const first = await env.start();
  const c1 = await first.request<unknown, Chat>(P.CreateChat, { content: text('to the first provider') });
  await first.waitForStatus(c1.id, ['waiting']);
  await first.stop();
  // The environment now names another provider (say a local Ollama), with its own key and models.
  const other = await startFakeOpenAI({ apiKey: 'other-key' });
  other.models = ['llama3.2'];
  try {
    const s = await env.start({}, { OPENAI_BASE_URL: other.url, OPENAI_API_KEY: 'other-key', OPENAI_MODEL: '' });
    const providers = await s.request<unknown, Provider[]>(P.ListProviders, {});
    assert.deepEqual(providers.map((p) => [p.source, p.base_url]), [['env_preset', other.url]]);
    const def = (await s.request<unknown, ModelConfig[]>(P.ListModelConfigs, {})).find((m) => m.is_default);
    assert.equal(def?.model, 'llama3.2', 'a model the new provider offers');
    const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('to the new provider') });
    await s.waitForStatus(chat.id, ['waiting', 'error']);
    assert.equal((await s.request<unknown, Chat>(P.GetChat, { chat_id: chat.id })).status, 'waiting');
    assert.equal(other.requests.filter((r) => r.stream).length, 1, 'the turn went to the new URL');
    assert.equal(other.requests[0].headers.authorization, 'Bearer other-key');
    assert.equal(env.fake.requests.filter((r) => r.stream).length, 1, 'nothing more to the old one');
    // An old chat continues on the default now: its old model (fake-model) is not at the new URL.
    await s.stop();
  } finally {
    await other.close();
  }
});
