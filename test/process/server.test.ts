// The built server process over stdio, against the HTTP fake of the OpenAI wire protocol.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { ResponseError } from 'vscode-jsonrpc';
import * as P from '../../server/protocol';
import type { Chat, ChatMessage, ModelConfig } from '../../server/protocol';
import { streamedText } from '../support/serverProcess';
import { setupEnv, text, type Env } from './helpers';

let env: Env;
beforeEach(async () => { env = await setupEnv(); });
afterEach(async () => { await env.cleanup(); });

async function messages(s: Awaited<ReturnType<Env['start']>>, chatId: string): Promise<ChatMessage[]> {
  return (await s.request<unknown, P.MessagesPage>(P.GetMessages, { chat_id: chatId, limit: 200 })).messages;
}

describe('a turn', () => {
  test('streams an answer, persists it with usage and cost, generates a title and marks it unread', async () => {
    const s = await env.start();
    const [model] = await s.request<unknown, ModelConfig[]>(P.ListModelConfigs, {});
    assert.equal(model.model, 'fake-model', 'the env preset made a default model');
    await s.request(P.UpdateModelConfig, { model_config_id: model.id, options: { cost: { input_price_per_million_tokens: '1', output_price_per_million_tokens: '2' } } });
    env.fake.enqueue({ kind: 'text', text: 'Hello there, friend.', usage: { prompt_tokens: 1000, completion_tokens: 500, cached_tokens: 200 } });
    env.fake.enqueue({ kind: 'title', title: 'Greeting a friend' });
    const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('say hello'), client_type: 'ui' });
    await s.waitForStatus(chat.id, ['waiting']);
    assert.equal(streamedText(s.events.get(chat.id)), 'Hello there, friend.');
    const msgs = await messages(s, chat.id);
    assert.deepEqual(msgs.map((m) => m.role), ['user', 'assistant']);
    const a = msgs[1];
    assert.deepEqual(a.content, [{ type: 'text', text: 'Hello there, friend.' }]);
    assert.equal(a.usage.input_tokens, 800);
    assert.equal(a.usage.cache_read_tokens, 200);
    assert.equal(a.usage.output_tokens, 500);
    assert.equal(a.total_cost_micros, 800 * 1 + 500 * 2);
    assert.ok(a.runtime_ms !== null && a.runtime_ms >= 0);
    await s.waitFor(() => s.watch.some((w) => w.kind === 'title_change' && w.chat.title === 'Greeting a friend'), 5000, 'title');
    const got = await s.request<unknown, Chat>(P.GetChat, { chat_id: chat.id });
    assert.equal(got.has_unread, true);
    assert.equal((await s.request<unknown, Chat>(P.MarkChatRead, { chat_id: chat.id })).has_unread, false);
    const req = env.fake.requests.find((r) => r.stream);
    assert.equal(req?.headers.authorization, 'Bearer test-key');
    await s.stop();
    // Every model request is recorded, with a masked credential; the key itself is nowhere in the store.
    const db = new Database(env.dbPath, { readonly: true });
    const rows = db.prepare('SELECT provider, model, credential_kind, credential_hint, input_tokens, cache_read_input_tokens, status_code FROM model_requests ORDER BY id').all() as Array<Record<string, unknown>>;
    db.close();
    assert.ok(rows.length >= 2, 'the turn and the title request');
    assert.deepEqual(rows[0], { provider: 'openai-compat', model: 'fake-model', credential_kind: 'centralized', credential_hint: '…', input_tokens: 800, cache_read_input_tokens: 200, status_code: 200 });
    for (const f of [env.dbPath, env.dbPath + '-wal']) {
      if (existsSync(f)) assert.equal(readFileSync(f).includes('test-key'), false, `${path.basename(f)} holds no API key`);
    }
  });

  test('runs tool calls whose arguments arrive in pieces, then answers', async () => {
    const s = await env.start();
    env.fake.enqueue(
      { kind: 'tools', calls: [{ name: 'write_file', args: JSON.stringify({ path: 'notes/hello.txt', content: 'hi from the agent\n' }), pieces: 5 }, { name: 'read_file', args: JSON.stringify({ path: 'README.md' }) }] },
      { kind: 'text', text: 'Done: wrote the file.' },
    );
    // acceptEdits: edits inside the workspace run without asking (approvals have their own tests).
    const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('write a file'), permission_mode: 'acceptEdits' });
    await s.waitForStatus(chat.id, ['waiting']);
    assert.equal(readFileSync(path.join(env.workspace, 'notes/hello.txt'), 'utf8'), 'hi from the agent\n');
    const msgs = await messages(s, chat.id);
    assert.deepEqual(msgs.map((m) => m.role), ['user', 'assistant', 'tool', 'tool', 'assistant']);
    const calls = msgs[1].content.filter((p) => p.type === 'tool-call');
    assert.equal(calls.length, 2);
    const results = msgs.slice(2, 4).map((m) => m.content[0]);
    const read = results.find((r) => r.type === 'tool-result' && r.tool_name === 'read_file');
    assert.match(JSON.stringify(read), /hello world/);
    // The second model request carried the tool results back.
    const second = env.fake.requests.filter((r) => r.stream)[1];
    assert.equal((second.messages as Array<{ role: string }>).filter((m) => m.role === 'tool').length, 2);
    assert.ok(s.events.get(chat.id)!.some((e) => e.type === 'message_part' && e.part.type === 'tool-call'), 'argument deltas were streamed');
    await s.stop();
  });

  test('a tool cannot write outside the workspace', async () => {
    const s = await env.start();
    const outside = path.join(env.dir, 'escape.txt');
    env.fake.enqueue({ kind: 'tools', calls: [{ name: 'write_file', args: JSON.stringify({ path: '../escape.txt', content: 'x' }) }] }, { kind: 'text', text: 'ok' });
    // Even a chat that bypasses approvals cannot leave the workspace: the tool's path guard refuses.
    const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('escape'), permission_mode: 'bypass' });
    await s.waitForStatus(chat.id, ['waiting']);
    assert.equal(existsSync(outside), false);
    const tool = (await messages(s, chat.id)).find((m) => m.role === 'tool')!;
    assert.equal(tool.content[0].type === 'tool-result' && tool.content[0].is_error, true);
    await s.stop();
  });

  test('429 with Retry-After and a 500 mid-stream are retried; the answer is not duplicated', async () => {
    const s = await env.start();
    env.fake.enqueue(
      { kind: 'error', status: 429, message: 'slow down', retryAfter: '1' },
      { kind: 'midStreamError', afterChunks: 2, text: 'partial answer that breaks' },
      { kind: 'text', text: 'The full answer.' },
    );
    const started = Date.now();
    const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('retry please') });
    await s.waitForStatus(chat.id, ['waiting'], 30_000);
    assert.ok(Date.now() - started >= 1000, 'Retry-After was honoured');
    const retries = s.events.get(chat.id)!.filter((e) => e.type === 'retry');
    assert.ok(retries.length >= 2, `two retries announced, got ${retries.length}`);
    const msgs = await messages(s, chat.id);
    assert.deepEqual(msgs[1].content, [{ type: 'text', text: 'The full answer.' }]);
    await s.stop();
  });

  test('401 ends the turn in error with a clear reason', async () => {
    const s = await env.start({}, { OPENAI_API_KEY: 'wrong-key' });
    const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('hi') });
    await s.waitForStatus(chat.id, ['error']);
    const got = await s.request<unknown, Chat>(P.GetChat, { chat_id: chat.id });
    assert.equal(got.last_error?.kind, 'auth');
    assert.match(got.last_error!.message, /401/);
    await s.stop();
  });

  test('interrupt keeps the partial answer; a queued message then runs with its own model', async () => {
    const s = await env.start();
    env.fake.enqueue({ kind: 'text', text: 'one two three four five six seven eight nine ten', chunks: 'one two three four five six seven eight nine ten'.split(' ').map((w) => w + ' '), delayMs: 150 });
    const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('count slowly') });
    await s.waitFor(() => streamedText(s.events.get(chat.id)).includes('three'), 10_000, 'some streamed text');
    await s.request(P.InterruptChat, { chat_id: chat.id });
    await s.waitForStatus(chat.id, ['waiting']);
    const msgs = await messages(s, chat.id);
    assert.equal(msgs.length, 2);
    const partial = msgs[1].content[0];
    assert.ok(partial.type === 'text' && partial.text.startsWith('one two three') && !partial.text.includes('ten'), JSON.stringify(partial));

    env.fake.enqueue({ kind: 'text', text: 'slow', chunks: ['s', 'l', 'o', 'w'], delayMs: 200 }, { kind: 'text', text: 'second answer' });
    await s.request(P.SendMessage, { chat_id: chat.id, content: text('again') });
    await s.waitForStatus(chat.id, ['running']);
    const q = await s.request<unknown, P.SendMessageResult>(P.SendMessage, { chat_id: chat.id, content: text('queued one') });
    assert.equal(q.queued, true);
    await s.waitFor(() => (s.events.get(chat.id) ?? []).some((e) => e.type === 'message' && e.message.content.some((p) => p.type === 'text' && p.text === 'second answer')), 15_000, 'queued turn answered');
    const roles = (await messages(s, chat.id)).map((m) => m.role);
    assert.deepEqual(roles, ['user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
    await s.stop();
  });

  test('bad requests get an error naming the field', async () => {
    const s = await env.start();
    await assert.rejects(s.request(P.CreateChat, { content: [] }), (e: ResponseError<P.ErrorData>) => e.data?.status === 400 && e.data.field === 'content' && /Content is required/.test(e.message));
    await assert.rejects(s.request(P.UpdateChat, { chat_id: 'x', labels: { '-bad': 'v' } }), (e: ResponseError<P.ErrorData>) => e.data?.field === 'labels' && /label key "-bad"/.test(e.message));
    await assert.rejects(s.request(P.SendMessage, { chat_id: 'x', content: text('a'), busy_behavior: 'later' }), (e: ResponseError<P.ErrorData>) => e.data?.field === 'busy_behavior' && /Busy behavior must be "queue" or "interrupt"/.test(e.message));
    await assert.rejects(s.request(P.GetMessages, { chat_id: 'x', limit: 500 }), (e: ResponseError<P.ErrorData>) => /Invalid limit parameter \(1-200\)/.test(e.message));
    await assert.rejects(s.request(P.CreateProvider, { provider: 'acme', base_url: 'http://x' }), (e: ResponseError<P.ErrorData>) => e.data?.field === 'provider' && /Provider must be one of/.test(e.message));
    await s.stop();
  });

  test('Responses API with store=true chains with previous_response_id and only new input', async () => {
    const s = await env.start();
    const [model] = await s.request<unknown, ModelConfig[]>(P.ListModelConfigs, {});
    await s.request(P.UpdateModelConfig, { model_config_id: model.id, options: { api: 'responses', store: true } });
    env.fake.enqueue({ kind: 'text', text: 'first reply' }, { kind: 'title', title: 'x' }, { kind: 'text', text: 'second reply' });
    const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('first') });
    await s.waitForStatus(chat.id, ['waiting']);
    await s.request(P.SendMessage, { chat_id: chat.id, content: text('second') });
    await s.waitFor(() => (s.events.get(chat.id) ?? []).some((e) => e.type === 'message' && e.message.role === 'assistant' && JSON.stringify(e.message.content).includes('second reply')), 10_000, 'second reply');
    const reqs = env.fake.requests.filter((r) => r.path.endsWith('/responses') && r.stream);
    assert.equal(reqs.length, 2);
    assert.equal(reqs[0].previous_response_id, undefined);
    assert.ok(reqs[1].previous_response_id, 'second request chains');
    assert.doesNotMatch(JSON.stringify(reqs[1].input), /first/, 'only new input is sent');
    await s.stop();
  });
});

describe('durability', () => {
  test('kill -9 mid-turn: the next server takes the turn back and nothing is lost', async () => {
    const s1 = await env.start();
    env.fake.enqueue({ kind: 'hang' });
    const chat = await s1.request<unknown, Chat>(P.CreateChat, { content: text('survive a crash') });
    await s1.waitForStatus(chat.id, ['running']);
    await s1.waitFor(() => env.fake.requests.some((r) => r.stream), 5000, 'model request');
    await s1.kill();
    env.fake.enqueue({ kind: 'text', text: 'recovered answer' });
    const s2 = await env.start();
    await s2.waitForStatus(chat.id, ['waiting'], 15_000);
    const msgs = await messages(s2, chat.id);
    assert.deepEqual(msgs.map((m) => m.role), ['user', 'assistant']);
    assert.deepEqual(msgs[0].content, text('survive a crash'));
    assert.deepEqual(msgs[1].content, text('recovered answer'));
    await s2.stop();
  });

  test('two servers on one database never run the same turn', async () => {
    env.fake.setHandler((req) => (req.stream ? { kind: 'text', text: 'answer', delayMs: 20, chunks: ['an', 'sw', 'er'] } : { kind: 'title', title: 'T' }));
    const a = await env.start();
    const b = await env.start();
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const via = i % 2 ? a : b;
      ids.push((await via.request<unknown, Chat>(P.CreateChat, { content: text(`chat ${i}`) })).id);
    }
    const done = async () => {
      const page = await a.request<unknown, { chats: Chat[] }>(P.ListChats, { limit: 50 });
      return page.chats.filter((c) => ids.includes(c.id) && c.status === 'waiting').length === ids.length;
    };
    for (let t = 0; t < 150 && !(await done()); t++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(await done(), 'all chats finished');
    for (const id of ids) {
      const msgs = await messages(a, id);
      assert.deepEqual(msgs.map((m) => m.role), ['user', 'assistant'], `chat ${id} ran exactly once`);
    }
    assert.equal(env.fake.requests.filter((r) => r.stream).length, ids.length);
    await a.stop();
    await b.stop();
  });

  test('a second server on the file hears what the first one did to its chats, and the other way round', async () => {
    env.fake.setHandler((req) => (req.stream ? { kind: 'text', text: 'answered in window A' } : { kind: 'title', title: 'Shared chat' }));
    // Two windows of one workspace: either may run the turn; the other hears it.
    const a = await env.start();
    const b = await env.start();
    const elsewhere = (s: typeof a, id: string) => s.watch.filter((w) => w.kind === 'changed_elsewhere' && w.chat.id === id).map((w) => w.chat);
    const chat = await a.request<unknown, Chat>(P.CreateChat, { content: text('shared') });
    const finished = (s: typeof a) => elsewhere(s, chat.id).some((c) => c.status === 'waiting' && c.title === 'Shared chat');
    await a.waitFor(() => finished(a) || finished(b), 15_000, 'the window that did not run the turn sees it finished');
    // A window of another workspace hears nothing of it: its chats are not that window's.
    const other = path.join(env.dir, 'other-window');
    mkdirSync(other, { recursive: true });
    const c = await env.start({ workspace: other, workspaceFolders: [other] });
    await assert.rejects(c.request(P.GetChat, { chat_id: chat.id }), /Chat not found/);
    // B pins it: A hears it; neither hears its own writes as changes from elsewhere.
    const before = elsewhere(b, chat.id).length;
    await b.request(P.UpdateChat, { chat_id: chat.id, pin_order: 1 });
    await a.waitFor(() => elsewhere(a, chat.id).some((c) => c.pin_order === 1), 15_000, 'A sees the pin');
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(elsewhere(b, chat.id).length, before, 'B does not hear its own pin back');
    assert.equal(elsewhere(c, chat.id).length, 0, 'another workspace hears nothing');
    await a.stop();
    await b.stop();
    await c.stop();
  });
});
