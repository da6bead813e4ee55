// The HTTP API black-box, as a script would use it: a real `serve` process, real HTTP and SSE, the fake
// provider. Dynamic (client-executed) tools: a built-in and a client call in one step, the first post wins.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import type { Chat, ChatMessage, MessagesPage } from '../../server/protocol';
import { openSse, startApiServer, type ApiServer } from '../support/apiServer';
import { setupEnv, text, type Env } from './helpers';

let env: Env;
let api: ApiServer;
beforeEach(async () => {
  env = await setupEnv();
  api = await startApiServer({ db: env.dbPath, workspace: env.workspace, env: { OPENAI_BASE_URL: env.fake.url, OPENAI_API_KEY: 'test-key', OPENAI_MODEL: 'fake-model' } });
});
afterEach(async () => {
  await api.stop();
  await env.cleanup();
});

const LOOKUP = { name: 'lookup_ticket', description: 'Looks up a ticket in the client\'s tracker.', input_schema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } };

async function waitStatus(id: string, status: string, timeoutMs = 15_000): Promise<Chat> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await api.request<Chat>('GET', `/chats/${id}`);
    if (r.body.status === status) return r.body;
    if (Date.now() > until) throw new Error(`chat ${id} is ${r.body.status}, not ${status}\n${api.output().slice(-3000)}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

test('dynamic tools: built-in and client call in one step; requires_action on stream and watch; exactly one of two concurrent posts wins; the answer uses the result', async () => {
  env.fake.enqueue(
    { kind: 'tools', calls: [{ id: 'call_read', name: 'read_file', args: JSON.stringify({ path: 'README.md' }) }, { id: 'call_dyn', name: 'lookup_ticket', args: JSON.stringify({ id: 'T-1' }) }] },
    { kind: 'text', text: 'Ticket T-1 is open.' },
  );
  const watch = await openSse(`${api.url}/chats/watch`, { Authorization: `Bearer ${api.token}` });
  const created = await api.request<Chat>('POST', '/chats', { content: text('what is T-1?'), unsafe_dynamic_tools: [LOOKUP, { name: 'read_file', input_schema: { type: 'object' } }], labels: { bot: 'triage' } });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.body.client_type, 'api');
  assert.deepEqual(created.body.dynamic_tools, ['lookup_ticket']);
  assert.match(created.body.warnings?.[0] ?? '', /"read_file" was ignored: a built-in tool has that name/);
  const id = created.body.id;
  const stream = await openSse(`${api.url}/chats/${id}/stream`, { Authorization: `Bearer ${api.token}` });
  assert.equal(stream.status, 200);

  await waitStatus(id, 'requires_action');
  const action = await stream.waitFor((e) => e.event === 'action_required', 10_000, 'action_required on the stream');
  assert.deepEqual((action.data as { tool_calls: Array<{ tool_call_id: string; kind: string }> }).tool_calls.map((c) => [c.tool_call_id, c.kind]), [['call_dyn', 'dynamic']]);
  await watch.waitFor((e) => e.event === 'action_required' && (e.data as { chat: Chat }).chat.id === id, 10_000, 'action_required on the watch');
  // The model was offered the client tool beside the built-ins, and only once under its name.
  const offered = (env.fake.requests.find((r) => r.stream)?.tools ?? []) as Array<{ function?: { name: string }; name?: string }>;
  const names = offered.map((t) => t.function?.name ?? t.name);
  assert.ok(names.includes('lookup_ticket'), names.join(','));
  assert.equal(names.filter((n) => n === 'read_file').length, 1);
  // The built-in call ran at once and is persisted before the client answers.
  const before = await api.request<MessagesPage>('GET', `/chats/${id}/messages`);
  const results = before.body.messages.filter((m: ChatMessage) => m.role === 'tool');
  assert.deepEqual(results.map((m) => (m.content[0] as { tool_call_id: string }).tool_call_id), ['call_read']);

  // The notes' 400s, and nothing changes.
  const post = (body: unknown) => api.request<{ message: string; detail?: string }>('POST', `/chats/${id}/tool-results`, body);
  assert.equal((await post({ results: [] })).body.message, 'At least one tool result is required.');
  assert.equal((await post({ results: [{ tool_call_id: 'call_dyn', output: 1 }, { tool_call_id: 'call_dyn', output: 2 }] })).body.message, 'Duplicate tool_call_id in results.');
  const unexpected = await post({ results: [{ tool_call_id: 'call_dyn', output: 1 }, { tool_call_id: 'nope', output: 2 }] });
  assert.equal(unexpected.status, 400);
  assert.equal(unexpected.body.message, 'Unexpected tool result.');
  assert.equal(unexpected.body.detail, 'No pending tool call with ID nope.');
  assert.equal((await post({ results: [{ tool_call_id: 'call_dyn' }] })).body.message, 'Tool result output must be valid JSON.');
  assert.equal((await api.request<Chat>('GET', `/chats/${id}`)).body.status, 'requires_action');

  // Two clients post at once: exactly one 204.
  const [a, b] = await Promise.all([
    post({ results: [{ tool_call_id: 'call_dyn', output: { status: 'open', owner: 'kim' } }] }),
    post({ results: [{ tool_call_id: 'call_dyn', output: { status: 'closed' } }] }),
  ]);
  assert.deepEqual([a.status, b.status].sort(), [204, 409], `${a.text} ${b.text}`);
  const loser = a.status === 409 ? a : b;
  assert.equal(loser.body.message, 'Chat is not waiting for tool results.');

  await stream.waitFor((e) => e.event === 'message' && (e.data as { message: ChatMessage }).message.role === 'assistant'
    && JSON.stringify((e.data as { message: ChatMessage }).message.content).includes('Ticket T-1 is open.'), 15_000, 'the final answer');
  await waitStatus(id, 'waiting');
  const last = env.fake.requests.filter((r) => r.stream).at(-1)!;
  const toolMessages = (last.messages as Array<{ role: string; tool_call_id?: string; content?: string }>).filter((m) => m.role === 'tool');
  assert.deepEqual(toolMessages.map((m) => m.tool_call_id), ['call_read', 'call_dyn']);
  const winner = a.status === 204 ? 'open' : 'closed';
  assert.ok(toolMessages[1].content?.includes(winner), toolMessages[1].content);

  // Not waiting any more: 409 with the seed's detail.
  const late = await post({ results: [{ tool_call_id: 'call_dyn', output: 1 }] });
  assert.equal(late.status, 409);
  assert.equal(late.body.detail, 'Chat status is "waiting", expected "requires_action".');
  stream.close();
  watch.close();
});

test('an interrupt answers the client call "Tool execution interrupted by user"; a restart while waiting loses nothing', async () => {
  env.fake.enqueue({ kind: 'tools', calls: [{ id: 'call_1', name: 'lookup_ticket', args: '{"id":"A"}' }] });
  const created = await api.request<Chat>('POST', '/chats', { content: text('look it up'), unsafe_dynamic_tools: [LOOKUP] });
  const id = created.body.id;
  await waitStatus(id, 'requires_action');
  // Kill the server while the chat waits; a new one serves the same database.
  api.child.kill('SIGKILL');
  await new Promise((r) => api.child.once('exit', r));
  api = await startApiServer({ db: env.dbPath, workspace: env.workspace, env: { OPENAI_BASE_URL: env.fake.url, OPENAI_API_KEY: 'test-key', OPENAI_MODEL: 'fake-model' } });
  const pending = await api.request<Array<{ tool_call_id: string; kind: string; state: string }>>('GET', `/chats/${id}/pending-actions`);
  assert.deepEqual(pending.body.map((a) => [a.tool_call_id, a.kind, a.state]), [['call_1', 'dynamic', 'pending']]);
  const interrupted = await api.request<Chat>('POST', `/chats/${id}/interrupt`);
  assert.equal(interrupted.status, 200);
  assert.equal(interrupted.body.status, 'waiting');
  const page = await api.request<MessagesPage>('GET', `/chats/${id}/messages`);
  const result = page.body.messages.at(-1)!.content[0] as { tool_call_id: string; result: unknown; is_error?: boolean };
  assert.equal(result.tool_call_id, 'call_1');
  assert.deepEqual(result.result, { error: 'Tool execution interrupted by user' });
  assert.equal(result.is_error, true);
});
