import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Chat, ChatMessage } from '../../server/protocol';
import { applyStreamEvents, emptyState, mergeNewest, prependPage, resultsByCallId, type ChatViewState } from './chatState';

const msg = (id: number, role: ChatMessage['role'], content: ChatMessage['content']): ChatMessage => ({
  id, chat_id: 'c', role, content_version: 1, content, model_config_id: null, created_at: '', total_cost_micros: null, runtime_ms: null,
  usage: { input_tokens: null, output_tokens: null, total_tokens: null, reasoning_tokens: null, cache_read_tokens: null, cache_creation_tokens: null },
});
const chat = { id: 'c', status: 'running', last_error: null } as unknown as Chat;

test('deltas build the in-flight message; the persisted message replaces it', () => {
  let s: ChatViewState = { ...emptyState(), chat };
  s = applyStreamEvents(s, [
    { type: 'message_part', role: 'assistant', part: { type: 'reasoning', text: 'think' } },
    { type: 'message_part', role: 'assistant', part: { type: 'text', text: 'Hel' } },
    { type: 'message_part', role: 'assistant', part: { type: 'text', text: 'lo' } },
    { type: 'message_part', role: 'assistant', part: { type: 'tool-call', tool_call_id: 't1', tool_name: 'read_file', args_delta: '{"pa' } },
    { type: 'message_part', role: 'assistant', part: { type: 'tool-call', tool_call_id: 't1', tool_name: '', args_delta: 'th":"a"}' } },
  ]);
  assert.deepEqual(s.streaming, { text: 'Hello', reasoning: 'think', toolCalls: [{ id: 't1', name: 'read_file', args: '{"path":"a"}' }] });
  s = applyStreamEvents(s, [{ type: 'message', message: msg(2, 'assistant', [{ type: 'text', text: 'Hello' }]) }]);
  assert.equal(s.streaming, null);
  assert.equal(s.messages.length, 1);
  s = applyStreamEvents(s, [
    { type: 'message_part', role: 'tool', part: { type: 'tool-result', tool_call_id: 't1', tool_name: 'execute', result_delta: 'line 1\n' } },
    { type: 'message_part', role: 'tool', part: { type: 'tool-result', tool_call_id: 't1', tool_name: 'execute', result_delta: 'line 2\n' } },
  ]);
  assert.equal(s.toolOutput.t1, 'line 1\nline 2\n');
  s = applyStreamEvents(s, [{ type: 'message', message: msg(3, 'tool', [{ type: 'tool-result', tool_call_id: 't1', tool_name: 'execute', result: { exit_code: 0 } }]) }]);
  assert.equal(s.toolOutput.t1, undefined);
  assert.deepEqual(resultsByCallId(s.messages).get('t1'), { result: { exit_code: 0 }, is_error: undefined });
});

test('retry resets the step; status, queue, deletions and notices apply', () => {
  let s: ChatViewState = { ...emptyState(), chat, messages: [msg(1, 'user', [{ type: 'text', text: 'q' }]), msg(2, 'assistant', [{ type: 'text', text: 'a' }])] };
  s = applyStreamEvents(s, [
    { type: 'message_part', role: 'assistant', part: { type: 'text', text: 'partial' } },
    { type: 'retry', attempt: 1, delay_ms: 2000, error: 'rate limited', kind: 'rate_limit', retrying_at: '2026-01-01T00:00:02.000Z' },
  ]);
  assert.equal(s.streaming, null);
  assert.deepEqual(s.retry, { error: 'rate limited', attempt: 1, delayMs: 2000, at: Date.parse('2026-01-01T00:00:02.000Z') });
  s = applyStreamEvents(s, [{ type: 'message_part', role: 'assistant', part: { type: 'text', text: 'again' } }]);
  assert.equal(s.retry, null, 'the retried step streams: the countdown goes');
  assert.equal(s.streaming?.text, 'again', 'only the retried attempt is shown');
  s = applyStreamEvents(s, [
    { type: 'queue_update', queued_messages: [{ id: 9, chat_id: 'c', content: [{ type: 'text', text: 'later' }], model_config_id: null, mode: 'default', created_at: '' }] },
    { type: 'messages_deleted', message_ids: [2] },
    { type: 'status', status: 'waiting' },
    { type: 'notice', level: 'warning', message: 'MCP server down' },
  ]);
  assert.equal(s.queued.length, 1);
  assert.deepEqual(s.messages.map((m) => m.id), [1]);
  assert.equal(s.chat?.status, 'waiting');
  assert.deepEqual(s.notices, ['MCP server down']);
});

test('older pages are prepended without duplicates, out-of-order messages are sorted', () => {
  let s: ChatViewState = { ...emptyState(), messages: [msg(5, 'user', []), msg(6, 'assistant', [])] };
  s = prependPage(s, [msg(3, 'user', []), msg(4, 'assistant', []), msg(5, 'user', [])], false);
  assert.deepEqual(s.messages.map((m) => m.id), [3, 4, 5, 6]);
  assert.equal(s.hasMore, false);
  s = applyStreamEvents(s, [{ type: 'message', message: msg(2, 'user', []) }]);
  assert.deepEqual(s.messages.map((m) => m.id), [2, 3, 4, 5, 6]);
});

test('the newest page read after another window changed the chat adds its messages and keeps the older ones', () => {
  const s: ChatViewState = { ...emptyState(), messages: [msg(1, 'user', []), msg(2, 'assistant', [{ type: 'text', text: 'old' }])] };
  const merged = mergeNewest(s, [msg(2, 'assistant', [{ type: 'text', text: 'old' }]), msg(3, 'user', []), msg(4, 'assistant', [])]);
  assert.deepEqual(merged.messages.map((m) => m.id), [1, 2, 3, 4]);
  const replaced = mergeNewest(merged, [msg(4, 'assistant', [{ type: 'text', text: 'now complete' }])]);
  assert.deepEqual(replaced.messages.at(-1)?.content, [{ type: 'text', text: 'now complete' }]);
  assert.equal(replaced.messages.length, 4);
});
