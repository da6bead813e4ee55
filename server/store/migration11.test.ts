// Migration 11 on databases made at version 10: providers that share a display name become named instances
// with unique provider_names, and nothing that pointed at them is lost.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import Database from 'better-sqlite3';
import { loadMigrations, migrate, openDb, schemaVersion } from './db';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'la-m11-'));
  file = path.join(dir, 'chats.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A version-10 database with these providers (id, type, display name, base URL, created_at, deleted) and a model config on each. */
function version10(providers: Array<[string, string, string, string, number, number?]>): void {
  const raw = new Database(file);
  migrate(raw, loadMigrations(), 10);
  assert.equal(schemaVersion(raw), 10);
  const add = raw.prepare('INSERT INTO chat_providers (id, provider, display_name, base_url, deleted, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const model = raw.prepare("INSERT INTO chat_model_configs (id, provider_id, model, display_name, context_limit, created_at, updated_at) VALUES (?, ?, 'm', 'm', 1000, 1, 1)");
  for (const [id, type, name, url, created, deleted] of providers) {
    add.run(id, type, name, url, deleted ?? 0, created, created);
    model.run(`cfg-${id}`, id);
  }
  raw.close();
}

const providerRows = (db: Database.Database) =>
  db.prepare('SELECT id, provider, provider_name, display_name, deleted FROM chat_providers ORDER BY created_at, id').all() as Array<{ id: string; provider: string; provider_name: string; display_name: string; deleted: number }>;

test('two providers with the same display name are both kept, the older with the plain name, the other numbered', () => {
  version10([['p-old', 'openai-compat', 'OpenAI Compatible', 'http://127.0.0.1:11434/v1', 1], ['p-new', 'openai-compat', 'OpenAI Compatible', 'http://127.0.0.1:1234/v1', 2]]);
  const db = openDb(file);
  assert.equal(schemaVersion(db), loadMigrations().length);
  assert.deepEqual(providerRows(db).map((r) => [r.id, r.provider_name, r.display_name]), [
    ['p-old', 'OpenAI Compatible', 'OpenAI Compatible'],
    ['p-new', 'OpenAI Compatible 2', 'OpenAI Compatible'],
  ]);
  // Their model configs still point at them.
  const configs = db.prepare('SELECT c.id, p.provider_name FROM chat_model_configs c JOIN chat_providers p ON p.id = c.provider_id ORDER BY c.id').all();
  assert.deepEqual(configs, [{ id: 'cfg-p-new', provider_name: 'OpenAI Compatible 2' }, { id: 'cfg-p-old', provider_name: 'OpenAI Compatible' }]);
  // The names are unique among live providers from now on.
  assert.throws(() => db.prepare("UPDATE chat_providers SET provider_name = 'OpenAI Compatible' WHERE id = 'p-new'").run(), /UNIQUE constraint failed/);
  db.close();
});

test('a numbered name that another provider already has as its own still gives every live provider a unique name', () => {
  // "OpenAI Compatible 2" is a user's own display name: numbering the second "OpenAI Compatible" must not take it.
  version10([
    ['p1', 'openai-compat', 'OpenAI Compatible', 'http://a/v1', 1],
    ['p2', 'openai-compat', 'OpenAI Compatible 2', 'http://b/v1', 2],
    ['p3', 'openai-compat', 'OpenAI Compatible', 'http://c/v1', 3],
    ['p4', 'openai', 'OpenAI', 'https://api.openai.com/v1', 4, 1],
    ['p5', 'openai', 'OpenAI', 'https://api.openai.com/v1', 5],
  ]);
  const db = openDb(file);
  const rows = providerRows(db);
  assert.equal(rows.length, 5, 'every provider is kept');
  const live = rows.filter((r) => !r.deleted).map((r) => r.provider_name);
  assert.equal(new Set(live).size, live.length, `unique live names: ${live.join(', ')}`);
  const byId = Object.fromEntries(rows.map((r) => [r.id, r.provider_name]));
  assert.equal(byId.p1, 'OpenAI Compatible');
  assert.equal(byId.p2, 'OpenAI Compatible 2', 'a user\'s own name is kept');
  assert.ok(byId.p3.startsWith('OpenAI Compatible') && byId.p3 !== byId.p1 && byId.p3 !== byId.p2, byId.p3);
  assert.equal(byId.p5, 'OpenAI', 'the live one keeps the plain name; the deleted one steps aside');
  assert.notEqual(byId.p4, 'OpenAI');
  assert.deepEqual(rows.map((r) => r.display_name), ['OpenAI Compatible', 'OpenAI Compatible 2', 'OpenAI Compatible', 'OpenAI', 'OpenAI']);
  db.close();
});
