import assert from 'node:assert/strict';
import { APIError } from 'openai';
import { describe, test } from 'node:test';
import { kindForStatus, parseRetryAfter, toModelError } from './errors';
import { backoffMs, MAX_DELAY_MS } from './retry';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  test('seconds, fractional seconds and retry-after-ms', () => {
    assert.equal(parseRetryAfter({ 'retry-after': '3' }, now), 3000);
    assert.equal(parseRetryAfter({ 'retry-after': '1.5' }, now), 1500);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now), 250);
  });
  test('an HTTP date counts from now; a past date means no wait', () => {
    assert.equal(parseRetryAfter({ 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' }, now), 10_000);
    assert.equal(parseRetryAfter({ 'retry-after': 'Wed, 31 Dec 2025 23:00:00 GMT' }, now), 0);
  });
  test('absent or unreadable values are undefined', () => {
    assert.equal(parseRetryAfter(undefined, now), undefined);
    assert.equal(parseRetryAfter({}, now), undefined);
    assert.equal(parseRetryAfter({ 'retry-after': 'soon' }, now), undefined);
    assert.equal(parseRetryAfter({ 'retry-after': '-4' }, now), undefined);
  });
});

describe('backoffMs', () => {
  test('exponential from 500 ms with jitter over the upper half, capped at 30 s', () => {
    assert.equal(backoffMs(1, undefined, () => 0), 250);
    assert.equal(backoffMs(1, undefined, () => 1), 500);
    assert.equal(backoffMs(3, undefined, () => 1), 2000);
    assert.equal(backoffMs(20, undefined, () => 1), MAX_DELAY_MS);
    assert.equal(backoffMs(20, undefined, () => 0), MAX_DELAY_MS / 2);
  });
  test('what the provider asked for wins', () => {
    assert.equal(backoffMs(1, 7000), 7000);
    assert.equal(backoffMs(4, 0), 0);
  });
});

describe('classification', () => {
  test('status → kind', () => {
    assert.deepEqual([401, 403, 404, 429, 408, 504, 500, 503, 529, 400, 422].map(kindForStatus),
      ['auth', 'auth', 'config', 'rate_limit', 'timeout', 'timeout', 'overloaded', 'overloaded', 'overloaded', 'generic', 'generic']);
  });
  test('an unknown failure in our own code is not retried', () => {
    const err = toModelError(new TypeError('x is undefined'), { model: 'm', baseUrl: 'http://h' });
    assert.equal(err.retryable, false);
    assert.equal(err.kind, 'generic');
  });
});

describe('image refusals', () => {
  const apiError = (status: number, message: string) => APIError.generate(status, { error: { message } }, undefined, new Headers());
  test('a 400 about images, vision or multimodal input says the model takes no images and names the setting', () => {
    for (const m of ['Invalid content type. image_url is only supported by certain models.', 'This model does not support vision', 'model is not multimodal']) {
      const err = toModelError(apiError(400, m), { model: 'text-only', baseUrl: 'http://h' });
      assert.equal(err.kind, 'config');
      assert.equal(err.retryable, false);
      assert.match(err.message, /"text-only" refused the request's images \(400\)[\s\S]*localAgents\.computerUse\.model/);
    }
  });
  test('other 400s are not taken for image refusals', () => {
    assert.doesNotMatch(toModelError(apiError(400, 'temperature must be below 2'), { model: 'm', baseUrl: 'http://h' }).message, /images/);
  });
});
