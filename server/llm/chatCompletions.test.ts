import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { startFakeOpenAI, type FakeOpenAI } from '../../test/fakes/fakeOpenAI';
import { runModelStep } from './runModelStep';
import { message, readFileTool, recordingRequest, targetFor, userText } from './stepRecorder';
import { ModelError } from './types';

let fake: FakeOpenAI;
beforeEach(async () => { fake = await startFakeOpenAI({ apiKey: 'test-key' }); });
afterEach(async () => { await fake.close(); });

const rejectsWith = async (p: Promise<unknown>): Promise<ModelError> => {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ModelError, `expected a ModelError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the step to fail');
};

describe('chat completions: streaming', () => {
  test('text deltas arrive in order and usage is normalised (cached tokens split out of input)', async () => {
    fake.enqueue({ kind: 'text', text: 'Hello world!', chunks: ['Hel', 'lo ', 'world', '!'], usage: { prompt_tokens: 100, completion_tokens: 20, cached_tokens: 30, reasoning_tokens: 5 } });
    const rec = recordingRequest(targetFor(fake.url), [userText('hi')]);
    const result = await runModelStep(rec.request);

    assert.deepEqual(rec.deltas, ['Hel', 'lo ', 'world', '!'].map((text) => ({ type: 'text', text })));
    assert.equal(result.text, 'Hello world!');
    assert.equal(result.aborted, false);
    assert.equal(result.finishReason, 'stop');
    assert.deepEqual(result.toolCalls, []);
    assert.deepEqual(result.usage, { input_tokens: 70, cache_read_tokens: 30, output_tokens: 20, reasoning_tokens: 5, total_tokens: 120, cache_creation_tokens: null });

    const sent = fake.requests[0];
    assert.equal(sent.path, '/v1/chat/completions');
    assert.equal(sent.stream, true);
    assert.deepEqual(sent.body.stream_options, { include_usage: true });
    assert.equal(sent.headers.authorization, 'Bearer test-key');
    assert.deepEqual(sent.messages, [{ role: 'system', content: 'You are a test assistant.' }, { role: 'user', content: 'hi' }]);
    assert.equal(rec.attempts.length, 1);
    assert.equal(rec.attempts[0].statusCode, 200);
    assert.equal(rec.attempts[0].usage?.cache_read_tokens, 30);
  });

  test('history becomes wire messages: tool calls with their results, files and context as text', async () => {
    const history = [
      message('user', [
        { type: 'text', text: 'look at this' },
        { type: 'file', name: 'a.txt', media_type: 'text/plain', path: 'src/a.txt', content: 'alpha' },
      ]),
      message('user', [{ type: 'context-file', context_file_path: '/ws/AGENTS.md', content: 'Be brief.' }, { type: 'skill', skill_name: 'deploy', skill_description: 'Deploys.' }]),
      message('assistant', [
        { type: 'reasoning', text: 'thinking' },
        { type: 'text', text: 'Reading both.' },
        { type: 'tool-call', tool_call_id: 'c1', tool_name: 'read_file', args: '{"path":"a"}' },
        { type: 'tool-call', tool_call_id: 'c2', tool_name: 'read_file', args: '{"path":"b"}' },
      ]),
      // One tool message holding both results, the second one first.
      message('tool', [
        { type: 'tool-result', tool_call_id: 'c2', tool_name: 'read_file', result: { content: 'B' } },
        { type: 'tool-result', tool_call_id: 'c1', tool_name: 'read_file', result: 'plain A' },
      ]),
      message('assistant', [{ type: 'text', text: 'Done.' }]),
      userText('next'),
    ];
    await runModelStep(recordingRequest(targetFor(fake.url), history).request);
    assert.deepEqual(fake.requests[0].messages, [
      { role: 'system', content: 'You are a test assistant.' },
      { role: 'user', content: 'look at this\n\nAttached file src/a.txt (text/plain):\n```\nalpha\n```' },
      { role: 'user', content: 'Instructions from /ws/AGENTS.md:\nBe brief.\n\nSkill available: deploy — Deploys.' },
      {
        role: 'assistant', content: 'Reading both.', tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } },
          { id: 'c2', type: 'function', function: { name: 'read_file', arguments: '{"path":"b"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'plain A' },
      { role: 'tool', tool_call_id: 'c2', content: '{"content":"B"}' },
      { role: 'assistant', content: 'Done.' },
      { role: 'user', content: 'next' },
    ]);
  });

  test('a tool call without a recorded result gets an error result; a result without a call is dropped', async () => {
    const history = [
      userText('go'),
      message('tool', [{ type: 'tool-result', tool_call_id: 'orphan', tool_name: 'x', result: 1 }]),
      message('assistant', [{ type: 'tool-call', tool_call_id: 'c9', tool_name: 'read_file', args: '{}' }]),
    ];
    await runModelStep(recordingRequest(targetFor(fake.url), history).request);
    const msgs = fake.requests[0].messages as Array<{ role: string; tool_call_id?: string; content?: unknown }>;
    assert.deepEqual(msgs.map((m) => m.role), ['system', 'user', 'assistant', 'tool']);
    assert.equal(msgs[3].tool_call_id, 'c9');
    assert.match(String(msgs[3].content), /No result was recorded/);
  });

  test('tool-call deltas of several calls are reassembled into full arguments', async () => {
    const argsA = JSON.stringify({ path: 'src/some/long/path/file.ts' });
    const argsB = JSON.stringify({ path: 'README.md' });
    fake.enqueue({ kind: 'tools', text: 'Let me look.', calls: [{ id: 'call_a', name: 'read_file', args: argsA, pieces: 5 }, { id: 'call_b', name: 'read_file', args: argsB, pieces: 3 }] });
    const rec = recordingRequest(targetFor(fake.url), [userText('read')], { tools: [readFileTool] });
    const result = await runModelStep(rec.request);

    assert.deepEqual(result.toolCalls, [{ id: 'call_a', name: 'read_file', args: argsA }, { id: 'call_b', name: 'read_file', args: argsB }]);
    assert.equal(result.finishReason, 'tool_calls');
    assert.equal(result.text, 'Let me look.');
    const callDeltas = rec.deltas.filter((d) => d.type === 'tool-call');
    assert.ok(callDeltas.filter((d) => d.tool_call_id === 'call_a').length >= 5, 'arguments of call_a came in pieces');
    for (const id of ['call_a', 'call_b']) {
      const joined = callDeltas.filter((d) => d.tool_call_id === id).map((d) => d.args_delta).join('');
      assert.equal(joined, id === 'call_a' ? argsA : argsB);
      assert.ok(callDeltas.filter((d) => d.tool_call_id === id).every((d) => d.tool_name === 'read_file'));
    }
    assert.deepEqual(fake.requests[0].tools, [{ type: 'function', function: { name: 'read_file', description: readFileTool.description, parameters: readFileTool.parameters } }]);
  });

  test('reasoning deltas (reasoning_content) are streamed and accumulated apart from the text', async () => {
    fake.enqueue({ kind: 'text', text: 'Answer.', reasoning: 'First I think, then I answer.' });
    const rec = recordingRequest(targetFor(fake.url), [userText('why')]);
    const result = await runModelStep(rec.request);
    assert.equal(result.reasoning, 'First I think, then I answer.');
    assert.equal(result.text, 'Answer.');
    const reasoning = rec.deltas.filter((d) => d.type === 'reasoning');
    assert.ok(reasoning.length > 1);
    assert.equal(reasoning.map((d) => (d.type === 'reasoning' ? d.text : '')).join(''), 'First I think, then I answer.');
    // Reasoning comes before the answer.
    assert.equal(rec.deltas.findIndex((d) => d.type === 'text') > rec.deltas.findIndex((d) => d.type === 'reasoning'), true);
  });

  test('max output tokens (named as each kind of provider expects) and reasoning effort are sent when configured', async () => {
    await runModelStep(recordingRequest(targetFor(fake.url, { providerType: 'openai', maxOutputTokens: 321, reasoningEffort: 'low' }), [userText('x')]).request);
    assert.equal(fake.requests[0].body.max_completion_tokens, 321);
    assert.equal(fake.requests[0].body.max_tokens, undefined);
    assert.equal(fake.requests[0].body.reasoning_effort, 'low');
    await runModelStep(recordingRequest(targetFor(fake.url, { providerType: 'openai-compat', maxOutputTokens: 99 }), [userText('x')]).request);
    assert.equal(fake.requests[1].body.max_tokens, 99);
    assert.equal(fake.requests[1].body.reasoning_effort, undefined);
  });

  test('a tool call without argument text gets an empty JSON object', async () => {
    fake.enqueue({ kind: 'tools', calls: [{ id: 'call_x', name: 'list_processes', args: '' }] });
    const result = await runModelStep(recordingRequest(targetFor(fake.url), [userText('ps')]).request);
    assert.deepEqual(result.toolCalls, [{ id: 'call_x', name: 'list_processes', args: '{}' }]);
  });

  test('an interrupted step that kept only reasoning is not replayed as an empty assistant message', async () => {
    await runModelStep(recordingRequest(targetFor(fake.url), [userText('a'), message('assistant', [{ type: 'reasoning', text: 'hmm' }]), userText('b')]).request);
    assert.deepEqual((fake.requests[0].messages as Array<{ role: string }>).map((m) => m.role), ['system', 'user', 'user']);
  });

  test('a slow stream delivers every delta as it comes', async () => {
    fake.enqueue({ kind: 'text', text: 'one two three four', delayMs: 40, firstChunkDelayMs: 150 });
    const times: number[] = [];
    const started = Date.now();
    const rec = recordingRequest(targetFor(fake.url), [userText('slow')]);
    const onDelta = rec.request.onDelta;
    rec.request.onDelta = (part) => { times.push(Date.now() - started); onDelta(part); };
    const result = await runModelStep(rec.request);
    assert.equal(result.text, 'one two three four');
    assert.ok(times[0] >= 140, `first delta after the first-chunk delay (${times[0]} ms)`);
    assert.ok(times.at(-1)! - times[0] >= 100, 'deltas spread over time, not delivered at the end');
    assert.equal(rec.retries.length, 0);
  });
});

describe('chat completions: failures and retries', () => {
  test('429 with Retry-After is retried after the announced wait', async () => {
    fake.enqueue({ kind: 'error', status: 429, message: 'Rate limit reached for requests', retryAfter: '1' }, { kind: 'text', text: 'after the wait' });
    const rec = recordingRequest(targetFor(fake.url), [userText('hi')]);
    const result = await runModelStep(rec.request);

    assert.equal(result.text, 'after the wait');
    assert.equal(rec.retries.length, 1);
    assert.deepEqual({ ...rec.retries[0], error: undefined }, { attempt: 1, delayMs: 1000, kind: 'rate_limit', statusCode: 429, error: undefined });
    assert.match(rec.retries[0].error, /Rate limit reached/);
    assert.equal(fake.requests.length, 2);
    const waited = fake.requests[1].receivedAt - fake.requests[0].receivedAt;
    assert.ok(waited >= 950, `waited ${waited} ms`);
    assert.deepEqual(rec.attempts.map((a) => a.statusCode), [429, 200]);
    assert.match(rec.attempts[0].error ?? '', /Rate limit/);
  });

  test('a stream that breaks mid-way is retried and the final text has no duplicated prefix', async () => {
    fake.enqueue({ kind: 'midStreamError', afterChunks: 2, text: 'Hello world, again' }, { kind: 'text', text: 'Hello world, again' });
    const rec = recordingRequest(targetFor(fake.url), [userText('hi')]);
    const result = await runModelStep(rec.request);

    assert.equal(result.text, 'Hello world, again');
    assert.equal(rec.retries.length, 1);
    assert.equal(rec.retries[0].kind, 'overloaded');
    assert.match(rec.retries[0].error, /stream broke off/);
    assert.ok(rec.retries[0].delayMs >= 250 && rec.retries[0].delayMs <= 500, `first backoff ${rec.retries[0].delayMs} ms`);
    // What the broken attempt streamed was announced before the retry; the retry streams the whole answer again.
    assert.equal(rec.streamedText(), 'Hello wo' + 'Hello world, again');
    assert.equal(rec.attempts.length, 2);
    assert.equal(rec.attempts[0].statusCode, 200);
    assert.ok(rec.attempts[0].error);
  });

  test('5xx answers are retried and, once attempts run out, reported as overloaded and retryable', async () => {
    fake.enqueue({ kind: 'error', status: 503, message: 'The engine is currently overloaded' }, { kind: 'error', status: 500, message: 'boom' });
    const rec = recordingRequest(targetFor(fake.url), [userText('hi')], { maxAttempts: 2 });
    const err = await rejectsWith(runModelStep(rec.request));
    assert.equal(err.kind, 'overloaded');
    assert.equal(err.retryable, true);
    assert.equal(err.statusCode, 500);
    assert.match(err.message, /boom.*gave up after 2 attempts/);
    assert.equal(fake.requests.length, 2);
    assert.equal(rec.retries.length, 1);
  });

  test('429 that never clears ends as rate_limit, retryable', async () => {
    fake.enqueue({ kind: 'error', status: 429, retryAfter: '0' }, { kind: 'error', status: 429, retryAfter: '0' }, { kind: 'error', status: 429, retryAfter: '0' });
    const rec = recordingRequest(targetFor(fake.url), [userText('hi')], { maxAttempts: 3 });
    const err = await rejectsWith(runModelStep(rec.request));
    assert.equal(err.kind, 'rate_limit');
    assert.equal(err.retryable, true);
    assert.deepEqual(rec.retries.map((r) => r.attempt), [1, 2]);
    assert.equal(fake.requests.length, 3);
  });

  test('401 is an auth error, not retried', async () => {
    const rec = recordingRequest(targetFor(fake.url, { apiKey: 'wrong' }), [userText('hi')]);
    const err = await rejectsWith(runModelStep(rec.request));
    assert.equal(err.kind, 'auth');
    assert.equal(err.retryable, false);
    assert.equal(err.statusCode, 401);
    assert.match(err.message, /rejected the API key \(401\).*Configure Provider/);
    assert.equal(err.detail, 'Incorrect API key provided.');
    assert.equal(fake.requests.length, 1);
    assert.equal(rec.retries.length, 0);
    assert.deepEqual(rec.attempts.map((a) => a.statusCode), [401]);
  });

  test('404 names the model and the base URL, not retried', async () => {
    fake.enqueue({ kind: 'error', status: 404, message: 'The model `nope` does not exist' });
    const rec = recordingRequest(targetFor(fake.url, { model: 'nope' }), [userText('hi')]);
    const err = await rejectsWith(runModelStep(rec.request));
    assert.equal(err.kind, 'config');
    assert.equal(err.message, `Model "nope" was not found at ${fake.url} (404).`);
    assert.equal(fake.requests.length, 1);
  });

  test('400 carries the provider message and is not retried', async () => {
    fake.enqueue({ kind: 'error', status: 400, message: "Invalid 'messages[1].content': string too long." });
    const rec = recordingRequest(targetFor(fake.url), [userText('hi')]);
    const err = await rejectsWith(runModelStep(rec.request));
    assert.equal(err.kind, 'generic');
    assert.equal(err.retryable, false);
    assert.match(err.message, /\(400\): Invalid 'messages\[1\]\.content': string too long\./);
    assert.equal(fake.requests.length, 1);
  });

  test('a provider that cannot be reached is retried, then reported naming the address', async () => {
    const url = fake.url;
    await fake.close();
    const rec = recordingRequest(targetFor(url), [userText('hi')], { maxAttempts: 2 });
    const err = await rejectsWith(runModelStep(rec.request));
    assert.match(err.message, new RegExp(`Could not reach ${url.replace(/[.]/g, '\\.')}: connection refused: nothing answers there`));
    assert.match(err.detail ?? '', /ECONNREFUSED/);
    assert.equal(err.retryable, true);
    assert.equal(rec.retries.length, 1);
    fake = await startFakeOpenAI(); // for afterEach
  });

  test('a stream that goes silent is abandoned and retried', async () => {
    fake.enqueue({ kind: 'hang' }, { kind: 'text', text: 'awake' });
    const rec = recordingRequest(targetFor(fake.url), [userText('hi')], { silenceTimeoutMs: 300 });
    const result = await runModelStep(rec.request);
    assert.equal(result.text, 'awake');
    assert.equal(rec.retries.length, 1);
    assert.equal(rec.retries[0].kind, 'stream_silence_timeout');
  });
});

describe('chat completions: abort', () => {
  test('aborting mid-stream returns what was streamed so far, marked aborted', async () => {
    fake.enqueue({ kind: 'text', text: 'a'.repeat(400), delayMs: 20 });
    const controller = new AbortController();
    const rec = recordingRequest(targetFor(fake.url), [userText('hi')], { signal: controller.signal });
    const onDelta = rec.request.onDelta;
    rec.request.onDelta = (part) => { onDelta(part); if (rec.deltas.length === 3) controller.abort(); };
    const started = Date.now();
    const result = await runModelStep(rec.request);
    assert.equal(result.aborted, true);
    assert.equal(result.finishReason, 'aborted');
    assert.equal(result.text, rec.streamedText());
    assert.ok(result.text.length >= 12 && result.text.length < 400, `partial text of ${result.text.length} chars`);
    assert.ok(Date.now() - started < 1000, 'did not wait for the rest of the stream');
    assert.equal(rec.retries.length, 0);
  });

  test('aborting a request the provider never answers returns at once', async () => {
    fake.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const rec = recordingRequest(targetFor(fake.url), [userText('hi')], { signal: controller.signal });
    const result = await runModelStep(rec.request);
    assert.equal(result.aborted, true);
    assert.equal(result.text, '');
    assert.deepEqual(result.toolCalls, []);
  });

  test('aborting during the backoff wait ends the step without another request', async () => {
    fake.enqueue({ kind: 'error', status: 429, retryAfter: '30' });
    const controller = new AbortController();
    const rec = recordingRequest(targetFor(fake.url), [userText('hi')], { signal: controller.signal });
    rec.request.onRetry = (info) => { rec.retries.push(info); setTimeout(() => controller.abort(), 50); };
    const started = Date.now();
    const result = await runModelStep(rec.request);
    assert.equal(result.aborted, true);
    assert.equal(rec.retries[0].delayMs, 30_000);
    assert.ok(Date.now() - started < 2000);
    assert.equal(fake.requests.length, 1);
  });
});
