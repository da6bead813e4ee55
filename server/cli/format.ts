// Human-readable lines for the CLI.
import type { Chat, ChatMessage } from '../protocol';

export function formatChatLine(c: Chat): string {
  const flags = [c.pin_order > 0 ? `pinned #${c.pin_order}` : '', c.has_unread ? 'unread' : '', c.archived ? 'archived' : ''].filter(Boolean).join(', ');
  const labels = Object.entries(c.labels).map(([k, v]) => `${k}:${v}`).join(' ');
  return `${c.id}  ${c.status.padEnd(15)} ${c.title}${flags ? `  [${flags}]` : ''}${labels ? `  {${labels}}` : ''}`;
}

export function formatMessage(m: ChatMessage): string {
  const body = m.content.map((p) => {
    switch (p.type) {
      case 'text': return p.text;
      case 'reasoning': return `(thinking) ${p.text}`;
      case 'tool-call': return `→ ${p.tool_name} ${p.args}`;
      case 'tool-result': return `← ${p.tool_name}${p.is_error ? ' (error)' : ''} ${JSON.stringify(p.result).slice(0, 200)}`;
      case 'file': return `[file ${p.name}]`;
      case 'context-file': return `[context ${p.context_file_path}]`;
      case 'skill': return `[skill ${p.skill_name}]`;
    }
  }).join('\n');
  const cost = m.total_cost_micros !== null ? ` $${(m.total_cost_micros / 1e6).toFixed(6)}` : '';
  return `[${m.id}] ${m.role}${cost}\n${body}\n`;
}

/** Dollars as the cost chip shows them: 4 decimals under a cent, else 2; `unpriced` when nothing had a price. */
export function formatDollars(micros: number | null): string {
  return micros === null ? 'unpriced' : `$${(micros / 1e6).toFixed(micros < 10_000 ? 4 : 2)}`;
}

/** Rows as aligned columns; the first row is the header. */
export function formatTable(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n');
}

/** One CSV record (RFC 4180): fields with a comma, quote or line break are quoted. */
export function csvRecord(fields: Array<string | number | null>): string {
  return fields.map((f) => {
    const s = f === null ? '' : String(f);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }).join(',');
}
