// (b) list 50 chats with has_unread on 100,000 chats / 2,000,000 messages, and (c) the last page of a
// 10,000-message chat — each against the bare SQL query on the same database file.
import { SecretValues } from '../server/secrets/secretValues';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { getMessagesPage, listChatsPage } from '../server/chats/listing';
import type { AppContext } from '../server/context';
import { defaultServerSettings } from '../server/settings/serverSettings';
import { ChatEvents } from '../server/events';
import { ProviderKeys } from '../server/models/providerKeys';
import { openDb, schemaVersion, type Db } from '../server/store/db';
import { median, timeSync, fmt, type Row } from './stats';

const CHATS = 100_000;
const MESSAGES_PER_CHAT = 20;
const BIG_CHAT_MESSAGES = 10_000;
export const BIG_CHAT_ID = 'ffffffff-0000-4000-8000-00000000b16c';

function populate(db: Db): void {
  const t = performance.now();
  const insChat = db.prepare(`INSERT INTO chats (id, workspace, workspace_folder, title, status, labels, pin_order, last_read_message_id, created_at, updated_at)
    VALUES (?, '/bench', '/bench', ?, 'waiting', ?, ?, ?, ?, ?)`);
  const insLabel = db.prepare('INSERT INTO chat_labels (chat_id, key, value) VALUES (?, ?, ?)');
  const insMsg = db.prepare(`INSERT INTO chat_messages (chat_id, role, content, created_at, input_tokens, output_tokens) VALUES (?, ?, ?, ?, 100, 50)`);
  const base = Date.parse('2025-01-01T00:00:00Z');
  // Messages are written before their chat row here (the chat needs its last message id).
  db.pragma('foreign_keys = OFF');
  db.transaction(() => {
    for (let i = 0; i < CHATS; i++) {
      const id = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
      const labels = i % 10 === 0 ? { team: `t${i % 7}`, env: i % 3 ? 'prod' : 'dev' } : {};
      let lastId = 0;
      for (let m = 0; m < MESSAGES_PER_CHAT; m++) {
        const role = m % 2 === 0 ? 'user' : 'assistant';
        lastId = Number(insMsg.run(id, role, JSON.stringify([{ type: 'text', text: `message ${m} of chat ${i}` }]), base + i * 1000 + m).lastInsertRowid);
      }
      // A third of the chats have an unread answer.
      insChat.run(id, `Chat ${i}`, JSON.stringify(labels), i < 8 ? i + 1 : 0, i % 3 === 0 ? lastId - 2 : lastId, base + i * 1000, base + i * 1000 + (i * 7919) % 100_000);
      for (const [k, v] of Object.entries(labels)) insLabel.run(id, k, v);
    }
    insChat.run(BIG_CHAT_ID, 'Big chat', '{}', 0, null, base, base);
    for (let m = 0; m < BIG_CHAT_MESSAGES; m++) {
      insMsg.run(BIG_CHAT_ID, m % 2 ? 'assistant' : 'user', JSON.stringify([{ type: 'text', text: `big chat message ${m} `.repeat(8) }]), base + m);
    }
  })();
  db.pragma('foreign_keys = ON');
  db.exec('ANALYZE');
  console.log(`populated ${CHATS} chats / ${CHATS * MESSAGES_PER_CHAT + BIG_CHAT_MESSAGES} messages in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

export function openBenchDb(dir: string): Db {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-v${2}.db`);
  const fresh = !existsSync(file);
  const db = openDb(file);
  const done = (db.prepare('SELECT COUNT(*) AS n FROM chats').get() as { n: number }).n === CHATS + 1;
  if (fresh || !done) {
    db.exec('DELETE FROM chat_labels; DELETE FROM chat_messages; DELETE FROM chats;');
    populate(db);
  }
  console.log(`bench db ${file} (schema ${schemaVersion(db)})`);
  return db;
}

function benchContext(db: Db): AppContext {
  return {
    db, dbPath: '', events: new ChatEvents(), keys: new ProviderKeys(), secretValues: new SecretValues(),
    workspace: { workspace: '/bench', folders: ['/bench'], trusted: true, scope: 'workspace' }, workerId: 'bench',
    settings: defaultServerSettings(), settingsOwner: { kind: 'client' }, client: {}, onAsk: 'suspend', apiUrl: null,
    now: () => Date.now(), wake: () => undefined, abortLocalRun: () => undefined,
  };
}

const BARE_LIST = `SELECT c.*, EXISTS (SELECT 1 FROM chat_messages m WHERE m.chat_id = c.id AND m.role = 'assistant' AND m.deleted = 0 AND m.id > COALESCE(c.last_read_message_id, 0)) AS has_unread
  FROM chats c WHERE c.archived = 0 AND c.parent_chat_id IS NULL AND c.workspace = '/bench' ORDER BY c.pin_sort, c.updated_at DESC, c.id DESC LIMIT 51`;
/** The same page for one label, walked in list order on that label's index (the limit for a label filter). */
const bareLabelList = (key: string, value: string) => `SELECT c.*, EXISTS (SELECT 1 FROM chat_messages m WHERE m.chat_id = c.id AND m.role = 'assistant' AND m.deleted = 0 AND m.id > COALESCE(c.last_read_message_id, 0)) AS has_unread
  FROM chat_labels d JOIN chats c ON c.id = d.chat_id WHERE d.key = '${key}' AND d.value = '${value}' AND d.archived = 0 AND c.parent_chat_id IS NULL AND c.workspace = '/bench'
  ORDER BY d.pin_sort, d.updated_at DESC, d.chat_id DESC LIMIT 51`;
const BARE_PAGE = `SELECT * FROM chat_messages WHERE chat_id = ? AND deleted = 0 AND id < ? ORDER BY id DESC LIMIT 51`;

export function runDbBench(dir: string): Row[] {
  const db = openBenchDb(dir);
  const ctx = benchContext(db);
  const runs = 200;
  const rows: Row[] = [];

  const bare = db.prepare(BARE_LIST);
  const bareMs = median(timeSync(runs, () => bare.all()));
  const listMs = median(timeSync(runs, () => listChatsPage(ctx, { workspace: '/bench', limit: 50 })));
  rows.push({ metric: '(b) list 50 chats + has_unread (100k chats / 2M msgs)', value: fmt(listMs), limit: `bare SQL ${fmt(bareMs)}`, ratio: `${(listMs / bareMs).toFixed(2)}x`, goal: '≤ 2 ms, ≤ 3x', ok: listMs <= 2 && listMs / bareMs <= 3 });

  const bareLabel = db.prepare(bareLabelList('env', 'prod'));
  const bareLabelMs = median(timeSync(runs, () => bareLabel.all()));
  const labelMs = median(timeSync(runs, () => listChatsPage(ctx, { workspace: '/bench', limit: 50, label: ['env:prod'] })));
  rows.push({ metric: '(b) same, label filter env:prod', value: fmt(labelMs), limit: `bare SQL ${fmt(bareLabelMs)}`, ratio: `${(labelMs / bareLabelMs).toFixed(2)}x`, goal: '≤ 2 ms, ≤ 3x', ok: labelMs <= 2 && labelMs / bareLabelMs <= 3 });

  const bareRare = db.prepare(bareLabelList('team', 't3'));
  const bareRareMs = median(timeSync(runs, () => bareRare.all()));
  const rareMs = median(timeSync(runs, () => listChatsPage(ctx, { workspace: '/bench', limit: 50, label: ['team:t3'] })));
  rows.push({ metric: '(b) same, rarer label team:t3 (1.4k chats)', value: fmt(rareMs), limit: `bare SQL ${fmt(bareRareMs)}`, ratio: `${(rareMs / bareRareMs).toFixed(2)}x`, goal: '≤ 2 ms, ≤ 3x', ok: rareMs <= 2 && rareMs / bareRareMs <= 3 });

  const unreadMs = median(timeSync(runs, () => listChatsPage(ctx, { workspace: '/bench', limit: 50, has_unread: true })));
  rows.push({ metric: '(b) same, has_unread=true filter', value: fmt(unreadMs), limit: '-', ratio: '-', goal: '≤ 2 ms', ok: unreadMs <= 2 });

  const barePage = db.prepare(BARE_PAGE);
  const barePageMs = median(timeSync(runs, () => barePage.all(BIG_CHAT_ID, Number.MAX_SAFE_INTEGER)));
  const pageMs = median(timeSync(runs, () => getMessagesPage(ctx, { chat_id: BIG_CHAT_ID, limit: 50 })));
  rows.push({ metric: '(c) last page (50) of a 10,000-message chat', value: fmt(pageMs), limit: `bare SQL ${fmt(barePageMs)}`, ratio: `${(pageMs / barePageMs).toFixed(2)}x`, goal: '≤ 10 ms', ok: pageMs <= 10 });
  db.close();
  return rows;
}
