// Local days across DST changes in America/New_York: the 23-hour day in March, the 25-hour day in November.
// The zone is set before the module is loaded (Node reads TZ for every Date, but nothing may run first in UTC).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

process.env.TZ = 'America/New_York';
type LocalDays = typeof import('./localDays');
let d: LocalDays;
before(async () => { d = await import('./localDays'); });

const H = 3_600_000;

test('the zone is the one set', () => {
  assert.equal(d.timeZone(), 'America/New_York');
});

test('spring forward (2026-03-08): the day starts at 05:00Z, the next at 04:00Z, 23 hours later', () => {
  assert.equal(d.localMidnight('2026-03-08'), Date.UTC(2026, 2, 8, 5));
  assert.equal(d.localMidnight('2026-03-09'), Date.UTC(2026, 2, 9, 4));
  const { fromMs, toMs } = d.localRange('2026-03-08', '2026-03-08');
  assert.equal(toMs - fromMs, 23 * H);
  assert.equal(d.addDays('2026-03-08', 1), '2026-03-09', 'calendar days, not 24-hour steps');
  assert.equal(d.addDays('2026-03-09', -1), '2026-03-08');
  // Either side of the change: 01:59 EST and 03:00 EDT are the same day; 23:59 EDT is still it.
  assert.equal(d.localDate(Date.UTC(2026, 2, 8, 6, 59)), '2026-03-08');
  assert.equal(d.localDate(Date.UTC(2026, 2, 8, 7, 0)), '2026-03-08');
  assert.equal(d.localDate(Date.UTC(2026, 2, 9, 3, 59)), '2026-03-08');
  assert.equal(d.localDate(Date.UTC(2026, 2, 9, 4, 0)), '2026-03-09');
  assert.equal(d.startOfLocalDay(Date.UTC(2026, 2, 8, 20)), Date.UTC(2026, 2, 8, 5));
});

test('fall back (2026-11-01): 25 hours, and the hour that happens twice is one day', () => {
  assert.equal(d.localMidnight('2026-11-01'), Date.UTC(2026, 10, 1, 4));
  assert.equal(d.localMidnight('2026-11-02'), Date.UTC(2026, 10, 2, 5));
  const { fromMs, toMs } = d.localRange('2026-10-31', '2026-11-01');
  assert.equal(toMs - fromMs, 24 * H + 25 * H);
  // 01:30 EDT and 01:30 EST.
  assert.equal(d.localDate(Date.UTC(2026, 10, 1, 5, 30)), '2026-11-01');
  assert.equal(d.localDate(Date.UTC(2026, 10, 1, 6, 30)), '2026-11-01');
  assert.equal(d.localDate(Date.UTC(2026, 10, 2, 4, 59)), '2026-11-01');
  // The spend limit's reset: tomorrow's midnight, found from 36 h after today's (not today + 24 h, which is 23:00).
  const dayStart = d.startOfLocalDay(Date.UTC(2026, 10, 1, 23));
  assert.equal(dayStart, Date.UTC(2026, 10, 1, 4));
  assert.equal(d.startOfLocalDay(dayStart + 36 * H), Date.UTC(2026, 10, 2, 5));
  assert.notEqual(dayStart + 24 * H, Date.UTC(2026, 10, 2, 5));
});

test('months and year ends', () => {
  assert.equal(d.addDays('2026-12-31', 1), '2027-01-01');
  assert.equal(d.addDays('2028-03-01', -1), '2028-02-29');
  assert.equal(d.startOfLocalMonth(Date.UTC(2026, 2, 15)), Date.UTC(2026, 2, 1, 5), 'March starts in EST');
  assert.equal(d.startOfNextLocalMonth(Date.UTC(2026, 2, 15)), Date.UTC(2026, 3, 1, 4), 'April in EDT');
  assert.equal(d.startOfNextLocalMonth(Date.UTC(2026, 11, 31, 12)), Date.UTC(2027, 0, 1, 5));
  assert.throws(() => d.localMidnight('2026-3-8'), /not a date/);
});
