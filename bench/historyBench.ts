// Long work: (d) full-text search on the 100k chats / 2M messages database of the db bench against the bare
// FTS5 query on the same file, and what the index costs on disk; (e) the checkpoint taken before each write of
// a 100 KB file against the write itself, and the store's size after 1,000 edits of that file.
import { SecretValues } from '../server/secrets/secretValues';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { searchChatsPage } from '../server/chats/listing';
import { checkpointRecorder, blobStoreOf, readForCheckpoint } from '../server/checkpoints/recorder';
import type { AppContext } from '../server/context';
import { ChatEvents } from '../server/events';
import { ProviderKeys } from '../server/models/providerKeys';
import { defaultServerSettings } from '../server/settings/serverSettings';
import { openDb, type Db } from '../server/store/db';
import { ftsQuery } from '../server/store/search';
import { benchDbFile, openBenchDb } from './dbBench';
import { fmt, median, timeSync, type Row } from './stats';

function context(db: Db, dbPath: string, folder: string): AppContext {
  return {
    db, dbPath, events: new ChatEvents(), keys: new ProviderKeys(), secretValues: new SecretValues(),
    workspace: { workspace: folder, folders: [folder], trusted: true, scope: 'workspace' }, workerId: 'bench',
    settings: defaultServerSettings(), settingsOwner: { kind: 'client' }, client: {}, onAsk: 'suspend', apiUrl: null,
    now: () => Date.now(), wake: () => undefined, abortLocalRun: () => undefined,
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function searchRows(dir: string): Row[] {
  const db = openBenchDb(dir);
  const ctx = context(db, benchDbFile(dir), '/bench');
  const rows: Row[] = [];
  const bare = db.prepare('SELECT chat_id, message_id FROM chat_search WHERE chat_search MATCH ? ORDER BY rank LIMIT 20');
  // Typed words are prefixes (live results); the last two are the worst case: every message matches a word,
  // and FTS5 scores every match for the ranking (bm25), the bare query as much as ours.
  for (const [label, q] of [['a rare word (1 chat)', '77777'], ['a word in 232 messages', '4242'], ['two words, one in every message', 'chat 4242'], ['a word in every message (2M matches)', 'message']] as const) {
    const query = ftsQuery(q)!;
    const bareMs = median(timeSync(30, () => bare.all(query)));
    const ms = median(timeSync(30, () => searchChatsPage(ctx, { q, limit: 20 })));
    rows.push({ metric: `(d) search ${label}, 100k chats / 2M msgs`, value: fmt(ms), limit: `bare FTS5 ${fmt(bareMs)}`, ratio: `${(ms / bareMs).toFixed(2)}x`, goal: '≤ 20 ms p50', ok: ms <= 20 });
  }
  let indexBytes = 0;
  try {
    indexBytes = (db.prepare("SELECT SUM(pgsize) AS n FROM dbstat WHERE name LIKE 'chat_search%'").get() as { n: number }).n;
  } catch { /* dbstat not compiled in */ }
  const total = (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
  rows.push({ metric: '(d) DB growth from the search index', value: mb(indexBytes), limit: `whole DB ${mb(total)}`, ratio: `${((indexBytes / Math.max(1, total - indexBytes)) * 100).toFixed(0)}% of the rest`, goal: 'reported', ok: true });
  db.close();
  return rows;
}

function checkpointRows(): Row[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'la-bench-cp-'));
  try {
    const folder = path.join(dir, 'ws');
    mkdirSync(folder);
    const dbPath = path.join(dir, 'chats.db');
    const db = openDb(dbPath);
    db.prepare("INSERT INTO chats (id, workspace, workspace_folder, title, status, labels, created_at, updated_at) VALUES ('c', ?, ?, 'bench', 'waiting', '{}', 0, 0)").run(folder, folder);
    db.prepare("INSERT INTO chat_messages (chat_id, role, content, created_at) VALUES ('c', 'assistant', '[]', 0)").run();
    const ctx = context(db, dbPath, folder);
    const file = path.join(folder, 'big.ts');
    // ~100 KB of source-like text.
    const lines = Array.from({ length: 2500 }, (_, i) => `export const value${i} = computeSomething(${i}, 'abc${i % 97}');\n`);
    writeFileSync(file, lines.join(''));
    const size = readFileSync(file).length;
    const recorder = checkpointRecorder(ctx, 'c', 'call');
    let n = 0;
    const edit = () => {
      lines[(n * 37) % lines.length] = `export const value${n} = edited(${n});\n`;
      n++;
      return lines.join('');
    };
    // The write alone (the floor) and the write with its checkpoint, as write_file does them.
    const plain = median(timeSync(200, () => writeFileSync(file, edit(), 'utf8')));
    const withCheckpoint = timeSync(1000, () => {
      const before = readForCheckpoint(file);
      const next = edit();
      writeFileSync(file, next, 'utf8');
      recorder.record(file, before, Buffer.from(next, 'utf8'), 'write_file');
    });
    const perWrite = median(withCheckpoint) - plain;
    const store = blobStoreOf(ctx).sizeBytes();
    db.close();
    return [
      { metric: `(e) checkpoint cost per write of a ${Math.round(size / 1024)} KB file`, value: fmt(perWrite), limit: `the write alone ${fmt(plain)}`, ratio: `${(median(withCheckpoint) / plain).toFixed(2)}x`, goal: '≤ 2 ms', ok: perWrite <= 2 },
      { metric: '(e) checkpoint store after 1,000+ edits of it', value: mb(store), limit: `${mb(size * 1005)} of copies`, ratio: `${((store / (size * 1005)) * 100).toFixed(2)}%`, goal: '≤ 5 MB', ok: store <= 5 * 1024 * 1024 },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function runHistoryBench(dir: string): Row[] {
  return [...searchRows(dir), ...checkpointRows()];
}
