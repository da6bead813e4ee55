import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { discoverContextLimit, limitOfEntry, limitOfOllamaShow } from './contextLimits';

let server: http.Server;
let base = '';
const seen: string[] = [];
before(async () => {
  server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const json = (status: number, body: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
    if (req.url === '/v1/models') return json(200, { data: [{ id: 'router/model', context_length: 200_000 }, { id: 'vllm-model', max_model_len: 32_768 }, { id: 'plain' }, { id: 'lms-model' }] });
    if (req.url === '/api/v0/models/lms-model') return json(200, { id: 'lms-model', max_context_length: 65_536 });
    if (req.url === '/api/show') return json(200, { model_info: { 'general.architecture': 'llama', 'llama.context_length': 131_072 } });
    return json(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('the fields providers publish', () => {
  assert.equal(limitOfEntry({ context_length: 1000 }), 1000);
  assert.equal(limitOfEntry({ top_provider: { context_length: 2000 } }), 2000);
  assert.equal(limitOfEntry({ context_length: -1 }), undefined);
  assert.equal(limitOfOllamaShow({ model_info: { 'qwen2.context_length': 32768 } }), 32768);
  assert.equal(limitOfOllamaShow({}), undefined);
});

test('discovery: the model list first, then LM Studio\'s native list, then Ollama\'s show', async () => {
  assert.equal(await discoverContextLimit(base, undefined, 'router/model'), 200_000);
  assert.equal(await discoverContextLimit(base, undefined, 'vllm-model'), 32_768);
  assert.equal(await discoverContextLimit(base, undefined, 'lms-model'), 65_536);
  assert.equal(await discoverContextLimit(base, undefined, 'plain'), 131_072, 'an Ollama-style server answers /api/show');
  assert.ok(seen.includes('POST /api/show'));
  assert.equal(await discoverContextLimit('http://127.0.0.1:9/v1', undefined, 'x'), undefined, 'nothing answers: the fallback stays');
});
