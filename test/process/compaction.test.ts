// Context compaction through a real server and the fake model: the threshold, a provider's "context too
// long", the no-loop guard, Compact Chat with a focus and Reset Chat Context.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import * as P from '../../server/protocol';
import type { Chat, ChatMessage, CompactionPart, ModelConfig } from '../../server/protocol';
import type { CapturedRequest, FakeReply } from '../fakes/fakeOpenAI';
import { setupEnv, text, type Env } from './helpers';

let env: Env;
beforeEach(async () => { env = await setupEnv(); });
afterEach(async () => { await env.cleanup(); });

type Server = Awaited<ReturnType<Env['start']>>;
const messages = async (s: Server, chatId: string) => (await s.request<unknown, P.MessagesPage>(P.GetMessages, { chat_id: chatId, limit: 200 })).messages;
const boundaries = (msgs: ChatMessage[]) => msgs.flatMap((m) => m.content.filter((p): p is CompactionPart => p.type === 'compaction'));
const wire = (r: CapturedRequest) => JSON.stringify(r.messages ?? r.input);
const isSummaryRequest = (r: CapturedRequest) => !r.stream && /compact the history/i.test(wire(r));
const streamed = () => env.fake.requests.filter((r) => r.stream);
/** The fake answers summary requests with `summary`, titles with "t", and the rest from its queue. */
const summariesAs = (summary: string) => (req: CapturedRequest): FakeReply | undefined =>
  (isSummaryRequest(req) ? { kind: 'text', text: summary } : req.stream ? undefined : { kind: 'title', title: 't' });

async function setLimit(s: Server, context_limit: number, options: Record<string, unknown> = {}): Promise<ModelConfig> {
  const [config] = await s.request<unknown, ModelConfig[]>(P.ListModelConfigs, {});
  return s.request<unknown, ModelConfig>(P.UpdateModelConfig, { model_config_id: config.id, context_limit, options: { ...config.options, ...options } });
}

const bigRead = (id: string): FakeReply => ({ kind: 'tools', calls: [{ id, name: 'execute', args: JSON.stringify({ command: 'seq 1 1500' }) }] });

test('threshold: old tool output and turns are summarised; the next request carries the summary, the unanswered message word for word, not the old turns', async () => {
  const s = await env.start();
  await setLimit(s, 4000);
  let summaries = 0;
  env.fake.setHandler((req) => {
    if (isSummaryRequest(req)) { summaries++; return { kind: 'text', text: '## Goal\nCount numbers (SUMMARY-MARK).' }; }
    if (!req.stream) return { kind: 'title', title: 'Numbers' };
    return undefined;
  });
  // Turn 1: a long answer the model will not see again after compaction.
  env.fake.enqueue({ kind: 'text', text: `OLD-TURN ${'lorem ipsum '.repeat(1200)}`, usage: { prompt_tokens: 200, completion_tokens: 2400 } });
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('first question') });
  await s.waitForStatus(chat.id, ['waiting'], 15_000);
  // Turn 2 starts over the threshold (the last step's usage and our estimate): compaction runs before its step.
  env.fake.enqueue({ kind: 'text', text: 'second answer' });
  await s.request(P.SendMessage, { chat_id: chat.id, content: text('UNANSWERED-QUESTION please go on') });
  await s.waitForStatus(chat.id, ['waiting'], 15_000);
  // The history is larger than the summarising request may be: it is summarised in parts, each fitting the
  // window, each later part reading the summary so far.
  const summaryRequests = env.fake.requests.filter(isSummaryRequest);
  assert.equal(summaries, summaryRequests.length);
  assert.ok(summaryRequests.length >= 2, `parts: ${summaryRequests.length}`);
  for (const r of summaryRequests) assert.ok(wire(r).length / 4 < 4000, `a summary request of ~${Math.round(wire(r).length / 4)} tokens`);
  assert.match(wire(summaryRequests[1]), /Summary of the earlier history:\\n## Goal/);
  const last = streamed().at(-1)!;
  assert.match(wire(last), /SUMMARY-MARK/, 'the summary is sent');
  assert.doesNotMatch(wire(last), /OLD-TURN/, 'the old turn is not');
  assert.equal(wire(last).match(/UNANSWERED-QUESTION please go on/g)?.length, 1, 'the unanswered message is re-added once, word for word');
  const msgs = await messages(s, chat.id);
  const [b] = boundaries(msgs);
  assert.equal(b.reason, 'threshold');
  assert.ok(b.tokens_before > b.tokens_after, JSON.stringify(b));
  assert.ok(msgs.some((m) => m.content.some((p) => p.type === 'text' && p.text.startsWith('OLD-TURN'))), 'old messages stay in the chat');
  // The summary requests offered no tools.
  assert.ok(summaryRequests.every((r) => r.tools === undefined));
});

test('pruning first: with big tool outputs, old outputs are replaced by a note and no summary is needed', async () => {
  const s = await env.start();
  await setLimit(s, 8000);
  env.fake.setHandler(summariesAs('should not be needed'));
  env.fake.enqueue(bigRead('c1'), bigRead('c2'), bigRead('c3'), bigRead('c4'), { kind: 'text', text: 'done' });
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('count'), permission_mode: 'bypass' });
  await s.waitForStatus(chat.id, ['waiting'], 20_000);
  const sent = wire(streamed().at(-1)!);
  assert.equal(sent.match(/was removed to save context/g)?.length, 3, 'the three older outputs are pruned');
  assert.equal(sent.match(/1499/g)?.length, 1, 'the newest output is kept');
  assert.equal(env.fake.requests.filter(isSummaryRequest).length, 0);
  assert.equal(boundaries(await messages(s, chat.id)).length, 0);
});

test('context_length_exceeded: the turn compacts and retries once instead of failing; a second refusal fails the turn', async () => {
  const s = await env.start();
  env.fake.setHandler(summariesAs('SUMMARY-AFTER-400'));
  env.fake.enqueue({ kind: 'text', text: 'first answer' });
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('hello') });
  await s.waitForStatus(chat.id, ['waiting'], 15_000);
  const tooLong: FakeReply = { kind: 'error', status: 400, code: 'context_length_exceeded', message: "This model's maximum context length is 8192 tokens." };
  env.fake.enqueue(tooLong, { kind: 'text', text: 'answer after compaction' });
  await s.request(P.SendMessage, { chat_id: chat.id, content: text('next') });
  await s.waitForStatus(chat.id, ['waiting'], 15_000);
  const msgs = await messages(s, chat.id);
  assert.equal(boundaries(msgs)[0]?.reason, 'context_exceeded');
  assert.ok(msgs.some((m) => m.content.some((p) => p.type === 'text' && p.text === 'answer after compaction')));
  assert.match(wire(streamed().at(-1)!), /SUMMARY-AFTER-400/);

  env.fake.enqueue(tooLong, tooLong);
  await s.request(P.SendMessage, { chat_id: chat.id, content: text('again') });
  await s.waitForStatus(chat.id, ['error'], 15_000);
  const failed = await s.request<unknown, Chat>(P.GetChat, { chat_id: chat.id });
  assert.equal(failed.last_error?.kind, 'context_length');
  assert.match(failed.last_error?.message ?? '', /longer than the model's context window/);
});

test('no loop: a pass that saves under 5% or cannot get under the threshold is not tried again in the same turn', async () => {
  const s = await env.start();
  await setLimit(s, 3000, { compaction_threshold_percent: 10 });
  // The "summary" is as long as what it replaces, so every step stays over the threshold.
  env.fake.setHandler(summariesAs('x'.repeat(6000)));
  env.fake.enqueue({ kind: 'text', text: 'y'.repeat(4000) });
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('start'), permission_mode: 'bypass' });
  await s.waitForStatus(chat.id, ['waiting'], 15_000);
  const before = env.fake.requests.length;
  env.fake.enqueue(bigRead('a'), bigRead('b'), bigRead('c'), { kind: 'text', text: 'finished' });
  await s.request(P.SendMessage, { chat_id: chat.id, content: text('work') });
  await s.waitForStatus(chat.id, ['waiting'], 20_000);
  const b = boundaries(await messages(s, chat.id));
  // One boundary per turn (the first turn's instructions and tools alone pass this tiny threshold), and no
  // summary request after the second turn's first step.
  assert.equal(b.length, 2, `one pass per turn when it does not help: ${JSON.stringify(b.map((x) => [x.reason, x.tokens_before, x.tokens_after]))}`);
  const turn2 = env.fake.requests.slice(env.fake.requests.findIndex((r, i) => i >= before && isSummaryRequest(r)));
  const firstStep = turn2.findIndex((r) => r.stream);
  assert.ok(firstStep > 0 && !turn2.slice(firstStep).some(isSummaryRequest), 'no summary after the first step');
});

test('Compact Chat with a focus, and Reset Chat Context without a model call; both refused while the chat runs', async () => {
  const s = await env.start();
  env.fake.setHandler(summariesAs('MANUAL-SUMMARY'));
  env.fake.enqueue({ kind: 'text', text: 'FIRST-ANSWER' });
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('hello') });
  await s.waitForStatus(chat.id, ['waiting'], 15_000);
  await assert.rejects(s.request(P.CompactChat, { chat_id: chat.id, focus: 'x'.repeat(3000) }), /Focus must be at most 2000 characters/);
  const compacted = await s.request<unknown, P.CompactChatResult>(P.CompactChat, { chat_id: chat.id, focus: 'the API names' });
  const part = compacted.message!.content[0] as CompactionPart;
  assert.equal(part.reason, 'manual');
  assert.equal(part.summary, 'MANUAL-SUMMARY');
  assert.match(wire(env.fake.requests.filter(isSummaryRequest)[0]), /the API names/);
  env.fake.enqueue({ kind: 'text', text: 'ok' });
  await s.request(P.SendMessage, { chat_id: chat.id, content: text('after compact') });
  await s.waitForStatus(chat.id, ['waiting'], 15_000);
  assert.doesNotMatch(wire(streamed().at(-1)!), /FIRST-ANSWER/);
  assert.match(wire(streamed().at(-1)!), /MANUAL-SUMMARY/);

  const requestsBefore = env.fake.requests.length;
  const reset = await s.request<unknown, P.ResetChatContextResult>(P.ResetChatContext, { chat_id: chat.id });
  assert.equal((reset.message.content[0] as CompactionPart).reason, 'reset');
  assert.equal(env.fake.requests.length, requestsBefore, 'reset makes no model call');
  env.fake.enqueue({ kind: 'text', text: 'fresh', delayMs: 300, chunks: ['fr', 'es', 'h'] });
  await s.request(P.SendMessage, { chat_id: chat.id, content: text('FRESH-START') });
  await s.waitForStatus(chat.id, ['running'], 15_000);
  await assert.rejects(s.request(P.ResetChatContext, { chat_id: chat.id }), /Chat is busy/);
  await s.waitForStatus(chat.id, ['waiting'], 15_000);
  const sent = wire(streamed().at(-1)!);
  assert.doesNotMatch(sent, /MANUAL-SUMMARY|after compact/);
  assert.match(sent, /FRESH-START/);
  assert.match(sent, /cleared from the context/);
});
