// throttled: the first call at once, a burst folded into one call at the end of the period, and cancel() drops a
// folded call still waiting (the server's usage notification read a closed database after shutdown without it).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { throttled } from './time';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a burst is the first call at once and one more at the end of the period', async () => {
  let calls = 0;
  const t = throttled(80, () => { calls++; });
  t(); t(); t();
  assert.equal(calls, 1);
  await sleep(140);
  assert.equal(calls, 2);
});

test('cancel drops the folded call and ignores later ones', async () => {
  let calls = 0;
  const t = throttled(80, () => { calls++; });
  t(); t();
  t.cancel();
  await sleep(140);
  assert.equal(calls, 1, 'the waiting call never ran');
  t();
  assert.equal(calls, 1, 'nor does a call after cancel');
});
