// CSV of the Usage tab (RFC 4180: comma-separated, CRLF, fields quoted when they hold a comma, quote or line
// break). Money in dollars with six decimals (the log's micro-dollars exactly); an unpriced group has an empty
// cost, not 0, and its unpriced request count says why.
import type { CostSummaryRow } from '../../server/protocol';

export type Cell = string | number | null;

export function csvField(v: Cell): string {
  if (v === null) return '';
  const s = String(v);
  // A leading =, +, - or @ would be a formula to a spreadsheet: quoted with a leading apostrophe.
  const safe = /^[=+\-@]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const toCsv = (rows: Cell[][]): string => rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';

export const microsToDollars = (micros: number | null): string | null => (micros === null ? null : (micros / 1e6).toFixed(6));

export type UsageGroup = 'day' | 'model' | 'chat';

const KEY_HEADER: Record<UsageGroup, string[]> = { day: ['date'], model: ['model', 'provider'], chat: ['chat_id', 'chat'] };

/** One grouping of the cost summary as a CSV table, one row per group, then the total. */
export function usageCsv(group: UsageGroup, rows: CostSummaryRow[], total?: CostSummaryRow): string {
  const header = [...KEY_HEADER[group], 'cost_usd', 'requests', 'unpriced_requests', 'input_tokens', 'output_tokens', 'reasoning_tokens', 'cache_read_tokens', 'cache_write_tokens'];
  const keyCells = (r: CostSummaryRow): Cell[] => (group === 'day' ? [r.key] : [r.key, r.label]);
  const line = (keys: Cell[], r: CostSummaryRow): Cell[] => [
    ...keys, microsToDollars(r.total_cost_micros), r.requests, r.unpriced_requests, r.input_tokens, r.output_tokens, r.reasoning_tokens, r.cache_read_tokens, r.cache_creation_tokens,
  ];
  const body = rows.map((r) => line(keyCells(r), r));
  if (total) body.push(line(group === 'day' ? ['total'] : ['total', ''], total));
  return toCsv([header, ...body]);
}
