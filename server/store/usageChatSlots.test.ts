import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { loadMigrations, migrate, openDb, type Db } from './db';
import { insertModelRequest, type ModelRequestInsert } from './modelRequests';
import { usageByChat } from './usage';

const SLOT = 900_000;
const T0 = Date.parse('2026-03-01T10:00:00Z');

function tempDir() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'la-usage-'));
  return { file: path.join(dir, 'chats.db'), done: () => rmSync(dir, { recursive: true, force: true }) };
}

function chat(db: Db, id: string, title: string, rootId: string | null = null): void {
  db.prepare("INSERT INTO chats (id, workspace, title, status, parent_chat_id, root_chat_id, created_at, updated_at) VALUES (?, '/w', ?, 'waiting', ?, ?, 1, 1)").run(id, title, rootId, rootId);
}

function request(db: Db, chatId: string | null, startedAt: number, costMicros: number | null, inputTokens: number): void {
  const r: ModelRequestInsert = {
    chatId, messageId: null, sessionKey: chatId ?? 'test', kind: chatId ? 'chat' : 'test', provider: 'openai', providerId: 'p', providerName: 'OpenAI',
    modelConfigId: null, model: 'gpt-4.1', api: 'chat_completions', credentialKind: 'personal', credentialHint: null,
    inputTokens, outputTokens: 10, reasoningTokens: null, cacheReadTokens: 5, cacheWriteTokens: null, costMicros,
    statusCode: 200, outcome: 'ok', errorKind: null, error: null, attempt: 1, startedAt, durationMs: 100, ttftMs: 20,
  };
  insertModelRequest(db, r);
}

test('usage per chat: a subagent counts for its root, unpriced chats have no cost, requests outside a chat are one row, the range bounds hold', () => {
  const t = tempDir();
  const db = openDb(t.file);
  try {
    chat(db, 'a', 'Root A');
    chat(db, 'sub', 'Subagent of A', 'a');
    chat(db, 'b', 'Root B');
    request(db, 'a', T0, 1000, 100);
    request(db, 'a', T0 + 60_000, 500, 200); // same slot
    request(db, 'sub', T0 + 2 * SLOT, 250, 300); // the subagent, a later slot
    request(db, 'b', T0 + SLOT, null, 400); // a local model: no prices
    request(db, 'b', T0 + SLOT + 1000, null, 100);
    request(db, null, T0 + SLOT, null, 1); // a provider test
    request(db, 'b', T0 + 10 * SLOT, 99_999, 1); // after the range
    request(db, 'a', T0 - 1, 77_777, 1); // before it

    const rows = usageByChat(db, T0, T0 + 10 * SLOT, 100);
    assert.deepEqual(rows.map((r) => [r.key, r.label, r.total_cost_micros, r.requests, r.priced_requests, r.unpriced_requests, r.input_tokens, r.cache_read_tokens]), [
      ['a', 'Root A', 1750, 3, 3, 0, 600, 15],
      ['b', 'Root B', null, 2, 0, 2, 500, 10],
      ['', '(no chat)', null, 1, 0, 1, 1, 5],
    ]);
    assert.deepEqual(usageByChat(db, T0, T0 + 10 * SLOT, 1).map((r) => r.key), ['a'], 'the limit keeps the costliest');
    const rolled = db.prepare('SELECT COUNT(*) AS n FROM usage_chat_slots').get() as { n: number };
    assert.equal(rolled.n, 6, 'a row per root chat and 15-minute slot: a(before), a, a(sub), b, b(after), no chat');
  } finally {
    db.close();
    t.done();
  }
});

test('migration 11 rolls up the requests logged before it per root chat', () => {
  const t = tempDir();
  const all = loadMigrations();
  const raw = new Database(t.file);
  migrate(raw, all, 10);
  raw.prepare("INSERT INTO chats (id, workspace, title, status, created_at, updated_at) VALUES ('a', '/w', 'A', 'waiting', 1, 1)").run();
  raw.prepare("INSERT INTO chats (id, workspace, title, status, parent_chat_id, root_chat_id, created_at, updated_at) VALUES ('sub', '/w', 'S', 'waiting', 'a', 'a', 1, 1)").run();
  const old = raw.prepare(`INSERT INTO model_requests (chat_id, session_key, provider, provider_name, model, api, credential_kind, input_tokens, output_tokens, started_at)
    VALUES (?, 's', 'openai', 'OpenAI', 'gpt-4.1', 'chat_completions', 'personal', ?, 7, ?)`);
  old.run('a', 100, T0);
  old.run('sub', 20, T0 + 1000);
  old.run(null, 3, T0 + 2000);
  raw.close();
  const db = openDb(t.file);
  try {
    const rows = usageByChat(db, T0, T0 + SLOT, 100);
    // Logged before prices were kept: counted, unpriced, with their tokens.
    assert.deepEqual(rows.map((r) => [r.key, r.requests, r.unpriced_requests, r.total_cost_micros, r.input_tokens, r.output_tokens]), [
      ['a', 2, 2, null, 120, 14],
      ['', 1, 1, null, 3, 7],
    ]);
    request(db, 'sub', T0 + 3000, 40, 1);
    const a = usageByChat(db, T0, T0 + SLOT, 100)[0];
    assert.deepEqual([a.key, a.requests, a.priced_requests, a.total_cost_micros, a.input_tokens], ['a', 3, 1, 40, 121], 'the trigger adds to the backfilled row');
  } finally {
    db.close();
    t.done();
  }
});
