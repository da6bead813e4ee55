// Cost and usage summaries per chat, model or day. Soft-deleted messages still count: they were paid for.
import type { z } from 'zod';
import type { AppContext } from '../context';
import type { CostSummaryRow } from '../protocol';
import type { CostSummaryParams } from '../protocol/requests';

const DAY_MS = 86_400_000;

export function costSummary(ctx: AppContext, p: z.output<typeof CostSummaryParams>): { rows: CostSummaryRow[] } {
  const end = p.end_date ? Date.parse(p.end_date) : ctx.now();
  const start = p.start_date ? Date.parse(p.start_date) : end - 30 * DAY_MS;
  const key = p.group_by === 'chat' ? 'm.chat_id' : p.group_by === 'model' ? "COALESCE(mc.model, '(unknown)')" : "strftime('%Y-%m-%d', m.created_at / 1000, 'unixepoch')";
  const where = ['m.role = \'assistant\'', 'm.created_at >= ?', 'm.created_at < ?'];
  const args: unknown[] = [start, end];
  if (p.chat_id) {
    // A chat's cost includes its subagents.
    where.push('(m.chat_id = ? OR m.chat_id IN (SELECT id FROM chats WHERE root_chat_id = ?))');
    args.push(p.chat_id, p.chat_id);
  }
  const rows = ctx.db.prepare(`SELECT ${key} AS key,
      SUM(m.total_cost_micros) AS total_cost_micros,
      SUM(CASE WHEN m.total_cost_micros IS NOT NULL THEN 1 ELSE 0 END) AS priced_messages,
      SUM(CASE WHEN m.total_cost_micros IS NULL THEN 1 ELSE 0 END) AS unpriced_messages,
      COALESCE(SUM(m.input_tokens), 0) AS input_tokens, COALESCE(SUM(m.output_tokens), 0) AS output_tokens,
      COALESCE(SUM(m.cache_read_tokens), 0) AS cache_read_tokens, COALESCE(SUM(m.cache_creation_tokens), 0) AS cache_creation_tokens
    FROM chat_messages m LEFT JOIN chat_model_configs mc ON mc.id = m.model_config_id
    WHERE ${where.join(' AND ')} GROUP BY 1 ORDER BY 1`).all(...args) as CostSummaryRow[];
  return { rows };
}
