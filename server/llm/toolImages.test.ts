// Images from tool results reach the model as images on both wire formats, after the step's tool messages,
// newest few only, and never as base64 text; a model without image input gets words instead.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { startFakeOpenAI, type FakeOpenAI } from '../../test/fakes/fakeOpenAI';
import type { ChatMessage, MessagePart } from '../protocol';
import { toChatMessages } from './chatCompletions';
import { responsesInput } from './responses';
import { runModelStep } from './runModelStep';
import { message, recordingRequest, targetFor, userText } from './stepRecorder';
import { MAX_IMAGES_PER_REQUEST } from './toolImages';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex').toString('base64');
const image = (data = PNG) => ({ type: 'image', mime_type: 'image/png', size_bytes: 29, data });

/** One step: an assistant calling `tools`, then their results. */
function step(n: number, results: Array<{ name: string; result: unknown }>): ChatMessage[] {
  const calls: MessagePart[] = results.map((r, i) => ({ type: 'tool-call', tool_call_id: `c${n}_${i}`, tool_name: r.name, args: '{}' }));
  return [
    message('assistant', calls),
    message('tool', results.map((r, i) => ({ type: 'tool-result', tool_call_id: `c${n}_${i}`, tool_name: r.name, is_error: false, result: r.result }) as MessagePart)),
  ];
}

const history = (): ChatMessage[] => [
  userText('look at the page'),
  ...step(1, [{ name: 'shot', result: { content: [{ type: 'text', text: 'page 1' }, image()] } }, { name: 'read', result: 'plain text' }]),
];

test('chat completions: the tool messages first, then one user message with the image as a data URL; no base64 in the text', () => {
  const msgs = toChatMessages('sys', history());
  const roles = msgs.map((m) => m.role);
  assert.deepEqual(roles, ['system', 'user', 'assistant', 'tool', 'tool', 'user']);
  const tool = msgs[3] as Extract<ChatCompletionMessageParam, { role: 'tool' }>;
  assert.ok(!String(tool.content).includes(PNG), 'the base64 is not in the tool message');
  assert.match(String(tool.content), /sent as image 1 of call c1_0 in the next user message/);
  const images = msgs[5] as Extract<ChatCompletionMessageParam, { role: 'user' }>;
  assert.ok(Array.isArray(images.content));
  assert.deepEqual(images.content[1], { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } });
  assert.match((images.content[0] as { text: string }).text, /image 1 of shot \(call c1_0\)/);
});

test(`only the newest ${MAX_IMAGES_PER_REQUEST} images are sent; older ones are described`, () => {
  const h: ChatMessage[] = [userText('go')];
  for (let n = 1; n <= 5; n++) h.push(...step(n, [{ name: 'shot', result: { content: [image(PNG + '='.repeat(0))] } }]));
  const msgs = toChatMessages('', h);
  const sent = msgs.flatMap((m) => (m.role === 'user' && Array.isArray(m.content) ? m.content.filter((c) => c.type === 'image_url') : []));
  assert.equal(sent.length, MAX_IMAGES_PER_REQUEST);
  const tools = msgs.filter((m) => m.role === 'tool').map((m) => String(m.content));
  assert.match(tools[0], /not shown again: only the newest 3 images are sent/);
  assert.match(tools[4], /sent as image 1/);
});

test('a model without image input gets no image, and the result says why', () => {
  const msgs = toChatMessages('', history(), false);
  assert.ok(msgs.every((m) => !(m.role === 'user' && Array.isArray(m.content))), 'no image message');
  assert.match(String(msgs.find((m) => m.role === 'tool')?.content), /this model does not take images/);
});

test('responses: function outputs first, then a user message with input_image', () => {
  const { input } = responsesInput(history(), false);
  const types = input.map((i) => ('type' in i && i.type ? i.type : `message:${(i as { role: string }).role}`));
  assert.deepEqual(types, ['message:user', 'function_call', 'function_call', 'function_call_output', 'function_call_output', 'message:user']);
  const last = input[5] as { content: Array<{ type: string; image_url?: string }> };
  assert.equal(last.content[1].type, 'input_image');
  assert.equal(last.content[1].image_url, `data:image/png;base64,${PNG}`);
});

let fake: FakeOpenAI;
beforeEach(async () => { fake = await startFakeOpenAI({ apiKey: 'test-key' }); });
afterEach(async () => { await fake.close(); });

test('on the wire: the request the provider gets carries the image part', async () => {
  fake.enqueue({ kind: 'text', text: 'I see a pixel.' });
  await runModelStep(recordingRequest(targetFor(fake.url), history()).request);
  const sent = fake.requests.at(-1)?.body as { messages: ChatCompletionMessageParam[] };
  const last = sent.messages.at(-1) as { role: string; content: Array<{ type: string; image_url?: { url: string } }> };
  assert.equal(last.role, 'user');
  assert.equal(last.content[1].image_url?.url, `data:image/png;base64,${PNG}`);
  assert.ok(!JSON.stringify(sent.messages.filter((m) => m.role === 'tool')).includes(PNG));
});
