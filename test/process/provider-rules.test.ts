// The notes' provider and model-config rules through a real server over stdio and the fake provider: soft
// deletes in one transaction, old chats keeping their model, default promotion and its tie-breakers, the
// fallback to the default and the error without one, missing providers, configs that vanish under a second
// process, named instances sharing a URL, and Azure's dialect on the wire.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import Database from 'better-sqlite3';
import type { ResponseError } from 'vscode-jsonrpc/node';
import * as P from '../../server/protocol';
import type { Chat, ChatMessage, ModelConfig, Provider } from '../../server/protocol';
import type { ModelRequestsPage } from '../../server/protocol/usage';
import { dbQuery } from '../support/apiServer';
import type { ServerHandle } from '../support/serverProcess';
import { setupEnv, text, type Env } from './helpers';

let env: Env;
beforeEach(async () => { env = await setupEnv(); });
afterEach(async () => { await env.cleanup(); });

type AppErr = ResponseError<P.ErrorData>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const streamed = () => env.fake.requests.filter((r) => r.stream);

const configs = (s: ServerHandle) => s.request<unknown, ModelConfig[]>(P.ListModelConfigs, {});
const defaultOf = async (s: ServerHandle) => (await configs(s)).filter((m) => m.is_default);
const messages = async (s: ServerHandle, chatId: string) => (await s.request<unknown, P.MessagesPage>(P.GetMessages, { chat_id: chatId, limit: 200 })).messages;

async function provider(s: ServerHandle, p: Record<string, unknown>): Promise<Provider> {
  const created = await s.request<unknown, Provider>(P.CreateProvider, { provider: 'openai-compat', base_url: env.fake.url, ...p });
  await s.request(P.SetProviderKey, { provider_id: created.id, api_key: 'test-key' });
  return created;
}
const modelConfig = (s: ServerHandle, providerId: string, model: string, extra: Record<string, unknown> = {}) =>
  s.request<unknown, ModelConfig>(P.CreateModelConfig, { provider_id: providerId, model, context_limit: 32_000, ...extra });

/** Statuses a turn ends in, counted so a second turn is told apart from the first. */
const settled = (s: ServerHandle, chatId: string) => (s.events.get(chatId) ?? []).filter((e) => e.type === 'status' && (e.status === 'waiting' || e.status === 'error')).length;
async function chatTurn(s: ServerHandle, params: Record<string, unknown>): Promise<Chat> {
  const chat = await s.request<unknown, Chat>(P.CreateChat, params);
  await s.waitFor(() => settled(s, chat.id) > 0, 15_000, `chat ${chat.id} settled`);
  return s.request<unknown, Chat>(P.GetChat, { chat_id: chat.id });
}
async function sendTurn(s: ServerHandle, chatId: string, content: string): Promise<Chat> {
  const before = settled(s, chatId);
  await s.request(P.SendMessage, { chat_id: chatId, content: text(content) });
  await s.waitFor(() => settled(s, chatId) > before, 15_000, `chat ${chatId} settled again`);
  return s.request<unknown, Chat>(P.GetChat, { chat_id: chatId });
}

test('deleting a provider soft-deletes its model configs in one transaction; the old chat keeps its model; the next turn uses the default; with none it fails', async () => {
  const s = await env.start();
  const [envDefault] = await defaultOf(s);
  assert.equal(envDefault.model, 'fake-model');
  const second = await provider(s, { provider_name: 'second' });
  const b1 = await modelConfig(s, second.id, 'model-b1', { is_default: true });
  const b2 = await modelConfig(s, second.id, 'model-b2');
  const chat = await chatTurn(s, { content: text('on b1'), model_config_id: b1.id });
  assert.equal(chat.status, 'waiting');
  assert.equal(streamed().at(-1)?.model, 'model-b1');

  // One transaction: when the second statement (the configs) fails, the provider is not deleted either.
  const db = new Database(env.dbPath);
  db.exec("CREATE TRIGGER refuse_config_delete BEFORE UPDATE OF deleted ON chat_model_configs BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
  await assert.rejects(s.request(P.DeleteProvider, { provider_id: second.id }), /refused by the test/);
  assert.deepEqual(dbQuery(env.dbPath, 'SELECT deleted FROM chat_providers WHERE id = ?', second.id), [{ deleted: 0 }], 'rolled back with the configs');
  assert.deepEqual((await defaultOf(s)).map((m) => m.id), [b1.id]);
  db.exec('DROP TRIGGER refuse_config_delete');
  db.close();

  await s.request(P.DeleteProvider, { provider_id: second.id });
  const rows = dbQuery<{ id: string; deleted: number; is_default: number; updated_at: number }>(env.dbPath,
    'SELECT id, deleted, is_default, updated_at FROM chat_model_configs WHERE provider_id = ? ORDER BY model', second.id);
  assert.deepEqual(rows.map((r) => [r.id, r.deleted, r.is_default]), [[b1.id, 1, 0], [b2.id, 1, 0]], 'soft-deleted, kept for history');
  const [providerRow] = dbQuery<{ deleted: number; updated_at: number }>(env.dbPath, 'SELECT deleted, updated_at FROM chat_providers WHERE id = ?', second.id);
  assert.equal(providerRow.deleted, 1);
  assert.ok(rows.every((r) => r.updated_at === providerRow.updated_at), 'written at one instant, in one transaction');
  assert.deepEqual((await s.request<unknown, Provider[]>(P.ListProviders, {})).map((p) => p.id), [envDefault.provider_id]);
  assert.deepEqual((await configs(s)).map((m) => m.id), [envDefault.id], 'deleted configs are not listed');
  assert.deepEqual((await defaultOf(s)).map((m) => m.id), [envDefault.id], 'the default went with the provider and was re-promoted');

  // The old chat still resolves its model for reading.
  const old = await s.request<unknown, Chat>(P.GetChat, { chat_id: chat.id });
  assert.equal(old.last_model_config_id, b1.id);
  const before = await messages(s, chat.id);
  assert.deepEqual(before.map((m: ChatMessage) => [m.role, m.model_config_id]), [['user', b1.id], ['assistant', b1.id]]);

  // A new turn in it: the model is gone, the default answers.
  const again = await sendTurn(s, chat.id, 'and now?');
  assert.equal(again.status, 'waiting', JSON.stringify(again.last_error));
  assert.equal(streamed().at(-1)?.model, 'fake-model', 'the fake saw the default\'s model id');
  assert.equal((await messages(s, chat.id)).at(-1)?.model_config_id, envDefault.id);

  // No default at all: the turn fails with the notes' message and sends nothing.
  await s.request(P.DeleteProvider, { provider_id: envDefault.provider_id });
  assert.deepEqual(await configs(s), []);
  const sent = env.fake.requests.length;
  const failed = await sendTurn(s, chat.id, 'anyone?');
  assert.equal(failed.status, 'error');
  assert.equal(failed.last_error?.message, 'no default chat model config is available');
  assert.equal(env.fake.requests.length, sent, 'no request without a model');
  await assert.rejects(s.request(P.CreateChat, { content: text('new chat') }),
    (e: AppErr) => e.data?.status === 400 && e.message === 'no default chat model config is available');
  await s.stop();
});

test('default promotion: provider ASC, then model ASC, then updated_at DESC, then id DESC', async () => {
  const s = await env.start();
  const [first] = await defaultOf(s);
  // Provider types sort azure < openai < openai-compat; models inside a type by name; the same model of
  // several providers of one type by the latest change, then by id.
  const azure = await provider(s, { provider: 'azure', provider_name: 'az', base_url: new URL(env.fake.url).origin });
  const openai = await provider(s, { provider: 'openai', provider_name: 'oa', base_url: 'https://api.openai.com/v1' });
  const c2 = await provider(s, { provider_name: 'compat-2' });
  const c3 = await provider(s, { provider_name: 'compat-3' });
  const c4 = await provider(s, { provider_name: 'compat-4' });
  const zzz = await modelConfig(s, azure.id, 'zzz-azure');
  const zzOpenai = await modelConfig(s, openai.id, 'zz-openai');
  const aFirst = await modelConfig(s, c2.id, 'a-first');
  const same2 = await modelConfig(s, c2.id, 'b-same');
  const same3 = await modelConfig(s, c3.id, 'b-same');
  const same4 = await modelConfig(s, c4.id, 'b-same');
  await sleep(5);
  // The newest change among the three b-same configs.
  await s.request(P.UpdateModelConfig, { model_config_id: same3.id, display_name: 'B (compat-3)' });

  const promotedAfterDeleting = async (id: string) => {
    await s.request(P.DeleteModelConfig, { model_config_id: id });
    const defaults = await defaultOf(s);
    assert.equal(defaults.length, 1, 'exactly one default');
    return defaults[0].id;
  };
  assert.equal(await promotedAfterDeleting(first.id), zzz.id, 'provider ASC: azure before openai-compat, whatever the model name');
  assert.equal(await promotedAfterDeleting(zzz.id), zzOpenai.id, 'provider ASC: openai before openai-compat');
  assert.equal(await promotedAfterDeleting(zzOpenai.id), aFirst.id, 'model ASC inside a provider type');
  assert.equal(await promotedAfterDeleting(aFirst.id), same3.id, 'updated_at DESC among the same model');
  // A tie in updated_at (written by another process on the same file): the greater id wins.
  const db = new Database(env.dbPath);
  db.prepare('UPDATE chat_model_configs SET updated_at = 1000 WHERE id IN (?, ?)').run(same2.id, same4.id);
  db.close();
  const byId = [same2.id, same4.id].sort().at(-1);
  assert.equal(await promotedAfterDeleting(same3.id), byId, 'id DESC breaks the last tie');
  // Demoting the default by hand promotes another, never the demoted one.
  const other = byId === same2.id ? same4.id : same2.id;
  await s.request(P.UpdateModelConfig, { model_config_id: byId, is_default: false });
  assert.deepEqual((await defaultOf(s)).map((m) => m.id), [other]);
  await s.stop();
});

test('a model config against a missing provider: 400 "Chat provider is not configured." on provider_id, on create and on update', async () => {
  const s = await env.start();
  const [def] = await defaultOf(s);
  const isNotConfigured = (e: AppErr) => e.data?.status === 400 && e.data.field === 'provider_id' && e.message === 'Chat provider is not configured.';
  await assert.rejects(modelConfig(s, 'no-such-provider', 'x'), isNotConfigured);
  const gone = await provider(s, { provider_name: 'gone' });
  await s.request(P.DeleteProvider, { provider_id: gone.id });
  await assert.rejects(modelConfig(s, gone.id, 'x'), isNotConfigured, 'a deleted provider is not configured either');
  await assert.rejects(s.request(P.UpdateModelConfig, { model_config_id: def.id, provider_id: gone.id }), isNotConfigured);
  await assert.rejects(s.request(P.UpdateModelConfig, { model_config_id: def.id, provider_id: 'no-such-provider' }), isNotConfigured);
  // Nothing changed; a live provider is accepted and the config moves to it.
  const [unchanged] = await configs(s);
  assert.equal(unchanged.provider_id, def.provider_id);
  const live = await provider(s, { provider_name: 'live' });
  const moved = await s.request<unknown, ModelConfig>(P.UpdateModelConfig, { model_config_id: def.id, provider_id: live.id });
  assert.equal(moved.provider_id, live.id);
  await modelConfig(s, def.provider_id, 'fake-model');
  await assert.rejects(s.request(P.UpdateModelConfig, { model_config_id: moved.id, provider_id: def.provider_id }),
    (e: AppErr) => e.data?.status === 409 && e.message === 'Chat model config already exists.', 'moving onto a provider that has the model is a conflict');
  await s.stop();
});

test('a config or provider that vanished under a second server on the same file: 404 not found, never 500', async () => {
  const a = await env.start();
  const b = await env.start();
  const [def] = await defaultOf(a);
  const other = await modelConfig(a, def.provider_id, 'fake-model-large');
  const seen = await configs(a);
  assert.equal(seen.length, 2);
  // A read it, B deletes it, A updates what it read.
  await b.request(P.DeleteModelConfig, { model_config_id: other.id });
  const isNotFound = (e: AppErr) => e.data?.status === 404 && e.message === 'Chat model config not found.';
  await assert.rejects(a.request(P.UpdateModelConfig, { model_config_id: other.id, display_name: 'renamed' }), isNotFound);
  await assert.rejects(a.request(P.UpdateModelConfig, { model_config_id: other.id, context_limit: 9000 }), isNotFound, 'the context-limit path too');
  await assert.rejects(a.request(P.UpdateModelConfig, { model_config_id: other.id, is_default: true }), isNotFound);
  await assert.rejects(a.request(P.DeleteModelConfig, { model_config_id: other.id }), isNotFound);
  // Its provider, likewise.
  const extra = await provider(a, { provider_name: 'extra' });
  await b.request(P.DeleteProvider, { provider_id: extra.id });
  const providerGone = (e: AppErr) => e.data?.status === 404 && e.message === 'Chat provider not found.';
  await assert.rejects(a.request(P.UpdateProvider, { provider_id: extra.id, display_name: 'x' }), providerGone);
  await assert.rejects(a.request(P.SetProviderKey, { provider_id: extra.id, api_key: 'k' }), providerGone);
  await assert.rejects(a.request(P.DeleteProvider, { provider_id: extra.id }), providerGone);
  assert.doesNotMatch(a.stderr() + b.stderr(), /failed/, 'no request failed with an internal error');
  await b.stop();
  await a.stop();
});

test('named instances: two providers of one type share a base URL and both answer; a taken provider_name is 409 naming it', async () => {
  const s = await env.start();
  const labA = await provider(s, { provider_name: 'lab-a' });
  const labB = await provider(s, { provider_name: 'lab-b' });
  assert.equal(labA.base_url, labB.base_url);
  const ma = await modelConfig(s, labA.id, 'model-a');
  const mb = await modelConfig(s, labB.id, 'model-b');
  const chatA = await chatTurn(s, { content: text('to a'), model_config_id: ma.id });
  const chatB = await chatTurn(s, { content: text('to b'), model_config_id: mb.id });
  assert.deepEqual([chatA.status, chatB.status], ['waiting', 'waiting']);
  assert.deepEqual(streamed().map((r) => r.model), ['model-a', 'model-b']);
  const logged = await s.request<unknown, ModelRequestsPage>(P.ListModelRequests, { kind: 'chat' });
  assert.deepEqual(logged.requests.map((r) => [r.chat_id, r.provider_name, r.model]).reverse(), [[chatA.id, 'lab-a', 'model-a'], [chatB.id, 'lab-b', 'model-b']]);

  const taken = (e: AppErr) => e.data?.status === 409 && e.data.field === 'provider_name' && e.message === 'Chat provider already exists.' && /"lab-a"/.test(e.data.detail ?? '');
  await assert.rejects(s.request(P.CreateProvider, { provider: 'openai', provider_name: 'lab-a', base_url: 'https://api.openai.com/v1' }), taken);
  await assert.rejects(s.request(P.UpdateProvider, { provider_id: labB.id, provider_name: 'lab-a' }), taken);
  assert.equal((await s.request<unknown, Provider[]>(P.ListProviders, {})).filter((p) => p.provider_name === 'lab-a').length, 1);
  // A deleted instance's name is free again.
  await s.request(P.DeleteProvider, { provider_id: labA.id });
  const reborn = await s.request<unknown, Provider>(P.CreateProvider, { provider: 'openai-compat', provider_name: 'lab-a', base_url: env.fake.url });
  assert.equal(reborn.provider_name, 'lab-a');
  await s.stop();
});

test('Azure OpenAI: the turn goes to /openai/deployments/<deployment>/chat/completions?api-version=<v> with the api-key header', async () => {
  const s = await env.start();
  const azure = await provider(s, { provider: 'azure', provider_name: 'azure-east', base_url: new URL(env.fake.url).origin, options: { api_version: '2024-06-01' } });
  const config = await modelConfig(s, azure.id, 'gpt-4o-mini', { options: { deployment: 'chat-deploy' } });
  const chat = await chatTurn(s, { content: text('hello azure'), model_config_id: config.id });
  assert.equal(chat.status, 'waiting', JSON.stringify(chat.last_error));
  const [step] = streamed();
  assert.equal(step.path, '/openai/deployments/chat-deploy/chat/completions');
  assert.equal(step.query['api-version'], '2024-06-01');
  assert.equal(step.headers['api-key'], 'test-key');
  assert.equal(step.headers.authorization, undefined, 'the key is not sent as a bearer token');
  const reply = (await messages(s, chat.id)).at(-1);
  assert.deepEqual(reply?.content, [{ type: 'text', text: 'Hello from test server.' }]);
  // The log names the model, not the deployment, so prices and usage group by model.
  const logged = await s.request<unknown, ModelRequestsPage>(P.ListModelRequests, { chat_id: chat.id, kind: 'chat' });
  assert.deepEqual(logged.requests.map((r) => [r.provider, r.provider_name, r.model]), [['azure', 'azure-east', 'gpt-4o-mini']]);

  // Without an api_version the SDK's default is named; a wrong key is Azure's 401.
  await s.request(P.UpdateProvider, { provider_id: azure.id, options: {} });
  await s.request(P.SetProviderKey, { provider_id: azure.id, api_key: 'wrong-key' });
  const refused = await sendTurn(s, chat.id, 'again');
  assert.equal(refused.status, 'error');
  assert.equal(refused.last_error?.status_code, 401);
  assert.match(streamed().at(-1)!.query['api-version'], /^\d{4}-\d{2}-\d{2}/);
  await s.stop();
});
