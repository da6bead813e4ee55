import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { startFakeOpenAI, type FakeOpenAI } from '../../test/fakes/fakeOpenAI';
import { listProviderModels } from './models';
import { ModelError } from './types';

let fake: FakeOpenAI;
before(async () => { fake = await startFakeOpenAI({ apiKey: 'test-key' }); });
after(async () => { await fake.close(); });

test('lists the provider\'s model ids, sorted and without duplicates', async () => {
  fake.models = ['zeta', 'alpha', 'mid', 'alpha'];
  assert.deepEqual(await listProviderModels(fake.url, 'test-key'), ['alpha', 'mid', 'zeta']);
});

test('a wrong key is an auth error', async () => {
  await assert.rejects(listProviderModels(fake.url, 'wrong'), (err) => err instanceof ModelError && err.kind === 'auth' && err.statusCode === 401);
});

test('a base URL without a model list says so', async () => {
  const server = http.createServer((_req, res) => { res.writeHead(404, { 'content-type': 'application/json' }); res.end('{"error":{"message":"Not found"}}'); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await assert.rejects(listProviderModels(base, undefined), (err) => err instanceof ModelError && err.kind === 'config'
      && err.message === `${base} has no model list (GET ${base}/models answered 404). Check the base URL; it usually ends in /v1.`);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('an unreachable provider names the address and the cause', async () => {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/v1`;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  await assert.rejects(listProviderModels(base, 'k'), (err) => err instanceof ModelError && err.message.startsWith(`Could not reach ${base}: `) && /connection refused/.test(err.message) && /ECONNREFUSED/.test(err.detail ?? ''));
});
