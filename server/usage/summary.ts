// Usage and cost per local day, model or chat over a date range (default: the last 30 days), with totals.
import type { AppContext } from '../context';
import { badRequest } from '../errors';
import type { CostSummaryResult } from '../protocol/usage';
import type { ParsedParams } from '../protocol/schemas';
import { usageByChat, usageBySlot, usageByModel, usageOfChat, usageTotal, type UsageTotals } from '../store/usage';
import { addDays, localDate, localMidnight, localRange, timeZone } from './localDays';

const DEFAULT_DAYS = 30;
const MAX_DAYS = 3660;
const DEFAULT_CHAT_ROWS = 100;

function emptyTotals(key: string): UsageTotals {
  return { key, label: '', total_cost_micros: null, requests: 0, priced_requests: 0, unpriced_requests: 0, input_tokens: 0, output_tokens: 0, reasoning_tokens: 0, cache_read_tokens: 0, cache_creation_tokens: 0 };
}

function sumOf(rows: UsageTotals[]): UsageTotals {
  const total = emptyTotals('total');
  for (const r of rows) addInto(total, r);
  return total;
}

/** The inclusive local dates asked for: from/to, else the seed's RFC3339 bounds, else the last 30 days. */
function dateRange(ctx: AppContext, p: ParsedParams<'CostSummary'>): { from: string; to: string } {
  const to = p.to ?? (p.end_date ? localDate(Date.parse(p.end_date) - 1) : localDate(ctx.now()));
  const from = p.from ?? (p.start_date ? localDate(Date.parse(p.start_date)) : addDays(to, -(DEFAULT_DAYS - 1)));
  if (from > to) throw badRequest('from must not be after to.', `from ${from} is after to ${to}.`, 'from');
  if (addDays(from, MAX_DAYS) < to) throw badRequest(`The range must be at most ${MAX_DAYS} days.`, undefined, 'from');
  return { from, to };
}

function addInto(total: UsageTotals, r: UsageTotals): void {
  if (r.total_cost_micros !== null) total.total_cost_micros = (total.total_cost_micros ?? 0) + r.total_cost_micros;
  for (const k of ['requests', 'priced_requests', 'unpriced_requests', 'input_tokens', 'output_tokens', 'reasoning_tokens', 'cache_read_tokens', 'cache_creation_tokens'] as const) total[k] += r[k];
}

/**
 * Every local day of the range from the 15-minute slots, empty days included. No slot straddles a local midnight
 * (every zone's offset is a multiple of 15 minutes), so a walk over the days' boundaries places each slot: a
 * date conversion per day, where SQLite's 'localtime' per slot row was most of the query's time.
 */
function slotsByDay(slots: Array<UsageTotals & { slot: number }>, from: string, to: string): UsageTotals[] {
  const out: UsageTotals[] = [];
  let i = 0;
  for (let d = from; d <= to; ) {
    const next = addDays(d, 1);
    const end = localMidnight(next);
    const day = { ...emptyTotals(d), label: d };
    for (; i < slots.length && slots[i].slot < end; i++) addInto(day, slots[i]);
    out.push(day);
    d = next;
  }
  return out;
}

/** Every day of the range, so a chart has its empty days too. */
function withEveryDay(rows: UsageTotals[], from: string, to: string): UsageTotals[] {
  const byDay = new Map(rows.map((r) => [r.key, r]));
  const out: UsageTotals[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push({ ...(byDay.get(d) ?? emptyTotals(d)), label: d });
  return out;
}

export function costSummary(ctx: AppContext, p: ParsedParams<'CostSummary'>): CostSummaryResult {
  const { from, to } = dateRange(ctx, p);
  const { fromMs, toMs } = localRange(from, to);
  let rows: UsageTotals[];
  // One chat: its own row and one per subagent (group_by chat), or its days or models.
  if (p.chat_id) rows = usageOfChat(ctx.db, p.chat_id, fromMs, toMs, p.group_by);
  else if (p.group_by === 'day') rows = slotsByDay(usageBySlot(ctx.db, fromMs, toMs), from, to);
  else if (p.group_by === 'model') rows = usageByModel(ctx.db, fromMs, toMs);
  else rows = usageByChat(ctx.db, fromMs, toMs, p.limit ?? DEFAULT_CHAT_ROWS);
  if (p.chat_id && p.group_by === 'day') rows = withEveryDay(rows, from, to);
  // The days cover the whole range; models and chats (top N) need the total read apart.
  const total = p.chat_id || p.group_by === 'day' ? sumOf(rows) : usageTotal(ctx.db, fromMs, toMs);
  return { time_zone: timeZone(), from, to, rows, total: total.requests === 0 ? emptyTotals('total') : total };
}
