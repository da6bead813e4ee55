// (b) list 50 chats with has_unread on 100,000 chats / 2,000,000 messages, and (c) the last page of a
// 10,000-message chat — each against the bare SQL query on the same database file. The file also holds the
// request log of those chats' answers (1M requests over 90 days), which the usage bench reads.
import { SecretValues } from '../server/secrets/secretValues';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { getMessagesPage, listChatsPage } from '../server/chats/listing';
import type { AppContext } from '../server/context';
import { defaultServerSettings } from '../server/settings/serverSettings';
import { ChatEvents } from '../server/events';
import { ProviderKeys } from '../server/models/providerKeys';
import { computeCostMicros } from '../server/llm/cost';
import type { Pricing } from '../server/protocol';
import { openDb, schemaVersion, type Db } from '../server/store/db';
import { insertModelRequest } from '../server/store/modelRequests';
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

const DAY_MS = 86_400_000;
/** The request log spans the 90 days before this instant; the usage bench's "now". */
export const REQUESTS_END = Date.parse('2025-04-01T00:00:00Z');
const REQUESTS_DAYS = 90;
/** Per chat, one model of two provider instances; the local one has no prices (its cost is NULL). */
export const BENCH_MODELS: Array<{ providerName: string; provider: string; providerId: string; model: string; pricing?: Pricing }> = [
  { providerName: 'OpenAI', provider: 'openai', providerId: 'bench-openai', model: 'gpt-4.1', pricing: { input_price_per_million_tokens: '2', output_price_per_million_tokens: '8', cache_read_price_per_million_tokens: '0.5' } },
  { providerName: 'OpenAI', provider: 'openai', providerId: 'bench-openai', model: 'gpt-4.1-mini', pricing: { input_price_per_million_tokens: '0.4', output_price_per_million_tokens: '1.6', cache_read_price_per_million_tokens: '0.1' } },
  { providerName: 'OpenAI', provider: 'openai', providerId: 'bench-openai', model: 'o4-mini', pricing: { input_price_per_million_tokens: '1.1', output_price_per_million_tokens: '4.4' } },
  { providerName: 'Local vLLM', provider: 'openai-compat', providerId: 'bench-local', model: 'qwen3-coder' },
  { providerName: 'Local vLLM', provider: 'openai-compat', providerId: 'bench-local', model: 'gpt-oss-120b' },
];
// gpt-4.1 for 4 chats in 10, gpt-4.1-mini 2, o4-mini 1, qwen3-coder 2, gpt-oss-120b 1.
const MODEL_OF_CHAT = [0, 0, 0, 0, 1, 1, 2, 3, 3, 4];

/** One request per assistant message, in message order over 90 days (the log's ids follow time, as in use):
 *  2% failed, 2% failed and retried, some title and compaction requests. Through the store's insert, so the
 *  usage_slots trigger keeps the rollup as it does in use. */
function populateModelRequests(db: Db): void {
  const t = performance.now();
  const messages = db.prepare("SELECT id, chat_id FROM chat_messages WHERE role = 'assistant' ORDER BY id").raw().all() as Array<[number, string]>;
  const start = REQUESTS_END - REQUESTS_DAYS * DAY_MS;
  const span = REQUESTS_DAYS * DAY_MS;
  db.transaction(() => {
    let chatIndex = -1;
    let lastChat = '';
    messages.forEach(([messageId, chatId], k) => {
      if (chatId !== lastChat) { chatIndex++; lastChat = chatId; }
      const m = BENCH_MODELS[MODEL_OF_CHAT[chatIndex % MODEL_OF_CHAT.length]];
      const outcome = k % 50 === 0 ? 'error' : k % 50 === 1 ? 'retried' : 'ok';
      const failed = outcome !== 'ok';
      const usage = {
        input_tokens: 1000 + ((k * 7919) % 30_000), output_tokens: 50 + ((k * 104_729) % 2000),
        reasoning_tokens: m.model === 'o4-mini' ? (k * 31) % 1000 : null, cache_read_tokens: k % 3 ? (k * 6007) % 20_000 : null, cache_creation_tokens: null, total_tokens: null,
      };
      insertModelRequest(db, {
        chatId, messageId, sessionKey: chatId, kind: k % 40 === 5 ? 'title' : k % 97 === 3 ? 'compaction' : 'chat',
        provider: m.provider, providerId: m.providerId, providerName: m.providerName, modelConfigId: null, model: m.model, api: 'chat_completions',
        credentialKind: m.pricing ? 'personal' : 'none', credentialHint: m.pricing ? '…a1b2' : null,
        inputTokens: failed ? null : usage.input_tokens, outputTokens: failed ? null : usage.output_tokens, reasoningTokens: failed ? null : usage.reasoning_tokens,
        cacheReadTokens: failed ? null : usage.cache_read_tokens, cacheWriteTokens: null,
        costMicros: failed ? null : computeCostMicros(usage, m.pricing),
        statusCode: failed ? 503 : 200, outcome, errorKind: failed ? 'server' : null, error: failed ? 'Service Unavailable' : null, attempt: outcome === 'ok' && k % 50 === 2 ? 2 : 1,
        startedAt: start + Math.floor((k * span) / messages.length), durationMs: 800 + (k % 5000), ttftMs: failed ? null : 200 + (k % 700),
      });
    });
  })();
  db.exec('ANALYZE');
  console.log(`populated ${messages.length} model requests in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

const ASSISTANT_MESSAGES = (CHATS * MESSAGES_PER_CHAT + BIG_CHAT_MESSAGES) / 2;

/** Bumped when the seed or an unreleased migration changes, so a cached file is seeded again. */
export const benchDbFile = (dir: string) => path.join(dir, 'bench-v3.db');

/** The bench database, seeded once and kept in `dir`: chats and messages, and the request log of their answers. */
export function openBenchDb(dir: string): Db {
  mkdirSync(dir, { recursive: true });
  const file = benchDbFile(dir);
  const fresh = !existsSync(file);
  const db = openDb(file);
  const done = (db.prepare('SELECT COUNT(*) AS n FROM chats').get() as { n: number }).n === CHATS + 1;
  if (fresh || !done) {
    db.exec('DELETE FROM model_requests; DELETE FROM usage_slots; DELETE FROM chat_labels; DELETE FROM chat_messages; DELETE FROM chats;');
    populate(db);
  }
  if ((db.prepare('SELECT COUNT(*) AS n FROM model_requests').get() as { n: number }).n !== ASSISTANT_MESSAGES) {
    db.exec('DELETE FROM model_requests; DELETE FROM usage_slots;');
    populateModelRequests(db);
  }
  // A migration that rebuilds a table (14 rebuilt chats) drops its statistics while the other tables keep theirs;
  // that mix, which no user database has (the server never runs ANALYZE), makes the label queries pick a bad plan.
  const analyzed = db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'").get()
    && db.prepare("SELECT 1 FROM sqlite_stat1 WHERE tbl = 'chats'").get();
  if (!analyzed) db.exec('ANALYZE');
  console.log(`bench db ${file} (schema ${schemaVersion(db)})`);
  return db;
}

export function benchContext(db: Db): AppContext {
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
