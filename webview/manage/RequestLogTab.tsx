// Request Log: every request sent to a provider (chat steps, titles, compaction, MCP sampling, subagents),
// newest first, filtered by chat, model, outcome and local dates, grouped by session (collapsible), with
// tokens, cost, latency, time to first token, outcome and which credential was used (its last 4 characters
// at most). "Load more" pages with before_id.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Chat, ModelConfig } from '../../server/protocol';
import { ListChats, ListModelConfigs, ListModelRequests } from '../../server/protocol/methods';
import { REQUEST_OUTCOMES, type ModelRequest } from '../../server/protocol/usage';
import { manageOp, onHostMessage, request } from '../rpc';
import { dollars, ms, tokens, when } from './format';
import { groupBySession } from './sessions';

const PAGE = 100;

interface Filters { chat_id: string; model: string; outcome: '' | (typeof REQUEST_OUTCOMES)[number]; from: string; to: string }
const NO_FILTERS: Filters = { chat_id: '', model: '', outcome: '', from: '', to: '' };

function paramsOf(f: Filters, before?: number) {
  return {
    limit: PAGE, ...(f.chat_id ? { chat_id: f.chat_id } : {}), ...(f.model ? { model: f.model } : {}), ...(f.outcome ? { outcome: f.outcome } : {}),
    ...(f.from ? { from: f.from } : {}), ...(f.to ? { to: f.to } : {}), ...(before ? { before_id: before } : {}),
  };
}

function Outcome({ r }: { r: ModelRequest }) {
  if (r.outcome === 'ok') return <span class="outcome ok">ok</span>;
  return <span class={`outcome ${r.outcome}`} title={r.error ?? undefined}>{r.outcome}{r.error_kind ? ` · ${r.error_kind}` : ''}{r.status_code ? ` (${r.status_code})` : ''}</span>;
}

function RequestRow({ r }: { r: ModelRequest }) {
  return (
    <tr data-testid="request-row" data-id={r.id} data-kind={r.kind} data-outcome={r.outcome}>
      <td title={new Date(r.started_at).toLocaleString()}>{when(r.started_at)}</td>
      <td>{r.kind}{r.attempt > 1 ? ` #${r.attempt}` : ''}</td>
      <td class="ellipsis" title={r.chat_title ?? r.chat_id ?? ''}>{r.chat_title ?? (r.chat_id ? r.chat_id.slice(0, 8) : '–')}</td>
      <td>{r.provider_name}</td>
      <td>{r.model}</td>
      <td class="num">{tokens(r.input_tokens)}</td>
      <td class="num">{tokens(r.output_tokens)}</td>
      <td class="num">{tokens(r.reasoning_tokens)}</td>
      <td class="num">{tokens(r.cache_read_input_tokens)}</td>
      <td class="num">{tokens(r.cache_write_input_tokens)}</td>
      <td class="num" data-testid="request-cost">{dollars(r.cost_micros)}</td>
      <td class="num">{ms(r.duration_ms)}</td>
      <td class="num">{ms(r.ttft_ms)}</td>
      <td><Outcome r={r} /></td>
      <td data-testid="request-credential">{r.credential_kind}{r.credential_hint ? ` ${r.credential_hint}` : ''}</td>
    </tr>
  );
}

export function RequestLogTab() {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [rows, setRows] = useState<ModelRequest[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [loading, setLoading] = useState(false);
  const [chats, setChats] = useState<Chat[]>([]);
  const [models, setModels] = useState<ModelConfig[]>([]);
  const [open, setOpen] = useState<Set<string> | null>(null);
  const seq = useRef(0);

  const load = async (f: Filters, before?: number) => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const page = await request(ListModelRequests, paramsOf(f, before));
      if (mine !== seq.current) return;
      setRows((old) => (before ? [...old, ...page.requests] : page.requests));
      setNext(page.next_before_id);
      setError(null);
    } catch (e) {
      if (mine === seq.current) setError({ message: (e as Error).message, field: (e as { field?: string }).field });
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  };
  useEffect(() => { void load(filters); }, [filters]);
  useEffect(() => {
    void request(ListChats, { limit: 200 }).then((p) => setChats(p.chats), () => undefined);
    void request(ListModelConfigs, {}).then(setModels, () => undefined);
  }, []);
  // New requests arrive while the tab is open: the first page again (kept pages stay until a filter changes).
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  useEffect(() => onHostMessage((m) => { if (m.type === 'usageChanged' && rows.length <= PAGE) void load(filtersRef.current); }), [rows.length]);

  const sessions = groupBySession(rows);
  // The newest session starts open, the others folded, until the user opens or folds one.
  const isOpen = (key: string) => (open ? open.has(key) : key === sessions[0]?.key);
  const toggle = (key: string) => setOpen(() => {
    const s = new Set(open ?? (sessions[0] ? [sessions[0].key] : []));
    if (s.has(key)) s.delete(key); else s.add(key);
    return s;
  });
  const set = (patch: Partial<Filters>) => { setOpen(null); setFilters({ ...filters, ...patch }); };
  const modelNames = [...new Set([...models.map((m) => m.model), ...rows.map((r) => r.model)])].sort();
  const chatOptions = [...new Map([...chats.map((c) => [c.id, c.title || c.id] as const), ...rows.filter((r) => r.chat_id).map((r) => [r.chat_id as string, r.chat_title ?? r.chat_id as string] as const)]).entries()];

  return (
    <div class="request-log" data-testid="requests-tab">
      <div class="toolbar">
        <label class="inline">Chat
          <select data-testid="requests-chat" value={filters.chat_id} onChange={(e) => set({ chat_id: (e.target as HTMLSelectElement).value })}>
            <option value="">all</option>
            {chatOptions.map(([id, title]) => <option key={id} value={id}>{title}</option>)}
          </select>
        </label>
        <label class="inline">Model
          <select data-testid="requests-model" value={filters.model} onChange={(e) => set({ model: (e.target as HTMLSelectElement).value })}>
            <option value="">all</option>
            {modelNames.map((m) => <option key={m} value={m}>{m}</option>)}
          </select>
        </label>
        <label class="inline">Outcome
          <select data-testid="requests-outcome" value={filters.outcome} onChange={(e) => set({ outcome: (e.target as HTMLSelectElement).value as Filters['outcome'] })}>
            <option value="">all</option>
            {REQUEST_OUTCOMES.map((o) => <option key={o} value={o}>{o}</option>)}
          </select>
        </label>
        <label class="inline">From <input type="date" data-testid="requests-from" value={filters.from} onChange={(e) => set({ from: (e.target as HTMLInputElement).value })} /></label>
        <label class="inline">To <input type="date" data-testid="requests-to" value={filters.to} onChange={(e) => set({ to: (e.target as HTMLInputElement).value })} /></label>
        {filters !== NO_FILTERS && <button class="link" data-testid="requests-clear" onClick={() => set(NO_FILTERS)}>Clear filters</button>}
        <span class="spacer" />
        <button class="icon" title="Refresh" data-testid="requests-refresh" onClick={() => void load(filters)}><span class="codicon codicon-refresh" /></button>
      </div>
      {error && <div class="tool-error" data-testid="requests-error" data-field={error.field}>{error.message}</div>}
      <table class="grid requests" data-testid="requests-table">
        <thead><tr>
          <th>Time</th><th>Kind</th><th>Chat</th><th>Provider</th><th>Model</th><th>In</th><th>Out</th><th>Reasoning</th><th>Cache read</th><th>Cache write</th>
          <th>Cost</th><th>Latency</th><th>TTFT</th><th>Outcome</th><th>Credential</th>
        </tr></thead>
        {sessions.map((s) => (
          <tbody key={s.key} data-testid="request-session" data-session={s.key} class={isOpen(s.key) ? 'open' : 'folded'}>
            <tr class="session-head" onClick={() => toggle(s.key)}>
              <td colSpan={15}>
                <span class={`codicon codicon-chevron-${isOpen(s.key) ? 'down' : 'right'}`} />
                <strong> {s.title ?? (s.requests[0].chat_id ? s.requests[0].chat_id.slice(0, 8) : 'no chat')}</strong>
                <span class="muted"> · {s.requests.length} request{s.requests.length === 1 ? '' : 's'} · {when(s.started_at)}{s.ended_at !== s.started_at ? ` – ${when(s.ended_at)}` : ''}
                  {' · '}{s.cost_micros === null ? 'unpriced' : `${dollars(s.cost_micros)}${s.unpriced ? ` + ${s.unpriced} unpriced` : ''}`} · {tokens(s.input_tokens)} in / {tokens(s.output_tokens)} out
                  {s.errors ? ` · ${s.errors} failed` : ''}</span>
                {s.requests[0].chat_id && <button class="link" onClick={(e) => { e.stopPropagation(); void manageOp({ op: 'openChat', chat_id: s.requests[0].chat_id as string }); }}> Open chat</button>}
              </td>
            </tr>
            {isOpen(s.key) && s.requests.map((r) => <RequestRow key={r.id} r={r} />)}
          </tbody>
        ))}
      </table>
      {!loading && rows.length === 0 && <div class="empty" data-testid="requests-empty">No requests{filters !== NO_FILTERS ? ' match these filters' : ' yet'}.</div>}
      {next !== null && <button class="secondary" data-testid="requests-more" disabled={loading} onClick={() => void load(filters, next)}>{loading ? 'Loading…' : 'Load more'}</button>}
    </div>
  );
}
