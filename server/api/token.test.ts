import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseListenAddress } from '../cli/serve';
import { isLoopbackHost } from './httpServer';
import { apiToken, bearerMatches, rotateApiToken } from './token';

test('the token is generated once into a 0600 file, rotated on demand, and the environment wins', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'la-token-'));
  try {
    const first = apiToken(dir, {});
    assert.equal(first.source, 'file');
    assert.match(first.token, /^la_[A-Za-z0-9_-]{43}$/);
    assert.equal(statSync(first.file).mode & 0o777, 0o600);
    assert.equal(apiToken(dir, {}).token, first.token, 'stable across reads');
    chmodSync(first.file, 0o644);
    apiToken(dir, {});
    assert.equal(statSync(first.file).mode & 0o777, 0o600, 'a loosened file is tightened');
    const rotated = rotateApiToken(dir);
    assert.notEqual(rotated, first.token);
    assert.equal(readFileSync(first.file, 'utf8').trim(), rotated);
    assert.deepEqual(apiToken(dir, { LOCAL_AGENTS_API_TOKEN: 'from-env' }), { token: 'from-env', source: 'env', file: first.file });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bearer comparison: exact token only', () => {
  assert.equal(bearerMatches('Bearer abc', 'abc'), true);
  assert.equal(bearerMatches('bearer abc', 'abc'), true);
  assert.equal(bearerMatches('Bearer abcd', 'abc'), false);
  assert.equal(bearerMatches('Basic abc', 'abc'), false);
  assert.equal(bearerMatches(undefined, 'abc'), false);
  assert.equal(bearerMatches('Bearer ', 'abc'), false);
});

test('listen addresses: loopback only', () => {
  assert.deepEqual(parseListenAddress('127.0.0.1:4096'), { host: '127.0.0.1', port: 4096 });
  assert.deepEqual(parseListenAddress('[::1]:0'), { host: '::1', port: 0 });
  assert.deepEqual(parseListenAddress('8080'), { host: '127.0.0.1', port: 8080 });
  assert.throws(() => parseListenAddress('127.0.0.1:99999'), /is not HOST:PORT/);
  assert.throws(() => parseListenAddress('nonsense'), /is not HOST:PORT/);
  for (const ok of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) assert.equal(isLoopbackHost(ok), true, ok);
  for (const bad of ['0.0.0.0', '192.168.1.2', '::', 'example.com', '127.0.0.1.evil.com']) assert.equal(isLoopbackHost(bad), false, bad);
});
