import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createChat } from '../chats/lifecycle';
import { getMessagesPage, searchChatsPage } from '../chats/listing';
import { CreateChatParams } from '../protocol/requests';
import { makeTestContext, text } from '../testing/testContext';
import { migrate, openDb, schemaVersion } from './db';
import { insertMessage, softDeleteFrom } from './messages';
import { ftsQuery } from './search';

test('FTS queries: words quoted, the last a prefix; nothing searchable is no query', () => {
  assert.equal(ftsQuery('npm test'), '"npm" "test"*');
  assert.equal(ftsQuery('she said "hi" OR NOT *'), '"she" "said" "hi" "OR" "NOT"*');
  assert.equal(ftsQuery(' ,.;* '), undefined);
});

test('search: titles and labels outrank messages; tool arguments and output are found; deleted messages are not; a hit opens around its message', () => {
  const ctx = makeTestContext();
  try {
    const titled = createChat(ctx, CreateChatParams.parse({ content: text('kubernetes rollout plan'), labels: { team: 'platform' } }));
    const other = createChat(ctx, CreateChatParams.parse({ content: text('something else') }));
    insertMessage(ctx.db, { chatId: other.id, role: 'assistant', createdAt: ctx.now(), content: [{ type: 'text', text: 'we could use kubernetes here' }, { type: 'tool-call', tool_call_id: 't1', tool_name: 'execute', args: '{"command":"kubectl apply -f deploy.yaml"}' }] });
    insertMessage(ctx.db, { chatId: other.id, role: 'tool', createdAt: ctx.now(), content: [{ type: 'tool-result', tool_call_id: 't1', tool_name: 'execute', result: { stdout: 'deployment.apps/frobnicator configured' } }] });
    const ids = (q: string) => searchChatsPage(ctx, { q }).results.map((r) => r.chat.id === titled.id ? 'titled' : 'other');
    assert.deepEqual(ids('kubernetes'), ['titled', 'other'], 'the title match ranks first');
    assert.deepEqual(ids('platform'), ['titled'], 'labels are searched');
    assert.deepEqual(ids('kubectl'), ['other'], 'tool-call arguments are searched');
    const hit = searchChatsPage(ctx, { q: 'frobnicat' }).results;
    assert.equal(hit.length, 1, 'tool output is searched, by prefix');
    assert.match(hit[0].snippet, /«frobnicator»/);
    assert.equal(hit[0].kind, 'message');
    // Opening the chat at the hit: the page holds the message.
    const page = getMessagesPage(ctx, { chat_id: other.id, around_id: hit[0].message_id!, limit: 2 });
    assert.ok(page.messages.some((m) => m.id === hit[0].message_id));
    assert.equal(page.messages.length, 2);
    // A soft-deleted message (an edit dropped it) is not found any more.
    softDeleteFrom(ctx.db, other.id, hit[0].message_id!);
    assert.deepEqual(ids('frobnicator'), []);
    // Renames are found under the new title only.
    ctx.db.prepare('UPDATE chats SET title = ? WHERE id = ?').run('Zeppelin notes', titled.id);
    assert.deepEqual(ids('zeppelin'), ['titled']);
    assert.deepEqual(ids('rollout').filter((x) => x === 'titled').length, 1, 'the first message still matches');
    assert.deepEqual(searchChatsPage(ctx, { q: '!!!' }).results, []);
  } finally {
    ctx.close();
  }
});

test('a database made before the index (schema 6) is indexed by the migration', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'la-fts-'));
  try {
    const file = path.join(dir, 'chats.db');
    const old = openDb(file, { migrate: false });
    migrate(old, undefined, 6);
    assert.equal(schemaVersion(old), 6);
    old.prepare(`INSERT INTO chats (id, workspace, title, status, mode, client_type, labels, mcp_server_ids, created_at, updated_at)
      VALUES ('c-old', '/w', 'Legacy chat', 'waiting', 'default', 'ui', '{"area":"billing"}', '[]', 1, 1)`).run();
    old.prepare("INSERT INTO chat_messages (chat_id, role, content, created_at) VALUES ('c-old', 'user', ?, 1)").run(JSON.stringify([{ type: 'text', text: 'invoice rounding bug' }]));
    old.prepare("INSERT INTO chat_messages (chat_id, role, content, created_at, deleted) VALUES ('c-old', 'user', ?, 2, 1)").run(JSON.stringify([{ type: 'text', text: 'forgotten secret word' }]));
    old.close();
    const db = openDb(file);
    const match = (q: string) => (db.prepare('SELECT chat_id, kind FROM chat_search WHERE chat_search MATCH ?').all(q) as Array<{ chat_id: string; kind: string }>);
    assert.deepEqual(match('invoice'), [{ chat_id: 'c-old', kind: 'message' }]);
    assert.deepEqual(match('billing'), [{ chat_id: 'c-old', kind: 'title' }]);
    assert.deepEqual(match('forgotten'), [], 'deleted messages are not backfilled');
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
