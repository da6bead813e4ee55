import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lastDays, localDate } from './dates';

test('local dates are the local calendar day, not UTC', () => {
  assert.equal(localDate(new Date(2026, 0, 5, 23, 59)), '2026-01-05');
  assert.equal(localDate(new Date(2026, 0, 6, 0, 1)), '2026-01-06');
});

test('the last N days end today and include it', () => {
  assert.deepEqual(lastDays(7, new Date(2026, 2, 3, 12)), { from: '2026-02-25', to: '2026-03-03' });
  assert.deepEqual(lastDays(1, new Date(2026, 2, 3, 12)), { from: '2026-03-03', to: '2026-03-03' });
});
