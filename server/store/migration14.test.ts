import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadMigrations, migrate, openDb } from './db';

test('migration 14 keeps every chat, queued message, label and reference, and accepts the computer_use mode', () => {
  const db = openDb(':memory:', { migrate: false });
  migrate(db, loadMigrations(), 13);
  db.prepare(`INSERT INTO chats (id, workspace, status, mode, pin_order, created_at, updated_at, session_key, permission_mode) VALUES ('p', 'w', 'waiting', 'plan', 2, 1, 5, 'sk', 'bypass')`).run();
  db.prepare(`INSERT INTO chats (id, workspace, status, mode, parent_chat_id, root_chat_id, created_at, updated_at) VALUES ('c', 'w', 'running', 'explore', 'p', 'p', 2, 3)`).run();
  db.prepare(`INSERT INTO chat_queued_messages (chat_id, content, mode, position, created_at) VALUES ('p', '[]', 'plan', 1, 4)`).run();
  db.prepare(`INSERT INTO chat_labels (chat_id, key, value) VALUES ('p', 'env', 'prod')`).run();
  migrate(db);
  assert.deepEqual(db.prepare('SELECT id, mode, pin_sort, parent_chat_id, session_key, permission_mode FROM chats ORDER BY id').all(), [
    { id: 'c', mode: 'explore', pin_sort: 2147483647, parent_chat_id: 'p', session_key: null, permission_mode: null },
    { id: 'p', mode: 'plan', pin_sort: 2, parent_chat_id: null, session_key: 'sk', permission_mode: 'bypass' },
  ]);
  assert.equal((db.prepare('SELECT mode FROM chat_queued_messages').get() as { mode: string }).mode, 'plan');
  assert.deepEqual(db.pragma('foreign_key_check'), []);
  db.prepare(`INSERT INTO chats (id, workspace, status, mode, parent_chat_id, root_chat_id, created_at, updated_at) VALUES ('u', 'w', 'pending', 'computer_use', 'p', 'p', 6, 6)`).run();
  db.prepare(`INSERT INTO chat_queued_messages (chat_id, content, mode, position, created_at) VALUES ('u', '[]', 'computer_use', 1, 7)`).run();
  assert.throws(() => db.prepare(`INSERT INTO chats (id, workspace, status, mode, created_at, updated_at) VALUES ('x', 'w', 'waiting', 'nope', 1, 1)`).run(), /CHECK/);
  // The triggers came back: labels follow their chat, titles are searchable.
  db.prepare(`UPDATE chats SET archived = 1, updated_at = 9 WHERE id = 'p'`).run();
  assert.deepEqual(db.prepare(`SELECT archived, updated_at FROM chat_labels WHERE chat_id = 'p'`).get(), { archived: 1, updated_at: 9 });
  db.prepare(`UPDATE chats SET title = 'browser check' WHERE id = 'u'`).run();
  assert.equal((db.prepare(`SELECT count(*) AS n FROM chat_search WHERE chat_search MATCH 'browser'`).get() as { n: number }).n, 1);
  db.close();
});
