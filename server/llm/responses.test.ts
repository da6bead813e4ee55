import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { startFakeOpenAI, type FakeOpenAI } from '../../test/fakes/fakeOpenAI';
import { responsesInput } from './responses';
import { runModelStep } from './runModelStep';
import { message, readFileTool, recordingRequest, targetFor, userText } from './stepRecorder';
import type { ModelTarget } from './types';

let fake: FakeOpenAI;
beforeEach(async () => { fake = await startFakeOpenAI({ apiKey: 'test-key' }); });
afterEach(async () => { await fake.close(); });

const responsesTarget = (overrides: Partial<ModelTarget> = {}) => targetFor(fake.url, { api: 'responses', providerType: 'openai', ...overrides });

/** A first turn that ends in a tool call, answered by a stored response `responseId`. */
function toolTurn(responseId: string) {
  return [
    userText('what is in the readme?'),
    message('assistant', [
      { type: 'text', text: 'Reading it.' },
      { type: 'tool-call', tool_call_id: 'call_r', tool_name: 'read_file', args: '{"path":"README.md"}' },
    ], { provider_response_id: responseId }),
    message('tool', [{ type: 'tool-result', tool_call_id: 'call_r', tool_name: 'read_file', result: { content: '# Demo' } }]),
  ];
}

describe('responses API: streaming', () => {
  test('text, reasoning summary, usage with cached and reasoning tokens, and the response id', async () => {
    fake.enqueue({ kind: 'text', text: 'Final answer.', reasoning: 'Weighing options.', usage: { prompt_tokens: 200, completion_tokens: 50, cached_tokens: 120, reasoning_tokens: 30 } });
    const rec = recordingRequest(responsesTarget(), [userText('hello')]);
    const result = await runModelStep(rec.request);

    assert.equal(result.text, 'Final answer.');
    assert.equal(result.reasoning, 'Weighing options.');
    assert.equal(result.responseId, 'resp_1');
    assert.equal(result.finishReason, 'stop');
    assert.deepEqual(result.usage, { input_tokens: 80, cache_read_tokens: 120, output_tokens: 50, reasoning_tokens: 30, total_tokens: 250, cache_creation_tokens: null });
    assert.equal(rec.deltas.filter((d) => d.type === 'reasoning').map((d) => (d.type === 'reasoning' ? d.text : '')).join(''), 'Weighing options.');
    assert.equal(rec.streamedText(), 'Final answer.');

    const sent = fake.requests[0];
    assert.equal(sent.path, '/v1/responses');
    assert.equal(sent.stream, true);
    assert.equal(sent.store, false);
    assert.equal(sent.body.instructions, 'You are a test assistant.');
    assert.deepEqual(sent.input, [{ role: 'user', content: 'hello' }]);
    assert.equal(sent.previous_response_id, undefined);
  });

  test('function calls stream their arguments in pieces and come back whole, in output order', async () => {
    const args1 = JSON.stringify({ path: 'docs/very/long/name.md' });
    const args2 = JSON.stringify({ path: 'b.txt' });
    fake.enqueue({ kind: 'tools', text: 'Two files.', calls: [{ id: 'call_1', name: 'read_file', args: args1, pieces: 4 }, { id: 'call_2', name: 'read_file', args: args2 }] });
    const rec = recordingRequest(responsesTarget(), [userText('read two')], { tools: [readFileTool] });
    const result = await runModelStep(rec.request);

    assert.deepEqual(result.toolCalls, [{ id: 'call_1', name: 'read_file', args: args1 }, { id: 'call_2', name: 'read_file', args: args2 }]);
    assert.equal(result.finishReason, 'tool_calls');
    assert.equal(result.text, 'Two files.');
    const pieces = rec.deltas.filter((d) => d.type === 'tool-call' && d.tool_call_id === 'call_1');
    assert.ok(pieces.filter((d) => d.type === 'tool-call' && d.args_delta !== '').length >= 4);
    assert.equal(pieces.map((d) => (d.type === 'tool-call' ? d.args_delta : '')).join(''), args1);
    assert.deepEqual(fake.requests[0].tools, [{ type: 'function', name: 'read_file', description: readFileTool.description, parameters: readFileTool.parameters, strict: false }]);
  });

  test('the whole history is replayed as input items when not storing', async () => {
    const history = [...toolTurn('resp_old'), message('assistant', [{ type: 'text', text: 'It says Demo.' }]), userText('thanks')];
    await runModelStep(recordingRequest(responsesTarget({ store: false }), history).request);
    const sent = fake.requests[0];
    assert.equal(sent.previous_response_id, undefined);
    assert.deepEqual(sent.input, [
      { role: 'user', content: 'what is in the readme?' },
      { role: 'assistant', content: 'Reading it.' },
      { type: 'function_call', call_id: 'call_r', name: 'read_file', arguments: '{"path":"README.md"}' },
      { type: 'function_call_output', call_id: 'call_r', output: '{"content":"# Demo"}' },
      { role: 'assistant', content: 'It says Demo.' },
      { role: 'user', content: 'thanks' },
    ]);
  });

  test('a broken stream is retried from the start', async () => {
    fake.enqueue({ kind: 'midStreamError', afterChunks: 1, text: 'Partial then whole' }, { kind: 'text', text: 'Partial then whole' });
    const rec = recordingRequest(responsesTarget(), [userText('hi')]);
    const result = await runModelStep(rec.request);
    assert.equal(result.text, 'Partial then whole');
    assert.equal(result.responseId, 'resp_2');
    assert.equal(rec.retries.length, 1);
  });

  test('aborting mid-stream returns the partial text without a response id', async () => {
    fake.enqueue({ kind: 'text', text: 'b'.repeat(300), delayMs: 20 });
    const controller = new AbortController();
    const rec = recordingRequest(responsesTarget(), [userText('hi')], { signal: controller.signal });
    const onDelta = rec.request.onDelta;
    rec.request.onDelta = (part) => { onDelta(part); if (rec.deltas.length === 2) controller.abort(); };
    const result = await runModelStep(rec.request);
    assert.equal(result.aborted, true);
    assert.equal(result.responseId, undefined);
    assert.ok(result.text.length > 0 && result.text.length < 300);
    assert.equal(result.text, rec.streamedText());
  });
});

describe('responses API: chaining with store', () => {
  test('a follow-up step sends previous_response_id and only the input after that response', async () => {
    // Make the fake store a response first, as a real first step would.
    fake.enqueue({ kind: 'tools', calls: [{ id: 'call_r', name: 'read_file', args: '{"path":"README.md"}' }] });
    const first = await runModelStep(recordingRequest(responsesTarget({ store: true }), [userText('what is in the readme?')]).request);
    assert.equal(first.responseId, 'resp_1');
    assert.equal(fake.requests[0].store, true);

    const rec = recordingRequest(responsesTarget({ store: true }), toolTurn('resp_1'));
    const result = await runModelStep(rec.request);
    assert.equal(result.text, 'Hello from test server.');
    assert.equal(result.responseId, 'resp_2');
    const sent = fake.requests[1];
    assert.equal(sent.previous_response_id, 'resp_1');
    assert.equal(sent.body.instructions, 'You are a test assistant.');
    assert.equal(sent.store, true);
    assert.deepEqual(sent.input, [{ type: 'function_call_output', call_id: 'call_r', output: '{"content":"# Demo"}' }]);
  });

  test('chaining uses the last assistant message that carries a response id', () => {
    const history = [
      ...toolTurn('resp_a'),
      message('assistant', [{ type: 'text', text: 'Demo.' }], { provider_response_id: 'resp_b' }),
      message('assistant', [{ type: 'text', text: 'interrupted partial' }]),
      userText('go on'),
    ];
    const { previousResponseId, input } = responsesInput(history, true);
    assert.equal(previousResponseId, 'resp_b');
    assert.deepEqual(input, [{ role: 'assistant', content: 'interrupted partial' }, { role: 'user', content: 'go on' }]);
  });

  test('a chain the provider no longer knows is resent once, unchained, with the full history', async () => {
    const rec = recordingRequest(responsesTarget({ store: true }), [...toolTurn('resp_forgotten')]);
    const result = await runModelStep(rec.request);

    assert.equal(result.text, 'Hello from test server.');
    assert.equal(fake.requests.length, 2);
    assert.equal(fake.requests[0].previous_response_id, 'resp_forgotten');
    assert.equal(fake.requests[1].previous_response_id, undefined);
    assert.equal((fake.requests[1].input as unknown[]).length, 4, 'user, assistant text, function call, its output');
    assert.equal(rec.retries.length, 0, 'recovering the chain is not a retry the user sees');
    assert.deepEqual(rec.attempts.map((a) => a.statusCode), [400, 200]);
    assert.match(rec.attempts[0].error ?? '', /Previous response with id 'resp_forgotten' not found/);
  });

  test('errors unrelated to the chain are retried with the chain kept', async () => {
    await runModelStep(recordingRequest(responsesTarget({ store: true }), [userText('first')]).request); // stores resp_1
    fake.enqueue({ kind: 'error', status: 500, message: 'hiccup' }, { kind: 'text', text: 'ok' });
    const rec = recordingRequest(responsesTarget({ store: true }), [
      userText('first'), message('assistant', [{ type: 'text', text: 'Hello' }], { provider_response_id: 'resp_1' }), userText('second'),
    ]);
    const result = await runModelStep(rec.request);
    assert.equal(result.text, 'ok');
    assert.deepEqual(fake.requests.slice(1).map((r) => r.previous_response_id), ['resp_1', 'resp_1']);
    assert.equal(rec.retries.length, 1);
  });
});
