// Usage and the request log on the db bench's database (100k chats / 2M messages, 1M requests over 90 days):
// the cost summary per day, model and chat for the last 30 days and the request log's pages, each against the
// bare SQL it runs on the same file; the per-day aggregate straight over the log is what the usage_slots rollup
// saves. Then what recording a request costs with the rollups' triggers against a bare insert without them.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppContext } from '../server/context';
import type { ModelTarget } from '../server/llm/types';
import { createModelConfig } from '../server/models/modelConfigs';
import { createProvider } from '../server/models/providers';
import { openDb, type Db } from '../server/store/db';
import { insertModelRequest, type ModelRequestInsert } from '../server/store/modelRequests';
import { costSummary } from '../server/usage/summary';
import { addDays, localDate, localRange } from '../server/usage/localDays';
import { listRequests, recordModelRequest } from '../server/usage/requestLog';
import { BENCH_MODELS, REQUESTS_END, benchContext, openBenchDb } from './dbBench';
import { fmt, median, timeSync, type Row } from './stats';

const DAYS = 30;
const SLOT_SUMS = `SUM(cost_micros), SUM(requests), SUM(priced_requests), SUM(input_tokens), SUM(output_tokens), SUM(reasoning_tokens),
  SUM(cache_read_tokens), SUM(cache_write_tokens)`;
const LOG_SUMS = `SUM(r.cost_micros), COUNT(*), SUM(r.cost_micros IS NOT NULL), SUM(r.input_tokens), SUM(r.output_tokens), SUM(r.reasoning_tokens),
  SUM(r.cache_read_input_tokens), SUM(r.cache_write_input_tokens)`;
const LOCAL_DAY = (ms: string) => `strftime('%Y-%m-%d', ${ms} / 1000, 'unixepoch', 'localtime')`;
// The rollup's rows the per-day summary has to read (one per slot); SQLite's own 'localtime' per slot is reported too.
const BARE_BY_SLOT = `SELECT slot, ${SLOT_SUMS} FROM usage_slots WHERE slot >= ? AND slot < ? GROUP BY slot`;
const SQL_LOCALTIME_BY_DAY = `SELECT ${LOCAL_DAY('slot')}, ${SLOT_SUMS} FROM usage_slots WHERE slot >= ? AND slot < ? GROUP BY 1`;
const NAIVE_BY_DAY = `SELECT ${LOCAL_DAY('r.started_at')}, ${LOG_SUMS} FROM model_requests r WHERE r.started_at >= ? AND r.started_at < ? GROUP BY 1`;
const BARE_BY_MODEL = `SELECT model, provider_name, ${SLOT_SUMS} FROM usage_slots WHERE slot >= ? AND slot < ? GROUP BY model, provider_name`;
const NAIVE_BY_MODEL = `SELECT r.model, r.provider_name, ${LOG_SUMS} FROM model_requests r WHERE r.started_at >= ? AND r.started_at < ? GROUP BY r.model, r.provider_name`;
const BARE_BY_CHAT = `SELECT root_chat_id, ${SLOT_SUMS} FROM usage_chat_slots WHERE slot >= ? AND slot < ?
  GROUP BY root_chat_id ORDER BY SUM(cost_micros) DESC, SUM(requests) DESC LIMIT 100`;
const NAIVE_BY_CHAT = `SELECT COALESCE(c.root_chat_id, r.chat_id, '') AS key, COUNT(*) AS requests, COALESCE(SUM(r.cost_micros), 0) AS cost, COALESCE(SUM(r.input_tokens), 0) AS input
  FROM model_requests r LEFT JOIN chats c ON c.id = r.chat_id WHERE r.started_at >= ? AND r.started_at < ? GROUP BY 1 ORDER BY SUM(r.cost_micros) DESC, COUNT(*) DESC`;
const BARE_PAGE = 'SELECT * FROM model_requests ORDER BY id DESC LIMIT 100';
const BARE_FILTERED_PAGE = 'SELECT * FROM model_requests WHERE model = ? AND outcome = ? ORDER BY id DESC LIMIT 100';

const row = (metric: string, ms: number, limitName: string, limitMs: number, goalMs: number, maxRatio?: number): Row => {
  const ratio = ms / limitMs;
  return {
    metric, value: fmt(ms), limit: `${limitName} ${fmt(limitMs)}`, ratio: `${ratio.toFixed(2)}x`,
    goal: `≤ ${goalMs} ms${maxRatio ? `, ≤ ${maxRatio}x` : ''}`, ok: ms <= goalMs && (!maxRatio || ratio <= maxRatio),
  };
};

function queryRows(dir: string): Row[] {
  const db = openBenchDb(dir);
  const ctx: AppContext = { ...benchContext(db), now: () => REQUESTS_END - 1 };
  const to = localDate(ctx.now());
  const { fromMs, toMs } = localRange(addDays(to, -(DAYS - 1)), to);
  const inRange = (db.prepare('SELECT COUNT(*) AS n FROM model_requests WHERE started_at >= ? AND started_at < ?').get(fromMs, toMs) as { n: number }).n;
  const slots = (db.prepare('SELECT COUNT(*) AS n FROM usage_slots WHERE slot >= ? AND slot < ?').get(fromMs, toMs) as { n: number }).n;
  console.log(`last ${DAYS} days: ${inRange} requests, ${slots} usage slots`);
  const runs = 50;
  const rows: Row[] = [];
  const timed = (fn: () => unknown, n = runs) => median(timeSync(n, fn));

  const bareDay = db.prepare(BARE_BY_SLOT);
  const bareDayMs = timed(() => bareDay.all(fromMs, toMs));
  const dayMs = timed(() => costSummary(ctx, { group_by: 'day' }));
  rows.push(row(`(u) cost summary per day, ${DAYS} days (1M requests)`, dayMs, 'bare SQL on usage_slots (per slot)', bareDayMs, 50, 3));
  const sqlLocaltime = db.prepare(SQL_LOCALTIME_BY_DAY);
  const sqlLocaltimeMs = timed(() => sqlLocaltime.all(fromMs, toMs), 10);
  rows.push({ metric: "(u) same days by SQLite's 'localtime' per slot", value: fmt(sqlLocaltimeMs), limit: `summary (above) ${fmt(dayMs)}`, ratio: `${(sqlLocaltimeMs / dayMs).toFixed(1)}x`, goal: 'reported (the summary walks day boundaries instead)', ok: true });
  const naiveDay = db.prepare(NAIVE_BY_DAY);
  const naiveDayMs = timed(() => naiveDay.all(fromMs, toMs), 10);
  rows.push({ metric: '(u) same aggregate straight over model_requests', value: fmt(naiveDayMs), limit: `rollup (above) ${fmt(dayMs)}`, ratio: `${(naiveDayMs / dayMs).toFixed(0)}x`, goal: 'reported (no rollup)', ok: true });

  const bareModel = db.prepare(BARE_BY_MODEL);
  const bareModelMs = timed(() => bareModel.all(fromMs, toMs));
  const modelMs = timed(() => costSummary(ctx, { group_by: 'model' }));
  rows.push(row(`(u) cost summary per model, ${DAYS} days`, modelMs, 'bare SQL on usage_slots', bareModelMs, 50, 3));
  const naiveModel = db.prepare(NAIVE_BY_MODEL);
  const naiveModelMs = timed(() => naiveModel.all(fromMs, toMs), 10);
  rows.push({ metric: '(u) same aggregate straight over model_requests', value: fmt(naiveModelMs), limit: `rollup (above) ${fmt(modelMs)}`, ratio: `${(naiveModelMs / modelMs).toFixed(0)}x`, goal: 'reported (no rollup)', ok: true });

  const bareChat = db.prepare(BARE_BY_CHAT);
  const bareChatMs = timed(() => bareChat.all(fromMs, toMs));
  const chatMs = timed(() => costSummary(ctx, { group_by: 'chat' }));
  rows.push(row(`(u) cost summary per chat (top 100), ${DAYS} days`, chatMs, 'bare SQL on usage_chat_slots', bareChatMs, 50, 3));
  const naiveChat = db.prepare(NAIVE_BY_CHAT);
  const naiveChatMs = timed(() => naiveChat.all(fromMs, toMs), 10);
  rows.push({ metric: '(u) same grouping straight over model_requests', value: fmt(naiveChatMs), limit: `rollup (above) ${fmt(chatMs)}`, ratio: `${(naiveChatMs / chatMs).toFixed(0)}x`, goal: 'reported (no rollup)', ok: true });
  sameAsTheLog(costSummary(ctx, { group_by: 'chat', limit: 1000 }).rows, naiveChat.all(fromMs, toMs) as LogChat[]);

  const barePage = db.prepare(BARE_PAGE);
  const barePageMs = timed(() => barePage.all(), 200);
  const pageMs = timed(() => listRequests(ctx, { limit: 100 }), 200);
  rows.push(row('(u) request log first page (100)', pageMs, 'bare SQL', barePageMs, 10, 3));
  const filter = { model: BENCH_MODELS[0].model, outcome: 'error' } as const;
  const bareFiltered = db.prepare(BARE_FILTERED_PAGE);
  const bareFilteredMs = timed(() => bareFiltered.all(filter.model, filter.outcome), 200);
  const filteredMs = timed(() => listRequests(ctx, { ...filter, limit: 100 }), 200);
  rows.push(row(`(u) request log page, model ${filter.model} + outcome error`, filteredMs, 'bare SQL', bareFilteredMs, 10, 3));
  db.close();
  return rows;
}

interface LogChat { key: string; requests: number; cost: number; input: number }

/** The rollup's top chats are the log's, with the log's sums: a faster wrong answer would not count. */
function sameAsTheLog(rollup: Array<{ key: string; requests: number; total_cost_micros: number | null; input_tokens: number }>, log: LogChat[]): void {
  const byKey = new Map(log.map((r) => [r.key, r]));
  for (const r of rollup) {
    const l = byKey.get(r.key);
    if (!l || l.requests !== r.requests || l.cost !== (r.total_cost_micros ?? 0) || l.input !== r.input_tokens) throw new Error(`per chat, the rollup and the log differ for ${r.key}: ${JSON.stringify({ rollup: r, log: l })}`);
  }
  const lowest = rollup[rollup.length - 1];
  const above = log.filter((l) => l.cost > (lowest.total_cost_micros ?? 0)).length;
  if (above > rollup.length) throw new Error(`per chat, the log has ${above} chats costlier than the rollup's last`);
}

/** The same table, its indexes, no triggers: what an insert costs without the rollups. */
function createBareTwin(db: Db): void {
  const objects = db.prepare("SELECT type, sql FROM sqlite_master WHERE tbl_name = 'model_requests' AND type IN ('table', 'index') AND sql IS NOT NULL ORDER BY type = 'index'").all() as Array<{ type: string; sql: string }>;
  for (const o of objects) db.exec(o.sql.replace(/\bmodel_requests\b/g, 'model_requests_bare').replace(/\bidx_model_requests_/g, 'idx_model_requests_bare_'));
}

function insertRows(): Row[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'la-bench-usage-'));
  try {
    const db = openDb(path.join(dir, 'chats.db'));
    createBareTwin(db);
    const now = Date.now();
    const m = BENCH_MODELS[0];
    const provider = createProvider(db, { provider: 'openai', provider_name: m.providerName, base_url: 'https://api.openai.com/v1' }, now);
    const config = createModelConfig(db, { provider_id: provider.id, model: m.model, context_limit: 128_000, options: { cost: m.pricing } }, now);
    db.prepare("INSERT INTO chats (id, workspace, workspace_folder, title, status, labels, created_at, updated_at) VALUES ('c', '/bench', '/bench', 'bench', 'waiting', '{}', 0, 0)").run();
    const ctx = benchContext(db);
    const target: ModelTarget = {
      providerId: provider.id, providerType: 'openai', providerName: provider.provider_name, baseUrl: provider.base_url, apiKey: 'sk-bench-0000a1b2',
      credentialKind: 'personal', model: m.model, modelName: m.model, modelConfigId: config.id, api: 'chat_completions', store: false,
    };
    // Requests a second apart: a new slot every 900 of them, as in use, rather than one hot slot.
    let t = now;
    const usage = { input_tokens: 12_000, output_tokens: 800, total_tokens: 12_800, reasoning_tokens: null, cache_read_tokens: 9000, cache_creation_tokens: null };
    const recordMs = median(timeSync(3000, () => recordModelRequest(ctx, { chatId: 'c', sessionKey: 'c', kind: 'chat' }, target, { usage, startedAt: (t += 1000), durationMs: 1500, ttftMs: 300, statusCode: 200 })));
    const storeRow: ModelRequestInsert = {
      chatId: 'c', messageId: null, sessionKey: 'c', kind: 'chat', provider: 'openai', providerId: provider.id, providerName: provider.provider_name, modelConfigId: config.id,
      model: m.model, api: 'chat_completions', credentialKind: 'personal', credentialHint: '…a1b2', inputTokens: 12_000, outputTokens: 800, reasoningTokens: null,
      cacheReadTokens: 9000, cacheWriteTokens: null, costMicros: 34_500, statusCode: 200, outcome: 'ok', errorKind: null, error: null, attempt: 1, startedAt: 0, durationMs: 1500, ttftMs: 300,
    };
    const storeMs = median(timeSync(3000, () => insertModelRequest(db, { ...storeRow, startedAt: (t += 1000) })));
    const bare = db.prepare(`INSERT INTO model_requests_bare (chat_id, message_id, session_key, kind, provider, provider_id, provider_name, model_config_id, model, api,
        credential_kind, credential_hint, input_tokens, output_tokens, reasoning_tokens, cache_read_input_tokens, cache_write_input_tokens, cost_micros,
        status_code, outcome, error_kind, error, attempt, started_at, duration_ms, ttft_ms)
      VALUES ('c', NULL, 'c', 'chat', 'openai', ?, ?, ?, ?, 'chat_completions', 'personal', '…a1b2', 12000, 800, NULL, 9000, NULL, 34500, 200, 'ok', NULL, NULL, 1, ?, 1500, 300)`);
    let tb = now;
    const bareMs = median(timeSync(3000, () => bare.run(provider.id, provider.provider_name, config.id, m.model, (tb += 1000))));
    const slots = (db.prepare('SELECT COUNT(*) AS n FROM usage_slots').get() as { n: number }).n;
    // The triggers must have counted every recorded request, each priced by its model config.
    const logged = db.prepare(`SELECT SUM(requests) AS n, SUM(priced_requests) AS priced, (SELECT SUM(requests) FROM usage_chat_slots WHERE root_chat_id = 'c') AS perChat,
      (SELECT COUNT(*) FROM model_requests) AS rows FROM usage_slots`).get() as { n: number; priced: number; perChat: number; rows: number };
    if (logged.rows === 0 || logged.n !== logged.rows || logged.priced !== logged.rows || logged.perChat !== logged.rows) throw new Error(`the rollups do not match the log: ${JSON.stringify(logged)}`);
    db.close();
    return [
      row('(u) record one request (priced by its config), autocommit', recordMs, 'bare insert, no triggers', bareMs, 1),
      row(`(u) of which the store's insert + both rollup triggers (${slots} slots)`, storeMs, 'bare insert, no triggers', bareMs, 1),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function runUsageBench(dir: string): Row[] {
  return [...queryRows(dir), ...insertRows()];
}
