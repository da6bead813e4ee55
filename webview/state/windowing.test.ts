import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indexOfId, rowAt, rowOffsets, windowRange } from './windowing';

test('offsets, the row at a position and the rendered window', () => {
  const o = rowOffsets([100, 50, 200, 10]);
  assert.deepEqual([...o], [0, 100, 150, 350, 360]);
  assert.equal(rowAt(o, -20), 0);
  assert.equal(rowAt(o, 0), 0);
  assert.equal(rowAt(o, 99.5), 0);
  assert.equal(rowAt(o, 100), 1);
  assert.equal(rowAt(o, 349), 2);
  assert.equal(rowAt(o, 10_000), 3);
  assert.deepEqual(windowRange(o, 120, 20, 0), { first: 1, last: 2 });
  assert.deepEqual(windowRange(o, 120, 20, 40), { first: 0, last: 3 });
  assert.deepEqual(windowRange(rowOffsets([]), 0, 500, 100), { first: 0, last: 0 });
});

test('5,000 rows: a window of a few rows anywhere, found by binary search', () => {
  const o = rowOffsets(Array.from({ length: 5000 }, (_, i) => 60 + (i % 7) * 10));
  const { first, last } = windowRange(o, o[2500], 800, 300);
  assert.ok(first < 2500 && last > 2500 && last - first < 30, `${first}..${last}`);
  const rows = Array.from({ length: 5000 }, (_, i) => ({ id: i * 2 + 1 }));
  assert.equal(indexOfId(rows, 4001), 2000);
  assert.equal(indexOfId(rows, 4002), -1);
});
