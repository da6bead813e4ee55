// Usage: a date range (local days; 7, 30 or 90 days, or any from/to), spend and tokens per day as a chart,
// then per model and per chat (subagents counted in their root chat), the total, and a CSV export. It reads
// again when a request is recorded (the host relays UsageChangedNotification) while the range includes today.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CostSummaryRow } from '../../server/protocol';
import { CostSummary } from '../../server/protocol/methods';
import type { CostSummaryResult } from '../../server/protocol/usage';
import { manageOp, onHostMessage, request } from '../rpc';
import { usageCsv, type UsageGroup } from './csv';
import { lastDays, localDate } from './dates';
import { costCell, tokens } from './format';
import { UsageChart } from './UsageChart';

interface Usage { day: CostSummaryResult; model: CostSummaryResult; chat: CostSummaryResult }

const PRESETS = [7, 30, 90];

function UsageTable({ rows, keyHeader, testId, onOpen }: { rows: CostSummaryRow[]; keyHeader: string; testId: string; onOpen?(key: string): void }) {
  return (
    <table class="grid" data-testid={testId}>
      <thead><tr><th>{keyHeader}</th><th>Cost</th><th>Requests</th><th>Input</th><th>Output</th><th>Reasoning</th><th>Cache read</th><th>Cache write</th></tr></thead>
      <tbody>
        {rows.length === 0 && <tr><td colSpan={8} class="muted">No requests in this range.</td></tr>}
        {rows.map((r) => (
          <tr key={r.key} data-testid="usage-row" data-key={r.key}>
            <td>{onOpen ? <button class="link" onClick={() => onOpen(r.key)}>{r.label || r.key}</button> : <>{r.key}{r.label && r.label !== r.key && <span class="muted"> {r.label}</span>}</>}</td>
            <td class="num" data-testid="usage-cost">{costCell(r.total_cost_micros, r.unpriced_requests)}</td>
            <td class="num">{r.requests}</td>
            <td class="num">{tokens(r.input_tokens)}</td>
            <td class="num">{tokens(r.output_tokens)}</td>
            <td class="num">{tokens(r.reasoning_tokens)}</td>
            <td class="num">{tokens(r.cache_read_tokens)}</td>
            <td class="num">{tokens(r.cache_creation_tokens)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function UsageTab() {
  const [range, setRange] = useState(() => lastDays(30));
  const [usage, setUsage] = useState<Usage | null>(null);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [exportGroup, setExportGroup] = useState<UsageGroup>('day');
  const [note, setNote] = useState<string | null>(null);
  const rangeRef = useRef(range);
  rangeRef.current = range;

  const load = async (r = rangeRef.current) => {
    try {
      const [day, model, chat] = await Promise.all((['day', 'model', 'chat'] as const).map((group_by) => request(CostSummary, { group_by, from: r.from, to: r.to, ...(group_by === 'chat' ? { limit: 1000 } : {}) })));
      if (rangeRef.current !== r) return;
      setUsage({ day, model, chat });
      setError(null);
    } catch (e) {
      setError({ message: (e as Error).message, field: (e as { field?: string }).field });
    }
  };
  useEffect(() => { void load(range); }, [range]);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = onHostMessage((m) => {
      if (m.type !== 'usageChanged' || rangeRef.current.to < localDate(new Date())) return;
      clearTimeout(timer);
      timer = setTimeout(() => void load(), 500);
    });
    return () => { off(); clearTimeout(timer); };
  }, []);

  const exportCsv = async () => {
    if (!usage) return;
    const s = usage[exportGroup];
    const r = await manageOp({ op: 'exportCsv', file_name: `local-agents-usage-by-${exportGroup}-${s.from}-to-${s.to}.csv`, csv: usageCsv(exportGroup, s.rows, s.total) });
    setNote(r.ok ? 'Exported.' : r.cancelled ? null : r.error ?? 'The export failed.');
  };
  const total = usage?.day.total;

  return (
    <div class="usage" data-testid="usage-tab">
      <div class="toolbar">
        {PRESETS.map((n) => {
          const r = lastDays(n);
          const on = range.from === r.from && range.to === r.to;
          return <button key={n} class={`secondary small ${on ? 'on' : ''}`} aria-pressed={on} data-testid={`usage-preset-${n}`} onClick={() => setRange(r)}>Last {n} days</button>;
        })}
        <label class="inline">From <input type="date" data-testid="usage-from" value={range.from} max={range.to} onChange={(e) => { const v = (e.target as HTMLInputElement).value; if (v) setRange({ ...range, from: v }); }} /></label>
        <label class="inline">To <input type="date" data-testid="usage-to" value={range.to} min={range.from} onChange={(e) => { const v = (e.target as HTMLInputElement).value; if (v) setRange({ ...range, to: v }); }} /></label>
        <span class="spacer" />
        <select data-testid="usage-export-group" value={exportGroup} onChange={(e) => setExportGroup((e.target as HTMLSelectElement).value as UsageGroup)}>
          <option value="day">per day</option><option value="model">per model</option><option value="chat">per chat</option>
        </select>
        <button class="secondary small" data-testid="usage-export" disabled={!usage} onClick={() => void exportCsv()}><span class="codicon codicon-export" /> Export CSV…</button>
        {note && <span class="muted" data-testid="usage-export-note">{note}</span>}
      </div>
      {error && <div class="tool-error" data-testid="usage-error" data-field={error.field}>{error.message}</div>}
      {usage && total && (
        <>
          <div class="usage-total" data-testid="usage-total">
            <strong>{costCell(total.total_cost_micros, total.unpriced_requests)}</strong>
            <span>{total.requests} request{total.requests === 1 ? '' : 's'}</span>
            <span>{tokens(total.input_tokens)} input tokens</span>
            <span>{tokens(total.output_tokens)} output tokens</span>
            <span class="muted">{usage.day.from} to {usage.day.to} ({usage.day.time_zone})</span>
          </div>
          <UsageChart days={usage.day.rows} />
          <h3>Per model</h3>
          <UsageTable rows={usage.model.rows} keyHeader="Model" testId="usage-by-model" />
          <h3>Per chat <span class="muted">(subagents included)</span></h3>
          <UsageTable rows={usage.chat.rows} keyHeader="Chat" testId="usage-by-chat" onOpen={(chat_id) => void manageOp({ op: 'openChat', chat_id })} />
        </>
      )}
    </div>
  );
}
