import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { CHAT_STATUSES } from '../protocol';
import { getChatRow } from '../store/chats';
import { makeTestContext, text, type TestContext } from '../testing/testContext';
import { createChat } from './lifecycle';
import { canMove, moveChat, TRANSITIONS } from './status';

let ctx: TestContext;
beforeEach(() => { ctx = makeTestContext(); });
afterEach(() => ctx.close());

test('every status has its row in the table, and the table names only statuses', () => {
  assert.deepEqual(Object.keys(TRANSITIONS).sort(), [...CHAT_STATUSES].sort());
  for (const to of Object.values(TRANSITIONS).flat()) assert.ok((CHAT_STATUSES as readonly string[]).includes(to));
  assert.ok(canMove('running', 'requires_action'));
  assert.ok(canMove('requires_action', 'pending'));
  assert.ok(!canMove('waiting', 'running'), 'only acquisition runs a chat, from pending');
  assert.ok(!canMove('requires_action', 'running'));
});

test('an illegal change throws and writes nothing; a conditional one that does not hold is a no-op', () => {
  const chat = createChat(ctx, { content: text('hi') });
  assert.throws(() => moveChat(ctx.db, chat.id, 'requires_action'), /Illegal chat status change pending → requires_action/);
  assert.equal(getChatRow(ctx.db, chat.id)?.status, 'pending');
  assert.equal(moveChat(ctx.db, chat.id, 'waiting', {}, { from: ['running'] }), false);
  assert.equal(moveChat(ctx.db, chat.id, 'running', { run_id: 'r1', worker_id: 'w' }), true);
  assert.equal(moveChat(ctx.db, chat.id, 'waiting', {}, { runId: 'someone-else' }), false, 'a superseded run cannot move the chat');
  assert.equal(getChatRow(ctx.db, chat.id)?.status, 'running');
});

/** The invariant behind the table: no file but the store writes `status`, and only status.ts calls those writes. */
test('status is written only through chats/status.ts', () => {
  const root = path.resolve(__dirname, '..');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir)) {
      const p = path.join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.includes(`${path.sep}testing${path.sep}`)) files.push(p);
    }
  };
  walk(root);
  const offenders: string[] = [];
  for (const f of files) {
    const src = readFileSync(f, 'utf8');
    const rel = path.relative(root, f);
    if (/SET\s+status\s*=|status\s*=\s*'(waiting|pending|running|error|requires_action)'\s*,/i.test(src) && rel !== path.join('store', 'chats.ts')) offenders.push(`${rel}: writes status`);
    if (/\b(writeChatStatus|acquirePendingRows)\b/.test(src) && ![path.join('store', 'chats.ts'), path.join('chats', 'status.ts')].includes(rel)) offenders.push(`${rel}: calls a raw status write`);
  }
  assert.deepEqual(offenders, []);
});
