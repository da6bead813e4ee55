import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { createChat } from '../chats/lifecycle';
import { listChatsPage } from '../chats/listing';
import { moveChat } from '../chats/status';
import type { AppError } from '../errors';
import { CreateChatParams } from '../protocol/requests';
import { actionsOfChats, insertPendingAction } from '../store/approvals';
import { getChatRow } from '../store/chats';
import { allVisibleMessages } from '../store/messages';
import { makeTestContext, text, type TestContext } from '../testing/testContext';
import { acceptDynamicTools, dynamicToolsOf, expireDynamicCalls, submitToolResults, TIMED_OUT } from './dynamicTools';
import { BUILTIN_TOOL_NAMES } from './turnRunner';

let ctx: TestContext;
beforeEach(() => { ctx = makeTestContext(); });
afterEach(() => ctx.close());

const tool = (name: string) => ({ name, description: '', input_schema: { type: 'object' } });

/** A chat waiting on client calls, as the turn leaves it. */
function waitingChat(calls: string[], deadlineAt = ctx.now() + 300_000): string {
  const chat = createChat(ctx, CreateChatParams.parse({ content: text('hi'), unsafe_dynamic_tools: [tool('lookup')] }));
  moveChat(ctx.db, chat.id, 'running', { worker_id: ctx.workerId });
  moveChat(ctx.db, chat.id, 'requires_action', { worker_id: null });
  for (const id of calls) insertPendingAction(ctx.db, { chatId: chat.id, toolCallId: id, kind: 'dynamic', toolName: 'lookup', args: '{}', reason: 'r', needs: [], createdAt: ctx.now(), deadlineAt });
  return chat.id;
}

const rejects = (fn: () => unknown, status: number, message: string, detail?: string) => assert.throws(fn, (e: AppError) => {
  assert.equal(e.status, status);
  assert.equal(e.message, message);
  if (detail) assert.equal(e.detail, detail);
  return true;
});

test('declared tools: the seed\'s limits and messages; a built-in name loses with a warning and the chat keeps the rest', () => {
  const parse = (tools: unknown) => CreateChatParams.safeParse({ content: text('x'), unsafe_dynamic_tools: tools });
  const first = (tools: unknown) => { const r = parse(tools); return r.success ? 'ok' : r.error.issues[0].message; };
  assert.equal(first(Array.from({ length: 251 }, (_, i) => tool(`t${i}`))), 'Too many dynamic tools.');
  assert.equal(first(Array.from({ length: 250 }, (_, i) => tool(`t${i}`))), 'ok');
  assert.equal(first([tool('')]), 'Dynamic tool name must not be empty.');
  assert.equal(first([tool('a'), tool('a')]), 'Duplicate dynamic tool name.');
  assert.equal(first([{ name: 'a', input_schema: { type: 'string' } }]), 'input_schema must be a JSON Schema of type "object".');
  assert.equal(first([{ name: 'has space', input_schema: { type: 'object' } }]), 'Dynamic tool name must be 1-64 letters, digits, "_" or "-".');
  const { tools, warnings } = acceptDynamicTools([tool('read_file'), tool('lookup'), tool('x__y')], BUILTIN_TOOL_NAMES);
  assert.deepEqual(tools.map((t) => t.name), ['lookup']);
  assert.equal(warnings.length, 2);
  const chat = createChat(ctx, CreateChatParams.parse({ content: text('hi'), unsafe_dynamic_tools: [tool('execute'), tool('lookup')] }));
  assert.deepEqual(chat.dynamic_tools, ['lookup']);
  assert.match(chat.warnings?.[0] ?? '', /"execute" was ignored/);
  assert.deepEqual(dynamicToolsOf(getChatRow(ctx.db, chat.id)!).map((t) => t.name), ['lookup']);
});

test('tool results: missing, unexpected, not waiting; a full answer resumes the chat and is stored in call order', () => {
  const id = waitingChat(['c1', 'c2']);
  rejects(() => submitToolResults(ctx, { chat_id: id, results: [{ tool_call_id: 'c1', output: 1 }] }), 400, 'Missing tool result.');
  rejects(() => submitToolResults(ctx, { chat_id: id, results: [{ tool_call_id: 'c1', output: 1 }, { tool_call_id: 'c2', output: 2 }, { tool_call_id: 'c3', output: 3 }] }), 400, 'Unexpected tool result.', 'No pending tool call with ID c3.');
  assert.equal(getChatRow(ctx.db, id)!.status, 'requires_action', 'a rejected post changes nothing');
  assert.equal(allVisibleMessages(ctx.db, id).filter((m) => m.role === 'tool').length, 0);
  submitToolResults(ctx, { chat_id: id, results: [{ tool_call_id: 'c2', output: { b: 2 }, is_error: true }, { tool_call_id: 'c1', output: 'one' }] });
  assert.equal(getChatRow(ctx.db, id)!.status, 'pending');
  const results = allVisibleMessages(ctx.db, id).filter((m) => m.role === 'tool').map((m) => m.content[0] as { tool_call_id: string; result: unknown; is_error?: boolean });
  assert.deepEqual(results.map((r) => [r.tool_call_id, r.result, r.is_error ?? false]), [['c2', { b: 2 }, true], ['c1', 'one', false]]);
  assert.deepEqual(actionsOfChats(ctx.db, [id], false).map((a) => a.state), ['answered', 'answered']);
  rejects(() => submitToolResults(ctx, { chat_id: id, results: [{ tool_call_id: 'c1', output: 1 }] }), 409, 'Chat is not waiting for tool results.', 'Chat status is "pending", expected "requires_action".');
});

test('past the deadline a call is answered "Tool execution timed out" and the chat goes on; a call within it waits', () => {
  const late = waitingChat(['old'], ctx.now() - 1);
  const fresh = waitingChat(['new']);
  assert.equal(expireDynamicCalls(ctx), 1);
  assert.equal(getChatRow(ctx.db, late)!.status, 'pending');
  assert.deepEqual((allVisibleMessages(ctx.db, late).at(-1)!.content[0] as { result: unknown }).result, { error: TIMED_OUT });
  assert.equal(getChatRow(ctx.db, fresh)!.status, 'requires_action');
  assert.equal(expireDynamicCalls(ctx), 0, 'answered once');
});

test('list: q matches title words (LIKE specials are literal), archived: and label: terms; client_type filters', () => {
  const a = createChat(ctx, CreateChatParams.parse({ content: text('deploy the 100% build'), client_type: 'ui', labels: { env: 'prod' } }));
  createChat(ctx, CreateChatParams.parse({ content: text('deploy docs'), labels: { env: 'dev' } }));
  const titles = (p: Parameters<typeof listChatsPage>[1]) => listChatsPage(ctx, p).chats.map((c) => c.id === a.id ? 'a' : 'b').sort();
  assert.deepEqual(titles({ q: 'deploy' }), ['a', 'b']);
  assert.deepEqual(titles({ q: '100%' }), ['a']);
  assert.deepEqual(titles({ q: '_' }), []);
  assert.deepEqual(titles({ q: 'deploy label:env:dev' }), ['b']);
  assert.deepEqual(titles({ q: 'archived:true' }), []);
  assert.deepEqual(titles({ client_type: 'ui' }), ['a']);
  assert.throws(() => listChatsPage(ctx, { q: 'archived:maybe' }), /Invalid search query/);
});
