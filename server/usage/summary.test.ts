// The per-day summary folds 15-minute slots into local days by walking the days' boundaries: checked against
// each request's own local date (a Date per request, no slots) in zones with DST changes, half-hour DST
// (Lord Howe) and a 45-minute offset (Kathmandu), over a range that crosses their changes.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { insertModelRequest } from '../store/modelRequests';
import { makeTestContext, type TestContext } from '../testing/testContext';
import { localDate } from './localDays';
import { costSummary } from './summary';

const savedTz = process.env.TZ;
let ctx: TestContext | undefined;
afterEach(() => { ctx?.close(); ctx = undefined; process.env.TZ = savedTz; });

function request(c: TestContext, startedAt: number, cost: number | null, model: string): void {
  insertModelRequest(c.db, {
    chatId: null, messageId: null, sessionKey: 's', kind: 'chat', provider: 'openai-compat', providerId: null, providerName: 'p', modelConfigId: null,
    model, api: 'chat', credentialKind: 'personal', credentialHint: null, inputTokens: 10, outputTokens: 3, reasoningTokens: 1, cacheReadTokens: 2,
    cacheWriteTokens: 0, costMicros: cost, statusCode: 200, outcome: 'ok', errorKind: null, error: null, attempt: 1, startedAt, durationMs: 5, ttftMs: 1,
  });
}

for (const zone of ['America/Los_Angeles', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Europe/Berlin', 'UTC']) {
  test(`per-day usage in ${zone} matches each request's own local date, DST changes included`, () => {
    process.env.TZ = zone;
    ctx = makeTestContext({ withModel: false });
    // Every 7 min 13 s from 2026-03-01 to 2026-04-12 UTC: both 2026 DST changes of the US, Europe's spring one, Lord Howe's autumn one.
    const expected = new Map<string, { requests: number; priced: number; cost: number }>();
    let n = 0;
    for (let t = Date.parse('2026-03-01T00:00:00Z'); t < Date.parse('2026-04-12T00:00:00Z'); t += 433_000, n++) {
      const cost = n % 5 === 0 ? null : (n % 97) * 10;
      request(ctx, t, cost, n % 3 === 0 ? 'm-a' : 'm-b');
      const day = localDate(t);
      const e = expected.get(day) ?? { requests: 0, priced: 0, cost: 0 };
      e.requests++;
      if (cost !== null) { e.priced++; e.cost += cost; }
      expected.set(day, e);
    }
    const result = costSummary(ctx, { group_by: 'day', from: '2026-03-02', to: '2026-04-10' });
    assert.equal(result.rows.length, 40);
    for (const row of result.rows) {
      const e = expected.get(row.key)!;
      assert.equal(row.requests, e.requests, `${zone} ${row.key} requests`);
      assert.equal(row.priced_requests, e.priced, `${zone} ${row.key} priced`);
      assert.equal(row.total_cost_micros, e.priced > 0 ? e.cost : null, `${zone} ${row.key} cost`);
      assert.equal(row.input_tokens, e.requests * 10);
    }
    const days = result.rows.map((r) => r.key);
    assert.equal(days[0], '2026-03-02');
    assert.equal(days.at(-1), '2026-04-10');
    assert.equal(result.total.requests, result.rows.reduce((s, r) => s + r.requests, 0));
    assert.equal(result.total.total_cost_micros, result.rows.reduce((s, r) => s + (r.total_cost_micros ?? 0), 0));
    assert.equal(result.time_zone, zone);
  });
}

test('a range with no requests: every day present and empty, the total empty', () => {
  process.env.TZ = 'Asia/Kathmandu';
  ctx = makeTestContext({ withModel: false });
  const result = costSummary(ctx, { group_by: 'day', from: '2026-05-01', to: '2026-05-03' });
  assert.deepEqual(result.rows.map((r) => [r.key, r.requests, r.total_cost_micros]), [['2026-05-01', 0, null], ['2026-05-02', 0, null], ['2026-05-03', 0, null]]);
  assert.equal(result.total.requests, 0);
  assert.equal(result.total.total_cost_micros, null);
});
