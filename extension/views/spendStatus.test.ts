import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SpendStatus } from '../../server/protocol/usage';
import { spendStatusView, usd } from './spendStatus';

const status = (over: Partial<SpendStatus> = {}): SpendStatus => ({
  time_zone: 'UTC', today_micros: 1_234_567, month_micros: 9_000_000, today_unpriced_requests: 0, limits: [], exceeded: null, ...over,
});

test('dollars: cents, and four decimals for amounts under a cent', () => {
  assert.equal(usd(1_234_567), '$1.23');
  assert.equal(usd(0), '$0.00');
  assert.equal(usd(420), '$0.0004');
});

test('no limit: today, the month, and where limits are set', () => {
  const v = spendStatusView(status(), 'en-US');
  assert.equal(v.text, '$(graph) $1.23');
  assert.equal(v.warning, false);
  assert.match(v.tooltip, /today: \$1\.23/);
  assert.match(v.tooltip, /This month: \$9\.00/);
  assert.match(v.tooltip, /localAgents\.usage\.dailySpendLimit/);
});

test('unpriced requests are said, not counted as zero', () => {
  const v = spendStatusView(status({ today_unpriced_requests: 2 }), 'en-US');
  assert.equal(v.text, '$(graph) $1.23+');
  assert.match(v.tooltip, /\+ 2 unpriced requests/);
});

test('an exceeded limit: warning, which limit, and when it resets', () => {
  const day = { period: 'day' as const, limit_micros: 1_000_000, spent_micros: 1_234_567, resets_at: '2030-01-02T00:00:00.000Z' };
  const month = { period: 'month' as const, limit_micros: 50_000_000, spent_micros: 9_000_000, resets_at: '2030-02-01T00:00:00.000Z' };
  const v = spendStatusView(status({ limits: [day, month], exceeded: day }), 'en-US');
  assert.equal(v.warning, true);
  assert.equal(v.text, '$(warning) $1.23');
  assert.match(v.tooltip, /^Daily spend limit reached: new turns do not start until it resets \(Jan [12], 2030/);
  assert.match(v.tooltip, /Daily limit \$1\.00: \$1\.23 spent, reached/);
  assert.match(v.tooltip, /Monthly limit \$50\.00: \$9\.00 spent, 18% used/);
});
