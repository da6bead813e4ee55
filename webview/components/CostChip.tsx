// What the chat has cost so far, its subagents included (the server's cost summary), in the header;
// the tooltip splits it into this chat and its subagents. Read again whenever the chat's status changes.
import { useEffect, useState } from 'preact/hooks';
import type { Chat, CostSummaryRow } from '../../server/protocol';
import { CostSummary } from '../../server/protocol/methods';
import { request } from '../rpc';

const dollars = (micros: number) => `$${(micros / 1e6).toFixed(micros < 10_000 ? 4 : 2)}`;

function describe(rows: CostSummaryRow[]): string {
  const tokens = rows.reduce((n, r) => n + r.input_tokens + r.output_tokens + r.cache_read_tokens, 0);
  const priced = rows.filter((r) => r.total_cost_micros !== null);
  const micros = priced.reduce((n, r) => n + (r.total_cost_micros ?? 0), 0);
  const unpriced = rows.some((r) => r.unpriced_requests > 0);
  return priced.length ? `${dollars(micros)}${unpriced ? '+' : ''}` : `${tokens.toLocaleString()} tokens`;
}

export function CostChip({ chat }: { chat: Chat }) {
  const [rows, setRows] = useState<CostSummaryRow[] | null>(null);
  useEffect(() => {
    let live = true;
    void request(CostSummary, { chat_id: chat.id, group_by: 'chat', start_date: chat.created_at })
      .then((r) => { if (live) setRows(r.rows); }, () => undefined);
    return () => { live = false; };
  }, [chat.id, chat.status]);
  if (!rows || rows.length === 0) return null;
  const own = rows.filter((r) => r.key === chat.id);
  const children = rows.filter((r) => r.key !== chat.id);
  const tip = [`This chat: ${own.length ? describe(own) : 'nothing yet'}`, ...(children.length ? [`${children.length} subagent${children.length > 1 ? 's' : ''}: ${describe(children)}`] : [])]
    .concat(rows.some((r) => r.unpriced_requests > 0) ? ['+ steps of models without a price'] : []).join('\n');
  return <span class="badge cost" data-testid="chat-cost" title={tip}>{describe(rows)}</span>;
}
