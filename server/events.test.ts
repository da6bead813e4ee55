import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChatEvents } from './events';
import type { ChatStreamEvent } from './protocol';

test('the first delta goes out at once, a burst is merged, order with other events is kept', async () => {
  const ev = new ChatEvents();
  const got: ChatStreamEvent[][] = [];
  ev.onStream((_id, events) => got.push(events));
  ev.stream('c', { type: 'status', status: 'running' });
  ev.stream('c', { type: 'message_part', role: 'assistant', part: { type: 'text', text: 'a' } });
  assert.equal(got.length, 2, 'status and first delta delivered synchronously');
  for (const t of ['b', 'c', 'd']) ev.stream('c', { type: 'message_part', role: 'assistant', part: { type: 'text', text: t } });
  ev.stream('c', { type: 'message_part', role: 'assistant', part: { type: 'tool-call', tool_call_id: 'x', tool_name: 'read_file', args_delta: '{"pa' } });
  ev.stream('c', { type: 'message_part', role: 'assistant', part: { type: 'tool-call', tool_call_id: 'x', tool_name: 'read_file', args_delta: 'th":1}' } });
  ev.stream('c', { type: 'status', status: 'waiting' });
  const flat = got.flat();
  assert.deepEqual(flat.map((e) => e.type), ['status', 'message_part', 'message_part', 'message_part', 'status']);
  assert.deepEqual(flat[2], { type: 'message_part', role: 'assistant', part: { type: 'text', text: 'bcd' } });
  assert.deepEqual(flat[3], { type: 'message_part', role: 'assistant', part: { type: 'tool-call', tool_call_id: 'x', tool_name: 'read_file', args_delta: '{"path":1}' } });
  ev.stream('c', { type: 'message_part', role: 'assistant', part: { type: 'text', text: 'e' } });
  ev.stream('c', { type: 'message_part', role: 'assistant', part: { type: 'text', text: 'f' } });
  await new Promise((r) => setImmediate(r));
  assert.equal(got.flat().map((e) => (e.type === 'message_part' && e.part.type === 'text' ? e.part.text : '')).join(''), 'abcdef');
});
