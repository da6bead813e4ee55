// `local-agents usage` and `requests list`: spend and tokens per local day, model or chat, and the request log,
// read through the table's CostSummary and ListModelRequests.
import { parseArgs } from 'node:util';
import type { Caller } from '../handlers';
import { setLogLevel } from '../logger';
import type { CostSummaryRow } from '../protocol';
import type { CostSummaryResult, ModelRequest } from '../protocol/usage';
import { namingFlags, usageErrorWith, wholeNumber, withCaller, type UsageError } from './flags';
import { csvRecord, formatDollars, formatTable } from './format';

export const USAGE_USAGE = `Usage:
  local-agents usage [--by day|model|chat] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--chat CHAT_ID] [--db FILE] [--json|--csv]
        (spend and tokens of every request: per local day (the default), per model, or per chat with its subagents;
         days are local days in the OS time zone, --from and --to inclusive, default the last 30 days;
         a request without a price is counted as unpriced, never as $0)
  local-agents requests list [--chat CHAT_ID] [--model ID] [--provider NAME] [--outcome ok|error|retried]
        [--kind chat|title|compaction|sampling|test] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--before ID] [--limit N] [--db FILE] [--json]
        (the request log, newest first; --before ID pages to older requests)`;

const options = {
  db: { type: 'string' },
  json: { type: 'boolean' },
  csv: { type: 'boolean' },
  by: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  chat: { type: 'string' },
  model: { type: 'string' },
  provider: { type: 'string' },
  outcome: { type: 'string' },
  kind: { type: 'string' },
  before: { type: 'string' },
  limit: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

const usageError: UsageError = usageErrorWith(USAGE_USAGE);

const FIELDS = {
  group_by: 'by', from: 'from', to: 'to', chat_id: 'chat', model: 'model', provider_name: 'provider',
  outcome: 'outcome', kind: 'kind', before_id: 'before', limit: 'limit',
};

const count = (n: number | null) => (n === null ? '-' : n.toLocaleString('en-US'));

/** The cost of a group: unpriced when nothing in it had a price, else its sum and how many had none. */
function costLabel(r: CostSummaryRow): string {
  if (r.requests === 0) return '-';
  return formatDollars(r.total_cost_micros) + (r.total_cost_micros !== null && r.unpriced_requests > 0 ? ` (+${r.unpriced_requests} unpriced)` : '');
}

type GroupBy = 'day' | 'model' | 'chat';
const GROUP_COLUMNS: Record<GroupBy, Array<{ header: string; csv: string; of: (r: CostSummaryRow) => string }>> = {
  day: [{ header: 'DAY', csv: 'day', of: (r) => r.key }],
  model: [{ header: 'MODEL', csv: 'model', of: (r) => r.key }, { header: 'PROVIDER', csv: 'provider_name', of: (r) => r.label }],
  chat: [{ header: 'CHAT', csv: 'chat_title', of: (r) => r.label }, { header: 'ID', csv: 'chat_id', of: (r) => r.key }],
};

function usageTable(result: CostSummaryResult, by: GroupBy): string {
  const head = `${result.from} to ${result.to} (${result.time_zone})`;
  // Days without requests are there for charts; the table leaves them out.
  const rows = result.rows.filter((r) => r.requests > 0);
  if (rows.length === 0) return `${head}\n(no requests)`;
  const cells = (r: CostSummaryRow, group: string[]) => [...group, count(r.requests), count(r.input_tokens), count(r.output_tokens),
    count(r.cache_read_tokens), count(r.cache_creation_tokens), count(r.reasoning_tokens), costLabel(r)];
  const columns = GROUP_COLUMNS[by];
  return `${head}\n${formatTable([
    [...columns.map((c) => c.header), 'REQUESTS', 'INPUT', 'OUTPUT', 'CACHE READ', 'CACHE WRITE', 'REASONING', 'COST'],
    ...rows.map((r) => cells(r, columns.map((c) => c.of(r)))),
    cells(result.total, ['TOTAL', ...columns.slice(1).map(() => '')]),
  ])}`;
}

/** Every row of the range (empty days too, for a chart); cost in dollars with the micro-dollars' 6 decimals, empty when unpriced. */
function usageCsv(result: CostSummaryResult, by: GroupBy): string {
  const columns = GROUP_COLUMNS[by];
  return [
    csvRecord([...columns.map((c) => c.csv), 'requests', 'priced_requests', 'unpriced_requests', 'input_tokens', 'output_tokens', 'reasoning_tokens', 'cache_read_tokens', 'cache_write_tokens', 'cost_usd']),
    ...result.rows.map((r) => csvRecord([...columns.map((c) => c.of(r)), r.requests, r.priced_requests, r.unpriced_requests, r.input_tokens, r.output_tokens,
      r.reasoning_tokens, r.cache_read_tokens, r.cache_creation_tokens, r.total_cost_micros === null ? null : (r.total_cost_micros / 1e6).toFixed(6)])),
  ].join('\n');
}

const pad = (n: number) => String(n).padStart(2, '0');
function localTime(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function requestsTable(list: ModelRequest[]): string {
  if (list.length === 0) return '(no requests)';
  return formatTable([['ID', 'TIME', 'KIND', 'PROVIDER', 'MODEL', 'INPUT', 'OUTPUT', 'CACHE READ', 'COST', 'MS', 'OUTCOME', 'KEY', 'CHAT'],
    ...list.map((r) => [String(r.id), localTime(r.started_at), r.kind, r.provider_name, r.model, count(r.input_tokens), count(r.output_tokens),
      count(r.cache_read_input_tokens), formatDollars(r.cost_micros), count(r.duration_ms),
      r.outcome === 'ok' ? 'ok' : `${r.outcome}${r.error_kind ? ` (${r.error_kind})` : ''}`,
      `${r.credential_kind}${r.credential_hint ? ` ${r.credential_hint}` : ''}`, r.chat_title ?? r.chat_id ?? '-'])]);
}

async function runUsage(flags: Flags, call: Caller, out: (s: string) => void): Promise<number> {
  if (flags.json && flags.csv) usageError('usage: --json and --csv are exclusive.');
  const result = await namingFlags(FIELDS, usageError, () => call('CostSummary', {
    group_by: (flags.by ?? 'day') as GroupBy, from: flags.from, to: flags.to, chat_id: flags.chat,
  }));
  const by = (flags.by ?? 'day') as GroupBy;
  out(flags.json ? JSON.stringify(result, null, 2) : flags.csv ? usageCsv(result, by) : usageTable(result, by));
  return 0;
}

async function runRequests(sub: string | undefined, flags: Flags, call: Caller, out: (s: string) => void): Promise<number> {
  if (sub !== 'list') usageError(`unknown requests command "${sub ?? ''}".`);
  const page = await namingFlags(FIELDS, usageError, () => call('ListModelRequests', {
    chat_id: flags.chat, model: flags.model, provider_name: flags.provider,
    outcome: flags.outcome as ModelRequest['outcome'] | undefined, kind: flags.kind as ModelRequest['kind'] | undefined,
    from: flags.from, to: flags.to, before_id: wholeNumber(flags.before, 'before', usageError), limit: wholeNumber(flags.limit, 'limit', usageError),
  }));
  if (flags.json) out(JSON.stringify(page, null, 2));
  else out(requestsTable(page.requests) + (page.next_before_id ? `\nolder: local-agents requests list --before ${page.next_before_id}` : ''));
  return 0;
}

/** Entry point from cli/main.ts: argv from `usage` or `requests` on. Throws AppError (status 2 = usage). */
export async function runUsageCli(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    return usageError((err as Error).message);
  }
  const { values: flags, positionals } = parsed;
  setLogLevel(flags.verbose ? 'debug' : 'warn');
  const [group, sub] = positionals;
  if (flags.help || (group === 'requests' && !sub)) {
    process.stdout.write(USAGE_USAGE + '\n');
    return flags.help ? 0 : 2;
  }
  if (group === 'usage' && sub) usageError(`usage takes no ${sub}: its flags are --by, --from, --to, --chat, --json and --csv.`);
  const out = (s: string) => process.stdout.write(`${s}\n`);
  return withCaller(flags.db, (call) => (group === 'usage' ? runUsage(flags, call, out) : runRequests(sub, flags, call, out)));
}
