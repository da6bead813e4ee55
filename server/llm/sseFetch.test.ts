import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { startFakeOpenAI } from '../../test/fakes/fakeOpenAI';
import { sseFetch } from './sseFetch';

const sseBody = Array.from({ length: 2000 }, (_, i) => `data: {"n":${i}}\n\n`).join('');
let server: http.Server;
let base = '';
before(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/sse') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(sseBody); // one write: the client reads it in a few large chunks
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ big: 'x'.repeat(10_000) }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('an event stream reaches the reader in pieces of at most 1 KiB, byte for byte', async () => {
  const res = await sseFetch(`${base}/sse`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/event-stream');
  const pieces: Uint8Array[] = [];
  for await (const piece of res.body as unknown as AsyncIterable<Uint8Array>) pieces.push(piece);
  assert.ok(pieces.length >= Buffer.byteLength(sseBody) / 1024, `${pieces.length} pieces`);
  assert.ok(pieces.every((p) => p.length <= 1024));
  assert.equal(Buffer.concat(pieces).toString(), sseBody);
});

test('other responses are passed through untouched', async () => {
  const res = await sseFetch(`${base}/json`);
  assert.equal(((await res.json()) as { big: string }).big.length, 10_000);
});

test('the openai SDK reads a 5,000-delta stream through it completely and in order', async () => {
  const fake = await startFakeOpenAI();
  try {
    const chunks = Array.from({ length: 5000 }, (_, i) => `w${i} `);
    fake.enqueue({ kind: 'text', text: chunks.join(''), chunks });
    const client = new OpenAI({ baseURL: fake.url, apiKey: 'k', maxRetries: 0, fetch: sseFetch });
    const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'go' }], stream: true, stream_options: { include_usage: true } });
    const got: string[] = [];
    let usage = false;
    for await (const chunk of stream) {
      const d = chunk.choices[0]?.delta?.content;
      if (d) got.push(d);
      if (chunk.usage) usage = true;
    }
    assert.deepEqual(got, chunks);
    assert.equal(usage, true);
  } finally {
    await fake.close();
  }
});

test('aborting the request ends the piecewise stream early, as the SDK does without it', async () => {
  const fake = await startFakeOpenAI();
  try {
    const chunks = Array.from({ length: 50 }, (_, i) => `w${i} `);
    fake.enqueue({ kind: 'text', text: chunks.join(''), chunks, delayMs: 20 });
    const client = new OpenAI({ baseURL: fake.url, apiKey: 'k', maxRetries: 0, fetch: sseFetch });
    const controller = new AbortController();
    const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'go' }], stream: true }, { signal: controller.signal });
    let n = 0;
    const started = performance.now();
    // The SDK ends the iteration quietly on an abort; the stream must not run on to its 50th delta.
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta?.content && ++n === 3) controller.abort();
    }
    assert.equal(n, 3, `stopped after ${n} deltas`);
    assert.ok(performance.now() - started < 500, 'ended at the abort, not at the end of the stream');
  } finally {
    await fake.close();
  }
});
