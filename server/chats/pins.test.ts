import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { makeTestContext, text, type TestContext } from '../testing/testContext';
import { createChat, updateChat } from './lifecycle';

let ctx: TestContext;
beforeEach(() => { ctx = makeTestContext(); });
afterEach(() => ctx.close());

const pins = () => Object.fromEntries((ctx.db.prepare('SELECT id, pin_order FROM chats WHERE pin_order > 0').all() as Array<{ id: string; pin_order: number }>).map((r) => [r.id, r.pin_order]));

test('pin appends, reorder clamps and shifts neighbours, unpin compacts', () => {
  const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((t) => createChat(ctx, { content: text(t) }));
  for (const x of [a, b, c]) updateChat(ctx, { chat_id: x.id, pin_order: 99 });
  assert.deepEqual(pins(), { [a.id]: 1, [b.id]: 2, [c.id]: 3 });
  updateChat(ctx, { chat_id: c.id, pin_order: 1 });
  assert.deepEqual(pins(), { [c.id]: 1, [a.id]: 2, [b.id]: 3 });
  updateChat(ctx, { chat_id: c.id, pin_order: 50 }); // clamped to the pinned count
  assert.deepEqual(pins(), { [a.id]: 1, [b.id]: 2, [c.id]: 3 });
  updateChat(ctx, { chat_id: a.id, pin_order: 2 });
  assert.deepEqual(pins(), { [b.id]: 1, [a.id]: 2, [c.id]: 3 });
  updateChat(ctx, { chat_id: b.id, pin_order: 0 });
  assert.deepEqual(pins(), { [a.id]: 1, [c.id]: 2 });
  updateChat(ctx, { chat_id: d.id, pin_order: 1 }); // an unpinned chat is appended whatever the value
  assert.deepEqual(pins(), { [a.id]: 1, [c.id]: 2, [d.id]: 3 });
  assert.throws(() => updateChat(ctx, { chat_id: d.id, pin_order: -1 }), /Pin order must be non-negative\./);
  updateChat(ctx, { chat_id: c.id, archived: true });
  assert.deepEqual(pins(), { [a.id]: 1, [d.id]: 2 }, 'archiving unpins and compacts');
});

test('pin order is per workspace', () => {
  const a = createChat(ctx, { content: text('a') });
  updateChat(ctx, { chat_id: a.id, pin_order: 1 });
  // The other workspace's server pins its own chat.
  const own = ctx.workspace;
  ctx.workspace = { ...own, workspace: '/elsewhere', folders: ['/elsewhere'] };
  const other = createChat(ctx, { content: text('b') });
  updateChat(ctx, { chat_id: other.id, pin_order: 1 });
  ctx.workspace = own;
  assert.deepEqual(pins(), { [a.id]: 1, [other.id]: 1 });
  assert.throws(() => updateChat(ctx, { chat_id: other.id, pin_order: 2 }), /Chat not found/, 'another workspace\'s chat is not found here');
});
