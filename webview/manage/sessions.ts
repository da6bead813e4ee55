// The request log grouped by session (the client's session key, else the chat tree's root, else the request):
// groups keep the log's order (newest first), each with its totals, so a session reads as one line until opened.
import type { ModelRequest } from '../../server/protocol/usage';

export interface RequestSession {
  key: string;
  requests: ModelRequest[];
  /** The newest request's chat title (the root's, for a tree). */
  title: string | null;
  started_at: string;
  ended_at: string;
  cost_micros: number | null;
  unpriced: number;
  input_tokens: number;
  output_tokens: number;
  errors: number;
}

export function groupBySession(requests: readonly ModelRequest[]): RequestSession[] {
  const byKey = new Map<string, RequestSession>();
  const order: RequestSession[] = [];
  for (const r of requests) {
    let s = byKey.get(r.session_key);
    if (!s) {
      s = { key: r.session_key, requests: [], title: null, started_at: r.started_at, ended_at: r.started_at, cost_micros: null, unpriced: 0, input_tokens: 0, output_tokens: 0, errors: 0 };
      byKey.set(r.session_key, s);
      order.push(s);
    }
    s.requests.push(r);
    s.title ??= r.chat_title;
    if (r.started_at < s.started_at) s.started_at = r.started_at;
    if (r.started_at > s.ended_at) s.ended_at = r.started_at;
    if (r.cost_micros === null) s.unpriced++;
    else s.cost_micros = (s.cost_micros ?? 0) + r.cost_micros;
    s.input_tokens += r.input_tokens ?? 0;
    s.output_tokens += r.output_tokens ?? 0;
    if (r.outcome !== 'ok') s.errors++;
  }
  return order;
}
