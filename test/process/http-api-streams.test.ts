// The HTTP API's streams, black-box against a running `serve`: a chat's SSE stream (ids, resuming with
// Last-Event-ID or after_id without loss or duplicates), the watch (this process's changes and another
// process's, through the change feed), and the deadline of a client-executed tool.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import type { Chat, ChatMessage, MessagesPage, PendingAction } from '../../server/protocol';
import { openSse, runCli, startApiServer, waitChatStatus, type ApiServer, type SseMessage, type SseStream, type StartOptions } from '../support/apiServer';
import { setupEnv, text, type Env } from './helpers';

let env: Env;
let api: ApiServer;
const streams: SseStream[] = [];
beforeEach(async () => { env = await setupEnv(); });
afterEach(async () => {
  for (const s of streams.splice(0)) s.close();
  await api?.stop();
  await env.cleanup();
});

async function serve(extra: Partial<StartOptions> = {}): Promise<ApiServer> {
  api = await startApiServer({ db: env.dbPath, workspace: env.workspace, ...extra, env: { OPENAI_BASE_URL: env.fake.url, OPENAI_API_KEY: 'test-key', OPENAI_MODEL: 'fake-model', ...extra.env } });
  return api;
}
async function sse(route: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const s = await openSse(`${api.url}${route}`, { Authorization: `Bearer ${api.token}`, ...headers });
  streams.push(s);
  return s;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface EventId { epoch: string; seq: number; messageId: number }
function parseId(id: string | undefined): EventId {
  const m = /^([0-9a-z]+)\.(\d+)\.(\d+)$/.exec(id ?? '');
  assert.ok(m, `not a stream event id: ${id}`);
  return { epoch: m[1], seq: Number(m[2]), messageId: Number(m[3]) };
}
const data = <T>(e: SseMessage) => e.data as T;
const isAssistantMessage = (e: SseMessage) => e.event === 'message' && data<{ message: ChatMessage }>(e).message.role === 'assistant';
const statusOf = (e: SseMessage) => (e.event === 'status' ? data<{ status: string }>(e).status : undefined);
/** The text deltas of the assistant, in order. */
const deltas = (events: SseMessage[]) => events
  .filter((e) => e.event === 'message_part' && data<{ role: string; part: { type: string } }>(e).role === 'assistant' && data<{ part: { type: string } }>(e).part.type === 'text')
  .map((e) => data<{ part: { text: string } }>(e).part.text);
const messageText = (m: ChatMessage) => m.content.filter((p) => p.type === 'text').map((p) => (p as { text: string }).text).join('');
/** Waits for the assistant's message and, after it, the status `waiting`. */
const finished = (s: SseStream, timeoutMs = 20_000) => s.waitFor((e, all) => statusOf(e) === 'waiting' && all.indexOf(e) > all.findIndex(isAssistantMessage) && all.some(isAssistantMessage), timeoutMs, 'the answer, then waiting');

test('a chat stream: status first, text deltas, the persisted message, status; every event has a unique, ordered id', async () => {
  await serve();
  const answer = 'Streaming answers arrive in small pieces.';
  env.fake.enqueue({ kind: 'text', text: answer, chunks: answer.match(/.{1,5}/g)!, delayMs: 20, firstChunkDelayMs: 400 });
  const created = await api.request<Chat>('POST', '/chats', { content: text('stream it') });
  const id = created.body.id;
  const s = await sse(`/chats/${id}/stream`);
  assert.equal(s.status, 200);
  await finished(s);
  const events = s.events;
  assert.equal(events[0].event, 'status', 'the current status comes first');
  assert.ok(['pending', 'running'].includes(statusOf(events[0])!), statusOf(events[0]));
  const order = events.map((e) => e.event);
  const firstPart = order.indexOf('message_part');
  const message = events.findIndex(isAssistantMessage);
  assert.ok(order.slice(0, firstPart).includes('status') && firstPart > 0, order.join(','));
  assert.ok(events.slice(0, firstPart).some((e) => statusOf(e) === 'running'), 'running before the first delta');
  assert.ok(message > firstPart, order.join(','));
  assert.equal(statusOf(events.at(-1)!), 'waiting');
  assert.equal(deltas(events).join(''), answer);
  assert.equal(messageText(data<{ message: ChatMessage }>(events[message]).message), answer);

  const ids = events.map((e) => e.id);
  assert.ok(ids.every((x) => x !== undefined), 'every event has an id');
  assert.equal(new Set(ids).size, ids.length, 'no id twice');
  const parsed = ids.map(parseId);
  assert.equal(new Set(parsed.map((p) => p.epoch)).size, 1);
  for (let i = 2; i < parsed.length; i++) assert.equal(parsed[i].seq, parsed[i - 1].seq + 1, `ids are consecutive: ${ids.join(' ')}`);
  // The id names the newest persisted message: from the assistant's message on, it is that message.
  const assistantId = data<{ message: ChatMessage }>(events[message]).message.id;
  assert.equal(parsed[message].messageId, assistantId);
  assert.equal(parsed.at(-1)!.messageId, assistantId);

  expectJson404(await api.request('GET', '/chats/no-such-chat/stream'));
  const bad = await api.request<{ message: string }>('GET', `/chats/${id}/stream?after_id=abc`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.message, 'Invalid after_id.');
  assert.equal((await api.request('GET', `/chats/${id}/stream`, undefined, { Authorization: 'Bearer nope' })).status, 401);
});

function expectJson404(r: { status: number; headers: Record<string, unknown>; body: unknown }): void {
  assert.equal(r.status, 404);
  assert.match(String(r.headers['content-type']), /^application\/json/);
  assert.equal((r.body as { message: string }).message, 'Chat not found.');
}

test('dropped mid-answer and resumed with Last-Event-ID: no event twice, no delta lost; resuming a finished stream sends nothing again', async () => {
  await serve();
  const words = Array.from({ length: 60 }, (_, i) => `w${String(i).padStart(2, '0')} `);
  const answer = words.join('');
  env.fake.enqueue({ kind: 'text', text: answer, chunks: words, delayMs: 40, firstChunkDelayMs: 200 });
  const created = await api.request<Chat>('POST', '/chats', { content: text('a long answer please') });
  const id = created.body.id;
  const first = await sse(`/chats/${id}/stream`);
  await first.waitFor((_, all) => deltas(all).length >= 10, 15_000, 'ten deltas');
  first.close();
  const seen = [...first.events];
  const lastId = seen.at(-1)!.id!;
  // Deltas go by while nobody listens.
  await sleep(500);
  const second = await sse(`/chats/${id}/stream`, { 'Last-Event-ID': lastId });
  await finished(second);
  assert.ok(deltas(second.events).length > 0, 'the rest came on the second connection');
  assert.notEqual(second.events[0].event, 'status', 'a resumed stream replays what was missed, not a fresh status');
  assert.equal(parseId(second.events[0].id).seq, parseId(lastId).seq + 1, 'resumes right after the last id seen');

  const all = [...seen, ...second.events];
  const ids = all.map((e) => e.id!);
  assert.equal(new Set(ids).size, ids.length, `an id was seen twice: ${ids.join(' ')}`);
  assert.equal(deltas(all).join(''), answer, 'no delta lost or repeated');
  const final = data<{ message: ChatMessage }>(all.find(isAssistantMessage)!).message;
  assert.equal(messageText(final), answer);
  assert.equal(all.filter(isAssistantMessage).length, 1);
  const persisted = (await api.request<MessagesPage>('GET', `/chats/${id}/messages`)).body.messages;
  assert.equal(messageText(persisted.at(-1)!), answer);

  // Resuming from the very last event: nothing is sent again (a status may come, but under no seen id).
  const third = await sse(`/chats/${id}/stream`, { 'Last-Event-ID': ids.at(-1)! });
  await sleep(300);
  for (const e of third.events) {
    assert.ok(!ids.includes(e.id!), `event ${e.event} came again under id ${e.id}`);
    assert.notEqual(e.event, 'message', 'no message twice');
    assert.notEqual(e.event, 'message_part');
  }
  assert.deepEqual(third.events.map(statusOf).filter(Boolean), third.events.map((e) => e.event === 'status' ? 'waiting' : undefined).filter(Boolean));
});

test('resuming with ?after_id or an id from another server sends the persisted messages after that message, then live events', async () => {
  await serve();
  env.fake.enqueue({ kind: 'text', text: 'first answer' }, { kind: 'text', text: 'second answer' });
  const id = (await api.request<Chat>('POST', '/chats', { content: text('one') })).body.id;
  await waitChatStatus(api, id, 'waiting');
  assert.equal((await api.request('POST', `/chats/${id}/messages`, { content: text('two') })).status, 200);
  await waitChatStatus(api, id, 'waiting');
  const messages = (await api.request<MessagesPage>('GET', `/chats/${id}/messages`)).body.messages;
  assert.deepEqual(messages.map((m) => m.role), ['user', 'assistant', 'user', 'assistant']);

  const after = await sse(`/chats/${id}/stream?after_id=${messages[0].id}`);
  await after.waitFor((e) => e.event === 'status', 10_000, 'status after the catch-up');
  const caught = after.events.filter((e) => e.event === 'message').map((e) => data<{ message: ChatMessage }>(e).message);
  assert.deepEqual(caught.map((m) => m.id), messages.slice(1).map((m) => m.id));
  assert.deepEqual(caught.map(messageText), ['first answer', 'two', 'second answer']);
  assert.equal(after.events.at(-1)?.event, 'status');
  assert.equal(statusOf(after.events.at(-1)!), 'waiting');
  assert.equal(new Set(after.events.map((e) => e.id)).size, after.events.length);

  // An id of another server (or of events no longer kept): the messages after the one it names.
  const foreign = await sse(`/chats/${id}/stream`, { 'Last-Event-ID': `zzzzzz.5.${messages[1].id}` });
  await foreign.waitFor((e) => e.event === 'status', 10_000, 'status');
  assert.deepEqual(foreign.events.filter((e) => e.event === 'message').map((e) => data<{ message: ChatMessage }>(e).message.id), messages.slice(2).map((m) => m.id));

  // And then live: a new turn arrives on the same connection, the user's message once.
  env.fake.enqueue({ kind: 'text', text: 'third answer' });
  assert.equal((await api.request('POST', `/chats/${id}/messages`, { content: text('three') })).status, 200);
  await after.waitFor((e) => isAssistantMessage(e) && messageText(data<{ message: ChatMessage }>(e).message) === 'third answer', 15_000, 'the live answer');
  const texts = after.events.filter((e) => e.event === 'message').map((e) => messageText(data<{ message: ChatMessage }>(e).message));
  assert.deepEqual(texts, ['first answer', 'two', 'second answer', 'three', 'third answer']);
});

test('watch: created and status_change for an API chat; another process labelling or archiving the chat shows within seconds; Last-Event-ID resumes', async () => {
  await serve();
  const watch = await sse('/chats/watch');
  assert.equal(watch.status, 200);
  const forChat = (id: string, kind?: string) => (e: SseMessage) => data<{ chat: Chat }>(e).chat?.id === id && (kind === undefined || e.event === kind);
  const created = await api.request<Chat>('POST', '/chats', { content: text('watch me') });
  const id = created.body.id;
  const c = await watch.waitFor(forChat(id, 'created'), 5000, 'created');
  assert.deepEqual(data<{ kind: string; chat: Chat }>(c).kind, 'created');
  assert.equal(data<{ chat: Chat }>(c).chat.client_type, 'api');
  await watch.waitFor((e) => forChat(id, 'status_change')(e) && data<{ chat: Chat }>(e).chat.status === 'waiting', 15_000, 'status_change to waiting');
  const changes = watch.events.filter(forChat(id, 'status_change')).map((e) => data<{ chat: Chat }>(e).chat.status);
  assert.ok(changes.includes('running'), changes.join(','));
  await waitChatStatus(api, id, 'waiting');
  await sleep(300); // the generated title lands

  // Another process on the same database: the CLI.
  const db = ['--db', env.dbPath, '--workspace', env.workspace];
  const mark = watch.events.length;
  const labelled = await runCli(['chats', 'label', id, 'k=v', ...db]);
  assert.equal(labelled.code, 0, labelled.stderr);
  const labelEvent = await watch.waitFor((e, all) => all.indexOf(e) >= mark && forChat(id)(e) && JSON.stringify(data<{ chat: Chat }>(e).chat.labels) === '{"k":"v"}', 5000, 'the label from the CLI');
  assert.equal(labelEvent.event, 'updated');
  const mark2 = watch.events.length;
  const archived = await runCli(['chats', 'archive', id, ...db]);
  assert.equal(archived.code, 0, archived.stderr);
  const archiveEvent = await watch.waitFor((e, all) => all.indexOf(e) >= mark2 && forChat(id)(e) && data<{ chat: Chat }>(e).chat.archived, 5000, 'the archive from the CLI');
  assert.equal(archiveEvent.event, 'deleted', 'archived elsewhere is `deleted`, as archived here is');

  // Resume: events missed while disconnected come again, once.
  const lastId = watch.events.at(-1)!.id!;
  watch.close();
  assert.equal((await api.request('PATCH', `/chats/${id}`, { archived: false })).status, 204);
  assert.equal((await api.request('PATCH', `/chats/${id}`, { title: 'renamed while away' })).status, 204);
  const again = await sse('/chats/watch', { 'Last-Event-ID': lastId });
  await again.waitFor((e) => e.event === 'title_change', 5000, 'the missed title change');
  // The unarchive is `created` (and the PATCH's own `updated`), the rename a `title_change`.
  assert.deepEqual(again.events.map((e) => e.event), ['created', 'updated', 'title_change']);
  assert.equal(data<{ chat: Chat }>(again.events[0]).chat.archived, false);
  assert.equal(data<{ chat: Chat }>(again.events[2]).chat.title, 'renamed while away');
  const seenIds = new Set(watch.events.map((e) => e.id));
  assert.ok(again.events.every((e) => e.id && !seenIds.has(e.id)));
});

test('a client tool past its deadline (settings file: 1 s) is answered "Tool execution timed out" and the chat resumes', async () => {
  writeFileSync(path.join(env.dir, 'settings.json'), JSON.stringify({ 'localAgents.api.dynamicToolTimeoutSeconds': 1 }));
  await serve();
  const settings = (await api.request<{ dynamic_tool_timeout_seconds: number }>('GET', '/chats/config/settings')).body;
  assert.equal(settings.dynamic_tool_timeout_seconds, 1);
  env.fake.enqueue(
    { kind: 'tools', calls: [{ id: 'call_slow', name: 'lookup_ticket', args: '{"id":"T-9"}' }] },
    { kind: 'text', text: 'The lookup timed out.' },
  );
  const tool = { name: 'lookup_ticket', description: 'Looks up a ticket.', input_schema: { type: 'object', properties: { id: { type: 'string' } } } };
  const id = (await api.request<Chat>('POST', '/chats', { content: text('look up T-9'), unsafe_dynamic_tools: [tool] })).body.id;
  const s = await sse(`/chats/${id}/stream`);
  await waitChatStatus(api, id, 'requires_action');
  const waitingAt = Date.now();
  const [pending] = (await api.request<PendingAction[]>('GET', `/chats/${id}/pending-actions`)).body;
  assert.equal(pending.kind, 'dynamic');
  assert.equal(pending.state, 'pending');

  const result = await s.waitFor((e) => e.event === 'message' && data<{ message: ChatMessage }>(e).message.role === 'tool', 10_000, 'the timeout result');
  const part = data<{ message: ChatMessage }>(result).message.content[0] as { tool_call_id: string; result: unknown; is_error?: boolean };
  assert.equal(part.tool_call_id, 'call_slow');
  assert.deepEqual(part.result, { error: 'Tool execution timed out' });
  assert.equal(part.is_error, true);
  assert.ok(Date.now() - waitingAt < 8000, 'answered soon after the 1 s deadline');
  await finished(s);
  await waitChatStatus(api, id, 'waiting');
  const lastTurn = env.fake.requests.filter((r) => r.stream).at(-1)!;
  const toolMsg = (lastTurn.messages as Array<{ role: string; tool_call_id?: string; content?: string }>).find((m) => m.role === 'tool');
  assert.equal(toolMsg?.tool_call_id, 'call_slow');
  assert.match(String(toolMsg?.content), /Tool execution timed out/);
  const actions = (await api.request<PendingAction[]>('GET', `/chats/${id}/pending-actions`)).body;
  assert.deepEqual(actions.filter((a) => a.state === 'pending'), []);
  // Too late now: the chat does not wait any more.
  const late = await api.request<{ message: string; detail: string }>('POST', `/chats/${id}/tool-results`, { results: [{ tool_call_id: 'call_slow', output: { status: 'open' } }] });
  assert.equal(late.status, 409);
  assert.equal(late.body.detail, 'Chat status is "waiting", expected "requires_action".');
  const messages = (await api.request<MessagesPage>('GET', `/chats/${id}/messages`)).body.messages;
  assert.equal(messages.filter((m) => m.role === 'tool').length, 1, 'one result, the timeout');
});

test('a stream opened while the chat already waits on a client tool gets the waiting calls right after the status', async () => {
  await serve();
  env.fake.enqueue(
    { kind: 'tools', calls: [{ id: 'call_early', name: 'lookup_ticket', args: '{"id":"T-1"}' }] },
    { kind: 'text', text: 'T-1 is open.' },
  );
  const tool = { name: 'lookup_ticket', description: 'Looks up a ticket.', input_schema: { type: 'object', properties: { id: { type: 'string' } } } };
  const id = (await api.request<Chat>('POST', '/chats', { content: text('look up T-1'), unsafe_dynamic_tools: [tool] })).body.id;
  // The client subscribes late, as a bot that posts and then opens the stream may: the live event has passed.
  await waitChatStatus(api, id, 'requires_action');
  const s = await sse(`/chats/${id}/stream`);
  await s.waitFor((e) => e.event === 'action_required', 5000, 'the waiting call');
  assert.equal(statusOf(s.events[0]), 'requires_action');
  assert.equal(s.events[1].event, 'action_required');
  const calls = data<{ tool_calls: Array<{ tool_call_id: string; tool_name: string; kind: string }> }>(s.events[1]).tool_calls;
  assert.deepEqual(calls.map((c) => [c.tool_call_id, c.tool_name, c.kind]), [['call_early', 'lookup_ticket', 'dynamic']]);
  assert.equal(s.events[1].id, undefined, 'made up for this client: no id of its own');
  const answered = await api.request('POST', `/chats/${id}/tool-results`, { results: [{ tool_call_id: 'call_early', output: { status: 'open' } }] });
  assert.equal(answered.status, 204);
  await finished(s);
});
