import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatMessage, CompactionPart, MessagePart } from '../protocol';
import { responsesInput } from '../llm/responses';
import { contextView, estimateTokens, pruneToolOutputs } from './contextView';
import { thresholdTokens } from './policy';

let nextId = 1;
function msg(role: ChatMessage['role'], content: MessagePart[], extra: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id: nextId++, chat_id: 'c', role, content_version: 1, content, model_config_id: null, created_at: '', total_cost_micros: null, runtime_ms: null,
    usage: { input_tokens: null, output_tokens: null, total_tokens: null, reasoning_tokens: null, cache_read_tokens: null, cache_creation_tokens: null },
    provider_response_id: null, ...extra,
  };
}
const boundary = (through: number, kept: number[], summary = 'S'): ChatMessage => msg('system', [{
  type: 'compaction', reason: 'threshold', summary, covers_through_message_id: through, kept_user_message_ids: kept, tokens_before: 100, tokens_after: 10,
} satisfies CompactionPart]);

test('the view after a boundary: instructions, the summary, kept user messages word for word, then what came after', () => {
  const instructions = msg('system', [{ type: 'context-file', context_file_path: '/w/AGENTS.md', content: 'be nice' }]);
  const u1 = msg('user', [{ type: 'text', text: 'old question' }]);
  const a1 = msg('assistant', [{ type: 'text', text: 'old answer' }], { provider_response_id: 'resp_1' });
  const u2 = msg('user', [{ type: 'text', text: 'the open question' }]);
  const b = boundary(u2.id, [u2.id]);
  const a2 = msg('assistant', [{ type: 'text', text: 'new answer' }], { provider_response_id: 'resp_2' });
  const view = contextView([instructions, u1, a1, u2, b, a2]);
  assert.deepEqual(view.messages.map((m) => [m.role, m.content[0].type === 'text' ? m.content[0].text : m.content[0].type]), [
    ['system', 'context-file'], ['user', 'The conversation so far was summarised to fit the context window. Summary:\n\nS'],
    ['user', 'the open question'], ['assistant', 'new answer'],
  ]);
  // A Responses chain starts after the boundary: the stored response before it is never referenced.
  assert.equal(responsesInput(contextView([instructions, u1, a1, u2, b]).messages, true).previousResponseId, undefined);
  assert.equal(responsesInput(view.messages, true).previousResponseId, 'resp_2');
});

test('the latest boundary wins; a reset says the context was cleared', () => {
  const u1 = msg('user', [{ type: 'text', text: 'q1' }]);
  const b1 = boundary(u1.id, []);
  const u2 = msg('user', [{ type: 'text', text: 'q2' }]);
  const b2 = msg('system', [{ type: 'compaction', reason: 'reset', summary: '', covers_through_message_id: u2.id, kept_user_message_ids: [], tokens_before: 5, tokens_after: 1 }]);
  const u3 = msg('user', [{ type: 'text', text: 'q3' }]);
  const texts = contextView([u1, b1, u2, b2, u3]).messages.map((m) => (m.content[0] as { text: string }).text);
  assert.deepEqual(texts, ["The earlier conversation was cleared from the context at the user's request.", 'q3']);
});

test('pruning keeps the newest outputs within the budget, always the very newest, and leaves short ones', () => {
  const call = (id: string) => msg('assistant', [{ type: 'tool-call', tool_call_id: id, tool_name: 'execute', args: '{}' }]);
  const out = (id: string, chars: number) => msg('tool', [{ type: 'tool-result', tool_call_id: id, tool_name: 'execute', result: 'x'.repeat(chars) }]);
  const history = [call('a'), out('a', 8000), call('b'), out('b', 8000), call('c'), out('c', 100), call('d'), out('d', 40_000)];
  const { messages, pruned } = pruneToolOutputs(history, 2500);
  assert.equal(pruned, 2);
  const results = messages.filter((m) => m.role === 'tool').map((m) => String((m.content[0] as { result: unknown }).result));
  assert.match(results[0], /removed to save context/);
  assert.match(results[1], /removed to save context/);
  assert.equal(results[2].length, 100);
  assert.equal(results[3].length, 40_000);
  assert.ok(estimateTokens('', messages, []) < estimateTokens('', history, []));
  assert.equal(pruneToolOutputs(history, 1e9).messages, history, 'nothing to prune: the same array');
});

test('thresholds: 70% by default, 30% from 500k tokens, the config value wins', () => {
  assert.equal(thresholdTokens(128_000, {}), 89_600);
  assert.equal(thresholdTokens(1_000_000, {}), 300_000);
  assert.equal(thresholdTokens(128_000, { compaction_threshold_percent: 50 }), 64_000);
});
