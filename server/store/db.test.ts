import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { loadMigrations, migrate, openDb, schemaVersion } from './db';

function tempDb() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'la-db-'));
  return { file: path.join(dir, 'chats.db'), done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('an empty database migrates to the latest version with the expected tables', () => {
  const t = tempDb();
  const db = openDb(t.file);
  const all = loadMigrations();
  assert.equal(schemaVersion(db), all.length);
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((r) => r.name);
  for (const t of ['chats', 'chat_messages', 'chat_queued_messages', 'chat_providers', 'chat_model_configs', 'chat_file_links', 'chat_labels', 'model_requests']) assert.ok(tables.includes(t), t);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  db.close();
  t.done();
});

test('a database at every earlier version migrates forward keeping its rows', () => {
  const all = loadMigrations();
  for (let from = 1; from < all.length; from++) {
    const t = tempDb();
    const raw = new Database(t.file);
    migrate(raw, all, from);
    assert.equal(schemaVersion(raw), from);
    // From migration 11 on, a provider has a provider_name.
    if (from >= 11) raw.prepare("INSERT INTO chat_providers (id, provider, provider_name, display_name, base_url, created_at, updated_at) VALUES ('p', 'openai', 'OpenAI', 'OpenAI', 'https://x', 1, 1)").run();
    else raw.prepare("INSERT INTO chat_providers (id, provider, display_name, base_url, created_at, updated_at) VALUES ('p', 'openai', 'OpenAI', 'https://x', 1, 1)").run();
    raw.prepare("INSERT INTO chats (id, workspace, title, status, created_at, updated_at) VALUES ('c', '/w', 't', 'waiting', 1, 1)").run();
    raw.prepare("INSERT INTO chat_messages (chat_id, role, content, created_at) VALUES ('c', 'user', '[]', 1)").run();
    raw.close();
    const db = openDb(t.file);
    assert.equal(schemaVersion(db), all.length);
    assert.equal((db.prepare('SELECT COUNT(*) AS n FROM chat_messages').get() as { n: number }).n, 1);
    assert.equal((db.prepare("SELECT title FROM chats WHERE id = 'c'").get() as { title: string }).title, 't');
    db.close();
    t.done();
  }
});

test('a database from a newer server is refused, not modified', () => {
  const t = tempDb();
  const raw = new Database(t.file);
  raw.pragma('user_version = 999');
  raw.close();
  assert.throws(() => openDb(t.file), /schema version 999 is newer than this server knows/);
  t.done();
});

test('migrating twice is a no-op', () => {
  const t = tempDb();
  const db = openDb(t.file);
  assert.equal(migrate(db), loadMigrations().length);
  db.close();
  t.done();
});
