import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyUsage, forEachChunk, type StepAccumulator } from './streamedStep';

test('forEachChunk lets pending writes out right after the first delta, even when the stream never waits on I/O', async () => {
  const acc: StepAccumulator = { text: '', reasoning: '', usage: emptyUsage(), opened: true, finished: false, deltas: 0 };
  async function* alreadyBuffered() { for (let i = 0; i < 200; i++) yield i; }
  const order: string[] = [];
  await forEachChunk(alreadyBuffered(), acc, (i) => {
    order.push(`chunk ${i}`);
    // Chunks 0-4 carry no delta (a role chunk, empty content); chunk 5 is the first token, whose
    // notification is written in a setImmediate by the JSON-RPC writer.
    if (i >= 5) acc.deltas++;
    if (i === 5) setImmediate(() => order.push('first token written'));
  });
  assert.equal(order.indexOf('first token written'), order.indexOf('chunk 5') + 1);
  assert.equal(order.filter((o) => o.startsWith('chunk')).length, 200);
});
