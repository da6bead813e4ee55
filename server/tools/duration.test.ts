import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDurationSeconds } from './duration';

test('numbers are seconds; strings take ms, s, m, h and combinations', () => {
  assert.equal(parseDurationSeconds(undefined, 10, 'timeout'), 10);
  assert.equal(parseDurationSeconds(2.5, 10, 'timeout'), 2.5);
  assert.equal(parseDurationSeconds('30', 10, 'timeout'), 30);
  assert.equal(parseDurationSeconds('30s', 10, 'timeout'), 30);
  assert.equal(parseDurationSeconds('0s', 10, 'wait_timeout'), 0);
  assert.equal(parseDurationSeconds('500ms', 10, 'timeout'), 0.5);
  assert.equal(parseDurationSeconds('5m', 10, 'timeout'), 300);
  assert.equal(parseDurationSeconds('1h30m', 10, 'timeout'), 5400);
  assert.equal(parseDurationSeconds(' 2 m ', 10, 'timeout'), 120);
});

test('anything else is an error naming the field', () => {
  assert.throws(() => parseDurationSeconds('soon', 10, 'timeout'), /^Error: timeout: "soon" is not a duration/);
  assert.throws(() => parseDurationSeconds('5x', 10, 'wait_timeout'), /^Error: wait_timeout: "5x" is not a duration/);
  assert.throws(() => parseDurationSeconds(-1, 10, 'timeout'), /^Error: timeout: -1 is not a valid number of seconds/);
});
