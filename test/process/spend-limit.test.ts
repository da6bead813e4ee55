// Spend limits through a real server and the fake provider: a turn over the daily (or monthly) limit sends
// nothing and ends with the notes' usage-limit error naming the limit and its reset; raising the limit lets
// the next turn run; the spend status and its notification follow every recorded request.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import * as P from '../../server/protocol';
import { UsageChangedNotification, type Chat, type ModelConfig } from '../../server/protocol';
import type { ModelRequestsPage, SpendStatus } from '../../server/protocol/usage';
import type { ServerHandle } from '../support/serverProcess';
import { setupEnv, text, type Env } from './helpers';

let env: Env;
beforeEach(async () => { env = await setupEnv(); });
afterEach(async () => { await env.cleanup(); });

/** 100k input × $2 + 50k output × $10 per million: $0.70 a turn. */
const USAGE = { prompt_tokens: 100_000, completion_tokens: 50_000 };
const TURN_MICROS = 700_000;

async function priced(s: ServerHandle): Promise<ModelConfig> {
  const [config] = await s.request<unknown, ModelConfig[]>(P.ListModelConfigs, {});
  return s.request<unknown, ModelConfig>(P.UpdateModelConfig, {
    model_config_id: config.id, options: { ...config.options, cost: { input_price_per_million_tokens: '2', output_price_per_million_tokens: '10' } },
  });
}
const settled = (s: ServerHandle, chatId: string) => (s.events.get(chatId) ?? []).filter((e) => e.type === 'status' && (e.status === 'waiting' || e.status === 'error')).length;
async function turn(s: ServerHandle, chatId: string, content: string): Promise<Chat> {
  const before = settled(s, chatId);
  await s.request(P.SendMessage, { chat_id: chatId, content: text(content) });
  await s.waitFor(() => settled(s, chatId) > before, 15_000, 'turn settled');
  return s.request<unknown, Chat>(P.GetChat, { chat_id: chatId });
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Non-streamed completions: titles (GET /models at start is not one). */
const titleRequests = () => env.fake.requests.filter((r) => !r.stream && r.path.endsWith('/chat/completions'));
const logged = async (s: ServerHandle) => (await s.request<unknown, ModelRequestsPage>(P.ListModelRequests, { limit: 500 })).requests;

test('over the daily limit a turn sends nothing and fails with "Chat usage limit exceeded." naming the limit and its reset; raising it lets the next run', async () => {
  const s = await env.start();
  const spends: Array<{ at: number; spend: SpendStatus }> = [];
  s.conn.onNotification(UsageChangedNotification.method, (p: { spend: SpendStatus }) => { spends.push({ at: Date.now(), spend: p.spend }); });
  await priced(s);
  await s.request(P.UpdateSettings, { spend_limits: { daily_usd: 0.5 } });
  env.fake.setHandler((req) => (req.stream ? { kind: 'text', text: 'a priced answer', usage: USAGE } : undefined));

  const first = await s.request<unknown, Chat>(P.CreateChat, { content: text('first') });
  await s.waitFor(() => settled(s, first.id) > 0, 15_000, 'first turn');
  assert.equal((await s.request<unknown, Chat>(P.GetChat, { chat_id: first.id })).status, 'waiting', 'under the limit the first turn runs');
  await s.waitFor(() => spends.some((n) => n.spend.today_micros >= TURN_MICROS), 5000, 'usage notification after the request');
  // The title would come after the turn, over the limit by then: the fallback title stays, nothing is sent.
  await sleep(500);
  assert.deepEqual(titleRequests(), []);
  assert.equal((await s.request<unknown, Chat>(P.GetChat, { chat_id: first.id })).title, 'first');
  const rows = await logged(s);
  assert.deepEqual(rows.map((r) => r.kind), ['chat']);

  const status = await s.request<unknown, SpendStatus>(P.GetSpendStatus, {});
  const spent = rows.reduce((n, r) => n + (r.cost_micros ?? 0), 0);
  assert.equal(spent, TURN_MICROS);
  assert.equal(status.today_micros, spent);
  assert.equal(status.month_micros, spent);
  const now = new Date();
  const nextMidnight = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).getTime();
  assert.deepEqual(status.exceeded, { period: 'day', limit_micros: 500_000, spent_micros: spent, resets_at: new Date(nextMidnight).toISOString() });
  assert.equal(spends.at(-1)?.spend.exceeded?.period, 'day', 'the notification carries the same status');

  const sent = env.fake.requests.length;
  const blocked = await turn(s, first.id, 'second');
  assert.equal(blocked.status, 'error');
  assert.equal(env.fake.requests.length, sent, 'no request reached the provider');
  assert.equal(blocked.last_error?.kind, 'usage_limit');
  assert.equal(blocked.last_error?.message, 'Chat usage limit exceeded.');
  assert.equal(blocked.last_error?.status_code, 409);
  const detail = blocked.last_error?.detail ?? '';
  assert.match(detail, /daily spend limit of \$0\.50 is reached/);
  assert.ok(detail.includes('($0.70 spent)'), detail);
  assert.ok(detail.includes(`resets at ${new Date(nextMidnight).toLocaleString()}`), detail);
  assert.match(detail, /localAgents\.usage\.dailySpendLimit/);
  assert.equal((await logged(s)).length, rows.length, 'and nothing was logged');
  // A new chat is blocked the same way, title included.
  const other = await s.request<unknown, Chat>(P.CreateChat, { content: text('new chat') });
  await s.waitFor(() => settled(s, other.id) > 0, 15_000, 'new chat settled');
  assert.equal((await s.request<unknown, Chat>(P.GetChat, { chat_id: other.id })).last_error?.kind, 'usage_limit');
  await sleep(300);
  assert.equal(env.fake.requests.length, sent, 'no title request either');

  await s.request(P.UpdateSettings, { spend_limits: { daily_usd: 5 } });
  assert.equal((await s.request<unknown, SpendStatus>(P.GetSpendStatus, {})).exceeded, null);
  const resumed = await turn(s, first.id, 'third');
  assert.equal(resumed.status, 'waiting', JSON.stringify(resumed.last_error));
  assert.equal(env.fake.requests.filter((r) => r.stream).length, 2);
  // At most one notification a second.
  for (let i = 1; i < spends.length; i++) assert.ok(spends[i].at - spends[i - 1].at >= 900, `notifications ${spends[i].at - spends[i - 1].at} ms apart`);
  await s.stop();
});

test('the monthly limit blocks the same way and says so, fractions of a cent shown; no limit (null) lets everything through', async () => {
  const s = await env.start({ settings: { spend_limits: { monthly_usd: 0.005 } } });
  await priced(s);
  env.fake.setHandler((req) => (req.stream ? { kind: 'text', text: 'priced', usage: USAGE } : { kind: 'title', title: 't' }));
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('one') });
  await s.waitFor(() => settled(s, chat.id) > 0, 15_000, 'first');
  const status = await s.request<unknown, SpendStatus>(P.GetSpendStatus, {});
  assert.equal(status.exceeded?.period, 'month');
  const now = new Date();
  assert.equal(status.exceeded?.resets_at, new Date(now.getFullYear(), now.getMonth() + 1, 1).toISOString());
  const blocked = await turn(s, chat.id, 'two');
  assert.equal(blocked.last_error?.message, 'Chat usage limit exceeded.');
  assert.match(blocked.last_error?.detail ?? '', /monthly spend limit of \$0\.005 is reached.*monthlySpendLimit/);
  await s.request(P.UpdateSettings, { spend_limits: { monthly_usd: null } });
  assert.deepEqual((await s.request<unknown, SpendStatus>(P.GetSpendStatus, {})).limits, []);
  assert.equal((await turn(s, chat.id, 'three')).status, 'waiting');
  await s.stop();
});
