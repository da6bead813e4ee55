import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelRequest } from '../../server/protocol/usage';
import { groupBySession } from './sessions';

let nextId = 100;
const req = (session: string, over: Partial<ModelRequest> = {}): ModelRequest => ({
  id: nextId--, chat_id: 'c1', chat_title: 'Chat one', message_id: null, session_key: session, kind: 'chat', provider: 'openai-compat', provider_name: 'fake',
  model: 'fake-model', api: 'chat_completions', credential_kind: 'personal', credential_hint: '…1234', input_tokens: 10, output_tokens: 5, reasoning_tokens: null,
  cache_read_input_tokens: null, cache_write_input_tokens: null, cost_micros: 100, started_at: '2026-03-01T10:00:00.000Z', duration_ms: 20, ttft_ms: 5,
  status_code: 200, outcome: 'ok', error_kind: null, error: null, attempt: 1, ...over,
});

test('sessions keep the log order (newest first) and gather requests that are not adjacent', () => {
  const log = [
    req('a', { started_at: '2026-03-01T10:05:00.000Z' }),
    req('b', { chat_title: 'Chat two', started_at: '2026-03-01T10:04:00.000Z' }),
    req('a', { started_at: '2026-03-01T10:01:00.000Z', kind: 'title' }),
  ];
  const sessions = groupBySession(log);
  assert.deepEqual(sessions.map((s) => s.key), ['a', 'b']);
  assert.equal(sessions[0].requests.length, 2);
  assert.equal(sessions[0].started_at, '2026-03-01T10:01:00.000Z');
  assert.equal(sessions[0].ended_at, '2026-03-01T10:05:00.000Z');
  assert.equal(sessions[1].title, 'Chat two');
});

test('totals: tokens summed, an unpriced request counted apart (not as $0), failures counted', () => {
  const [s] = groupBySession([
    req('a', { cost_micros: 250, input_tokens: 100, output_tokens: 7 }),
    req('a', { cost_micros: null, input_tokens: null, output_tokens: null, outcome: 'error', error_kind: 'rate_limit' }),
    req('a', { cost_micros: 50, outcome: 'retried' }),
  ]);
  assert.equal(s.cost_micros, 300);
  assert.equal(s.unpriced, 1);
  assert.equal(s.input_tokens, 110);
  assert.equal(s.output_tokens, 12);
  assert.equal(s.errors, 2);
});

test('a session with no priced request has no cost', () => {
  const [s] = groupBySession([req('x', { cost_micros: null })]);
  assert.equal(s.cost_micros, null);
});
