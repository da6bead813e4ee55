// Spend and tokens from the request log. Days and models come from the usage_slots rollup, chats from
// usage_chat_slots (15-minute slots, kept by triggers), so a month costs a row per slot and model or chat
// whatever the log's size; one chat's own breakdown reads its requests on the chat index.
// Local days: SQLite's 'localtime' is the OS time zone of this process, the user's.
import { prepareCached, type Db } from './db';

export interface UsageTotals {
  key: string;
  label: string;
  total_cost_micros: number | null;
  requests: number;
  priced_requests: number;
  unpriced_requests: number;
  input_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cache_read_tokens: number;
  cache_creation_tokens: number;
}

const SLOT_SUMS = `CASE WHEN SUM(priced_requests) > 0 THEN SUM(cost_micros) END AS total_cost_micros, SUM(requests) AS requests,
  SUM(priced_requests) AS priced_requests, SUM(requests) - SUM(priced_requests) AS unpriced_requests,
  SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens, SUM(reasoning_tokens) AS reasoning_tokens,
  SUM(cache_read_tokens) AS cache_read_tokens, SUM(cache_write_tokens) AS cache_creation_tokens`;

/** Per 15-minute slot between two instants, in time order: the caller folds them into local days. */
export function usageBySlot(db: Db, fromMs: number, toMs: number): Array<UsageTotals & { slot: number }> {
  return prepareCached(db, `SELECT slot, '' AS key, '' AS label, ${SLOT_SUMS}
    FROM usage_slots WHERE slot >= ? AND slot < ? GROUP BY slot ORDER BY slot`).all(fromMs, toMs) as Array<UsageTotals & { slot: number }>;
}

export function usageByModel(db: Db, fromMs: number, toMs: number): UsageTotals[] {
  return prepareCached(db, `SELECT model AS key, provider_name AS label, ${SLOT_SUMS}
    FROM usage_slots WHERE slot >= ? AND slot < ? GROUP BY model, provider_name ORDER BY SUM(cost_micros) DESC, SUM(requests) DESC`).all(fromMs, toMs) as UsageTotals[];
}

export function usageTotal(db: Db, fromMs: number, toMs: number): UsageTotals {
  return prepareCached(db, `SELECT 'total' AS key, '' AS label, ${SLOT_SUMS} FROM usage_slots WHERE slot >= ? AND slot < ?`).get(fromMs, toMs) as UsageTotals;
}

const LOG_SUMS = `CASE WHEN SUM(r.cost_micros IS NOT NULL) > 0 THEN SUM(r.cost_micros) END AS total_cost_micros, COUNT(*) AS requests,
  SUM(r.cost_micros IS NOT NULL) AS priced_requests, SUM(r.cost_micros IS NULL) AS unpriced_requests,
  COALESCE(SUM(r.input_tokens), 0) AS input_tokens, COALESCE(SUM(r.output_tokens), 0) AS output_tokens, COALESCE(SUM(r.reasoning_tokens), 0) AS reasoning_tokens,
  COALESCE(SUM(r.cache_read_input_tokens), 0) AS cache_read_tokens, COALESCE(SUM(r.cache_write_input_tokens), 0) AS cache_creation_tokens`;

/** Per root chat (its subagents' requests count for it), most expensive first; titles for the page only. */
export function usageByChat(db: Db, fromMs: number, toMs: number, limit: number): UsageTotals[] {
  return prepareCached(db, `SELECT g.*, COALESCE(c.title, '(no chat)') AS label FROM (
      SELECT root_chat_id AS key, ${SLOT_SUMS} FROM usage_chat_slots WHERE slot >= ? AND slot < ?
      GROUP BY root_chat_id ORDER BY SUM(cost_micros) DESC, SUM(requests) DESC LIMIT ?) g
    LEFT JOIN chats c ON c.id = g.key ORDER BY COALESCE(g.total_cost_micros, 0) DESC, g.requests DESC`).all(fromMs, toMs, limit) as UsageTotals[];
}

/** One root chat's requests with its subagents', grouped like the others. */
export function usageOfChat(db: Db, chatId: string, fromMs: number, toMs: number, by: 'day' | 'model' | 'chat'): UsageTotals[] {
  const key = by === 'day' ? "strftime('%Y-%m-%d', r.started_at / 1000, 'unixepoch', 'localtime')" : by === 'model' ? 'r.model' : 'r.chat_id';
  const label = by === 'model' ? 'r.provider_name' : by === 'chat' ? "(SELECT title FROM chats WHERE id = r.chat_id)" : "''";
  return prepareCached(db, `SELECT ${key} AS key, COALESCE(${label}, '') AS label, ${LOG_SUMS}
    FROM model_requests r WHERE (r.chat_id = ? OR r.chat_id IN (SELECT id FROM chats WHERE root_chat_id = ?)) AND r.started_at >= ? AND r.started_at < ?
    GROUP BY 1 ORDER BY 1`).all(chatId, chatId, fromMs, toMs) as UsageTotals[];
}

/** Spend since an instant (a local midnight or the 1st of the month): the spend limits' measure. */
export function spendSince(db: Db, fromMs: number): { cost_micros: number; unpriced: number } {
  return prepareCached(db, 'SELECT COALESCE(SUM(cost_micros), 0) AS cost_micros, COALESCE(SUM(requests - priced_requests), 0) AS unpriced FROM usage_slots WHERE slot >= ?')
    .get(fromMs) as { cost_micros: number; unpriced: number };
}
