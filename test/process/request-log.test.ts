// The request log through a real server and the fake provider: one row per attempt of every kind of model
// request (chat steps, titles, compaction, subagents, MCP sampling), retries, time to first token, cost from
// the config's prices, the link to the assistant message, the masked credential; the list's filters and pages;
// the usage summary's sums; local days in the server's time zone.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, test } from 'node:test';
import Database from 'better-sqlite3';
import * as P from '../../server/protocol';
import type { Chat, ChatMessage, McpServerConfig, ModelConfig } from '../../server/protocol';
import type { CostSummaryResult, ModelRequest, ModelRequestsPage } from '../../server/protocol/usage';
import { startFakeOpenAI, type CapturedRequest, type FakeOpenAI, type FakeReply } from '../fakes/fakeOpenAI';
import { EVERYTHING } from '../mcp/appHarness';
import type { ServerHandle } from '../support/serverProcess';
import { setupEnv, text, type Env } from './helpers';

const KEY = `sk-proj-${randomUUID().replace(/-/g, '')}`;
let env: Env;
let fake: FakeOpenAI;
beforeEach(async () => {
  env = await setupEnv();
  fake = await startFakeOpenAI({ apiKey: KEY });
});
afterEach(async () => {
  await env.cleanup();
  await fake.close();
});

const start = (tz?: string) => env.start({}, { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: KEY, OPENAI_MODEL: 'fake-model', ...(tz ? { TZ: tz } : {}) });
const PRICES = { input_price_per_million_tokens: '2', output_price_per_million_tokens: '10', cache_read_price_per_million_tokens: '0.5' };
const USAGE = { prompt_tokens: 1000, completion_tokens: 500, cached_tokens: 200 };
/** 800 uncached input × $2 + 500 output × $10 + 200 cache reads × $0.5, per million: micro-dollars. */
const STEP_COST = 800 * 2 + 500 * 10 + 200 * 0.5;
/** The fake's non-streamed answers report 5 prompt and 3 completion tokens. */
const SMALL_COST = 5 * 2 + 3 * 10;

async function priceDefault(s: ServerHandle): Promise<ModelConfig> {
  const [config] = (await s.request<unknown, ModelConfig[]>(P.ListModelConfigs, {})).filter((m) => m.is_default);
  return s.request<unknown, ModelConfig>(P.UpdateModelConfig, { model_config_id: config.id, options: { ...config.options, cost: PRICES } });
}
const list = async (s: ServerHandle, params: Record<string, unknown> = {}) => (await s.request<unknown, ModelRequestsPage>(P.ListModelRequests, { limit: 500, ...params })).requests;
const messages = async (s: ServerHandle, chatId: string) => (await s.request<unknown, P.MessagesPage>(P.GetMessages, { chat_id: chatId, limit: 200 })).messages;
const settled = (s: ServerHandle, chatId: string) => (s.events.get(chatId) ?? []).filter((e) => e.type === 'status' && (e.status === 'waiting' || e.status === 'error')).length;
async function untilSettled(s: ServerHandle, chatId: string, before = 0): Promise<void> {
  await s.waitFor(() => settled(s, chatId) > before, 20_000, `chat ${chatId} settled`);
}
async function waitForRows(s: ServerHandle, params: Record<string, unknown>, n: number): Promise<ModelRequest[]> {
  let rows: ModelRequest[] = [];
  const deadline = Date.now() + 10_000;
  while ((rows = await list(s, params)).length < n) {
    if (Date.now() > deadline) throw new Error(`expected ${n} rows for ${JSON.stringify(params)}, got ${rows.length}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return rows;
}
const wire = (r: CapturedRequest) => JSON.stringify(r.messages ?? r.input);
const endsWithToolResult = (r: CapturedRequest) => (r.messages?.at(-1) as { role?: string } | undefined)?.role === 'tool';
const call = (name: string, args: unknown): FakeReply => ({ kind: 'tools', calls: [{ name, args: JSON.stringify(args) }], usage: USAGE });
const sum = (rows: ModelRequest[], k: 'cost_micros' | 'input_tokens' | 'output_tokens' | 'cache_read_input_tokens') => rows.reduce((a, r) => a + (r[k] ?? 0), 0);

function assertHint(rows: ModelRequest[]): void {
  for (const r of rows) {
    assert.equal(r.credential_kind, 'centralized', 'the key came from the environment');
    assert.equal(r.credential_hint, `…${KEY.slice(-4)}`);
    assert.ok(r.credential_hint!.length <= 5 && !r.credential_hint!.includes(KEY.slice(0, 8)));
  }
}

test('chat steps, the title and a compaction are logged with their kind, cost from the prices, ttft, the message they made and a masked key', async () => {
  const s = await start();
  const config = await priceDefault(s);
  fake.setHandler((req) => (!req.stream && /compact the history/i.test(wire(req)) ? { kind: 'text', text: '## Goal\nsummary' } : undefined));
  fake.enqueue(call('read_file', { path: 'README.md' }), { kind: 'text', text: 'It says hello.', usage: USAGE, firstChunkDelayMs: 60 });
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('what does the README say?'), permission_mode: 'bypass' });
  await untilSettled(s, chat.id);
  const title = await waitForRows(s, { chat_id: chat.id, kind: 'title' }, 1);
  await s.request(P.CompactChat, { chat_id: chat.id });

  const rows = await list(s, { chat_id: chat.id });
  assert.deepEqual(rows.map((r) => r.kind).sort(), ['chat', 'chat', 'compaction', 'title']);
  assert.ok(rows.every((r) => r.outcome === 'ok' && r.attempt === 1 && r.error === null && r.session_key === chat.id), JSON.stringify(rows));
  assert.ok(rows.every((r) => r.provider === 'openai-compat' && r.model === 'fake-model' && r.status_code === 200));
  assertHint(rows);

  // Each step's row belongs to the assistant message the step made, with the same cost.
  const steps = rows.filter((r) => r.kind === 'chat').reverse();
  const assistants = (await messages(s, chat.id)).filter((m: ChatMessage) => m.role === 'assistant');
  assert.deepEqual(steps.map((r) => r.message_id), assistants.map((m) => m.id));
  assert.deepEqual(steps.map((r) => r.cost_micros), [STEP_COST, STEP_COST]);
  assert.deepEqual(assistants.map((m) => m.total_cost_micros), [STEP_COST, STEP_COST]);
  assert.deepEqual(steps.map((r) => [r.input_tokens, r.output_tokens, r.cache_read_input_tokens]), [[800, 500, 200], [800, 500, 200]]);
  // Streamed steps have a time to first token; the second waited 60 ms for its first chunk.
  assert.ok(steps.every((r) => r.ttft_ms !== null && r.duration_ms !== null && r.ttft_ms <= r.duration_ms), JSON.stringify(steps));
  assert.ok(steps[1].ttft_ms! >= 50, `ttft ${steps[1].ttft_ms}`);
  // Titles and summaries are not streamed and belong to no message.
  const [compaction] = rows.filter((r) => r.kind === 'compaction');
  assert.deepEqual([title[0].message_id, compaction.message_id], [null, null]);
  assert.deepEqual([title[0].cost_micros, compaction.cost_micros], [SMALL_COST, SMALL_COST]);

  // Unpriced: NULL, not 0.
  await s.request(P.UpdateModelConfig, { model_config_id: config.id, options: { ...config.options, cost: undefined } });
  await s.request(P.SendMessage, { chat_id: chat.id, content: text('unpriced now') });
  await untilSettled(s, chat.id, 1);
  const [unpriced] = await list(s, { chat_id: chat.id, kind: 'chat', limit: 1 });
  assert.equal(unpriced.cost_micros, null);
  assert.equal((await messages(s, chat.id)).at(-1)?.total_cost_micros, null);
  assert.ok(!JSON.stringify(await list(s)).includes(KEY), 'the key is in no row');
  await s.stop();
});

test('a 429 then success: one row retried (rate_limit, attempt 1) and one ok (attempt 2), both on the step\'s message', async () => {
  const s = await start();
  await priceDefault(s);
  fake.enqueue({ kind: 'error', status: 429, message: 'Rate limit reached', retryAfter: '0' }, { kind: 'text', text: 'after the retry', usage: USAGE });
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('hi') });
  await untilSettled(s, chat.id);
  const rows = (await list(s, { chat_id: chat.id, kind: 'chat' })).reverse();
  assert.deepEqual(rows.map((r) => [r.outcome, r.error_kind, r.attempt, r.status_code]), [['retried', 'rate_limit', 1, 429], ['ok', null, 2, 200]]);
  assert.match(rows[0].error ?? '', /Rate limit reached/);
  assert.deepEqual(rows.map((r) => r.cost_micros), [null, STEP_COST], 'the refused attempt had no usage');
  const [assistant] = (await messages(s, chat.id)).filter((m) => m.role === 'assistant');
  assert.deepEqual(rows.map((r) => r.message_id), [assistant.id, assistant.id]);
  assert.deepEqual((await list(s, { outcome: 'retried' })).map((r) => r.id), [rows[0].id]);
  await s.stop();
});

test('a client session key groups the chat\'s requests; a chat without one is its own session; an empty key is refused', async () => {
  const s = await start();
  fake.enqueue({ kind: 'text', text: 'one', usage: USAGE }, { kind: 'text', text: 'two', usage: USAGE });
  const keyed = await s.request<unknown, Chat>(P.CreateChat, { content: text('hi'), session_key: 'bot-run-42' });
  await untilSettled(s, keyed.id);
  const plain = await s.request<unknown, Chat>(P.CreateChat, { content: text('hi') });
  await untilSettled(s, plain.id);
  const keyedRows = await list(s, { chat_id: keyed.id, kind: 'chat' });
  const plainRows = await list(s, { chat_id: plain.id, kind: 'chat' });
  assert.ok(keyedRows.length > 0 && plainRows.length > 0);
  assert.deepEqual([...new Set(keyedRows.map((r) => r.session_key))], ['bot-run-42']);
  assert.deepEqual([...new Set(plainRows.map((r) => r.session_key))], [plain.id]);
  await assert.rejects(s.request(P.CreateChat, { content: text('hi'), session_key: ' ' }), /session_key must not be empty/);
  await s.stop();
});

test('a subagent\'s steps: its own chat_id, the root chat as session; the root chat\'s filter and cost include them', async () => {
  const s = await start();
  await priceDefault(s);
  let childId = '';
  let parentStep = 0;
  fake.setHandler((req) => {
    if (!req.stream) return undefined;
    const system = String((req.messages?.[0] as { content?: string } | undefined)?.content ?? '');
    if (system.includes('subagent working for another agent')) return { kind: 'text', text: 'child report', usage: USAGE };
    parentStep++;
    if (parentStep === 1) return call('spawn_agent', { type: 'general', prompt: 'look around', title: 'Looker' });
    if (parentStep === 2) {
      childId = /"chat_id":"([^"]+)"/.exec(String((req.messages?.at(-1) as { content?: string }).content))![1];
      return call('wait_agent', { chat_id: childId, timeout_seconds: 20 });
    }
    return { kind: 'text', text: 'parent done', usage: USAGE };
  });
  const parent = await s.request<unknown, Chat>(P.CreateChat, { content: text('delegate') });
  await s.waitFor(() => (s.events.get(parent.id) ?? []).some((e) => e.type === 'message' && JSON.stringify(e.message.content).includes('parent done')), 30_000, 'parent done');
  await untilSettled(s, parent.id);
  await waitForRows(s, { chat_id: parent.id, kind: 'title' }, 1);

  const all = await list(s, { chat_id: parent.id });
  const child = all.filter((r) => r.chat_id === childId);
  assert.equal(child.length, 1, 'the subagent\'s step is in its root chat\'s list');
  assert.deepEqual([child[0].kind, child[0].session_key], ['chat', parent.id]);
  assert.ok(all.every((r) => r.session_key === parent.id));
  assert.deepEqual((await list(s, { chat_id: childId })).map((r) => r.id), [child[0].id], 'the child alone');
  // Per chat, the subagent's cost counts for the root chat: one row, the sum of both.
  const byChat = await s.request<unknown, CostSummaryResult>(P.CostSummary, { group_by: 'chat' });
  assert.deepEqual(byChat.rows.map((r) => [r.key, r.total_cost_micros, r.requests]), [[parent.id, sum(all, 'cost_micros'), all.length]]);
  const ofParent = await s.request<unknown, CostSummaryResult>(P.CostSummary, { group_by: 'chat', chat_id: parent.id });
  assert.deepEqual(Object.fromEntries(ofParent.rows.map((r) => [r.key, r.total_cost_micros])), {
    [parent.id]: sum(all.filter((r) => r.chat_id === parent.id), 'cost_micros'), [childId]: STEP_COST,
  });
  await s.stop();
});

test('MCP sampling is logged as kind sampling for the chat the server works for', async () => {
  const s = await start();
  await priceDefault(s);
  const sampler = await s.request<unknown, McpServerConfig>(P.CreateMcpServer, {
    slug: 'sampler', display_name: 'Sampler', transport: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'], enabled: true, sampling_enabled: true,
  });
  fake.setHandler((req) => {
    if (!req.stream) return /Say something sampled/.test(wire(req)) ? { kind: 'text', text: 'A sampled answer.' } : undefined;
    if (endsWithToolResult(req)) return { kind: 'text', text: 'sampling done', usage: USAGE };
    return call('sampler__trigger-sampling-request', { prompt: 'Say something sampled', maxTokens: 42 });
  });
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('sample please'), mcp_server_ids: [sampler.id], permission_mode: 'bypass' });
  await untilSettled(s, chat.id);
  const tool = (await messages(s, chat.id)).find((m) => m.role === 'tool');
  assert.match(JSON.stringify(tool?.content), /A sampled answer\./, 'the server got the model\'s answer');
  const [row] = await list(s, { chat_id: chat.id, kind: 'sampling' });
  assert.ok(row, 'a sampling row');
  assert.deepEqual([row.chat_id, row.session_key, row.outcome, row.model, row.cost_micros, row.message_id], [chat.id, chat.id, 'ok', 'fake-model', SMALL_COST, null]);
  assertHint([row]);
  await s.stop();
});

test('filters (chat, model, outcome, dates) and pages; the summary per day, model and chat adds up to the log, soft-deleted messages included', async () => {
  const s = await start();
  const small = await priceDefault(s);
  const [envProvider] = await s.request<unknown, P.Provider[]>(P.ListProviders, {});
  const large = await s.request<unknown, ModelConfig>(P.CreateModelConfig, {
    provider_id: envProvider.id, model: 'fake-model-large', context_limit: 64_000, options: { cost: { input_price_per_million_tokens: '3', output_price_per_million_tokens: '15' } },
  });
  fake.setHandler((req) => (req.stream ? { kind: 'text', text: `answer from ${req.model}`, usage: USAGE } : undefined));
  const a = await s.request<unknown, Chat>(P.CreateChat, { content: text('first') });
  await untilSettled(s, a.id);
  const b = await s.request<unknown, Chat>(P.CreateChat, { content: text('second'), model_config_id: large.id });
  await untilSettled(s, b.id);
  await waitForRows(s, { kind: 'title' }, 2);
  // An edit soft-deletes the first exchange of chat a; its requests still count.
  const [firstUser] = await messages(s, a.id);
  await s.request(P.EditMessage, { chat_id: a.id, message_id: firstUser.id, content: text('first, edited') });
  await untilSettled(s, a.id, 1);
  const visible = await messages(s, a.id);
  assert.equal(visible.filter((m) => m.role === 'assistant').length, 1, 'the old answer is hidden');

  const all = await list(s);
  assert.equal(all.length, 5, JSON.stringify(all.map((r) => [r.chat_id, r.kind])));
  assert.deepEqual(all.map((r) => r.id), [...all.map((r) => r.id)].sort((x, y) => y - x), 'newest first');
  assert.deepEqual(new Set((await list(s, { chat_id: a.id })).map((r) => r.chat_id)), new Set([a.id]));
  assert.equal((await list(s, { chat_id: a.id, kind: 'chat' })).length, 2, 'both answers of chat a, the edited-away one too');
  assert.deepEqual((await list(s, { model: 'fake-model-large' })).map((r) => r.chat_id), [b.id, b.id]);
  assert.equal((await list(s, { outcome: 'ok' })).length, 5);
  assert.deepEqual(await list(s, { outcome: 'error' }), []);
  const today = (await s.request<unknown, CostSummaryResult>(P.CostSummary, { group_by: 'day' })).to;
  assert.equal((await list(s, { from: today, to: today })).length, 5);
  const yesterday = new Date(Date.parse(`${today}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  assert.deepEqual(await list(s, { from: yesterday, to: yesterday }), []);
  await assert.rejects(s.request(P.ListModelRequests, { from: today, to: yesterday }), (e: { data?: P.ErrorData }) => e.data?.field === 'from');
  // Pages of 2 with before_id: every row once, in order, and the end says so.
  const paged: number[] = [];
  let before: number | undefined;
  for (let page = 0; page < 5; page++) {
    const r = await s.request<unknown, ModelRequestsPage>(P.ListModelRequests, { limit: 2, ...(before ? { before_id: before } : {}) });
    paged.push(...r.requests.map((x) => x.id));
    if (r.next_before_id === null) break;
    before = r.next_before_id;
  }
  assert.deepEqual(paged, all.map((r) => r.id));

  // The summary's sums are the log's sums.
  const byDay = await s.request<unknown, CostSummaryResult>(P.CostSummary, { group_by: 'day', from: today, to: today });
  assert.deepEqual(byDay.rows.map((r) => [r.key, r.total_cost_micros, r.requests, r.input_tokens, r.output_tokens, r.cache_read_tokens]),
    [[today, sum(all, 'cost_micros'), 5, sum(all, 'input_tokens'), sum(all, 'output_tokens'), sum(all, 'cache_read_input_tokens')]]);
  assert.equal(byDay.total.total_cost_micros, sum(all, 'cost_micros'));
  const byModel = await s.request<unknown, CostSummaryResult>(P.CostSummary, { group_by: 'model', from: today, to: today });
  const ofModel = (m: string) => all.filter((r) => r.model === m);
  assert.deepEqual(byModel.rows.map((r) => [r.key, r.total_cost_micros, r.requests]).sort(),
    [['fake-model', sum(ofModel('fake-model'), 'cost_micros'), 3], ['fake-model-large', sum(ofModel('fake-model-large'), 'cost_micros'), 2]]);
  const byChat = await s.request<unknown, CostSummaryResult>(P.CostSummary, { group_by: 'chat', from: today, to: today });
  const ofChat = (id: string) => all.filter((r) => r.chat_id === id);
  assert.deepEqual(Object.fromEntries(byChat.rows.map((r) => [r.key, r.total_cost_micros])), { [a.id]: sum(ofChat(a.id), 'cost_micros'), [b.id]: sum(ofChat(b.id), 'cost_micros') });
  const visibleCost = visible.reduce((n, m) => n + (m.total_cost_micros ?? 0), 0);
  assert.ok(sum(ofChat(a.id), 'cost_micros') > visibleCost, 'the soft-deleted answer still counts');
  assert.equal(small.options.cost?.input_price_per_million_tokens, '2');
  await s.stop();
});

/** Copies of a real logged request at chosen instants (a second process writing the same file); the rollup trigger follows. */
function loggedAt(dbPath: string, templateId: number, instants: number[]): void {
  const db = new Database(dbPath);
  const cols = (db.prepare('PRAGMA table_info(model_requests)').all() as Array<{ name: string }>).map((c) => c.name).filter((c) => c !== 'id' && c !== 'started_at');
  const copy = db.prepare(`INSERT INTO model_requests (${cols.join(', ')}, started_at) SELECT ${cols.join(', ')}, ? FROM model_requests WHERE id = ?`);
  for (const at of instants) copy.run(at, templateId);
  db.close();
}

for (const [tz, evening] of [['Asia/Kolkata', '2026-03-11'], ['America/Los_Angeles', '2026-03-10']] as const) {
  test(`local days in ${tz}: a request at 20:00 UTC on 2026-03-10 is on ${evening} there`, async () => {
    const s = await start(tz);
    await priceDefault(s);
    fake.enqueue({ kind: 'text', text: 'template', usage: USAGE });
    const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('template row') });
    await untilSettled(s, chat.id);
    const [template] = await list(s, { chat_id: chat.id, kind: 'chat' });
    // 20:00 UTC; and in Kolkata (UTC+5:30) the last minute before midnight and midnight itself.
    loggedAt(env.dbPath, template.id, [Date.UTC(2026, 2, 10, 20, 0), Date.UTC(2026, 2, 10, 18, 29, 59), Date.UTC(2026, 2, 10, 18, 30)]);
    const summary = await s.request<unknown, CostSummaryResult>(P.CostSummary, { group_by: 'day', from: '2026-03-09', to: '2026-03-12' });
    assert.equal(summary.time_zone, tz);
    const perDay = Object.fromEntries(summary.rows.map((r) => [r.key, r.requests]));
    if (tz === 'Asia/Kolkata') assert.deepEqual(perDay, { '2026-03-09': 0, '2026-03-10': 1, '2026-03-11': 2, '2026-03-12': 0 }, '18:29:59Z is 23:59:59 there, 18:30Z midnight');
    else assert.deepEqual(perDay, { '2026-03-09': 0, '2026-03-10': 3, '2026-03-11': 0, '2026-03-12': 0 });
    assert.equal(summary.rows.find((r) => r.key === evening)?.total_cost_micros, (tz === 'Asia/Kolkata' ? 2 : 3) * STEP_COST);
    // The log's own date filter and one chat's days agree with the rollup.
    const onEvening = await list(s, { from: evening, to: evening });
    assert.ok(onEvening.some((r) => r.started_at === '2026-03-10T20:00:00.000Z'), `20:00Z is listed on ${evening}`);
    const ofChat = await s.request<unknown, CostSummaryResult>(P.CostSummary, { group_by: 'day', chat_id: chat.id, from: '2026-03-09', to: '2026-03-12' });
    assert.deepEqual(ofChat.rows.filter((r) => r.requests > 0).map((r) => [r.key, r.requests]), Object.entries(perDay).filter(([, n]) => n > 0));
    await s.stop();
  });
}
