// Human-readable lines for the CLI.
import type { Chat, ChatMessage } from '../protocol';
import type { ChatDiff } from '../protocol/requests';

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

/** A chat's branch, pull request and changed files, as `chats diff` prints them. */
export function formatChatDiff(diff: ChatDiff): string {
  const d = diff.diff_status;
  if (!d) return '(no diff status: the chat has not ended a turn in a git checkout)';
  const pr = d.pr_number !== null
    ? `pull request #${d.pr_number} ${d.pull_request_state === 'open' && d.pull_request_draft ? 'draft' : d.pull_request_state}: ${d.pull_request_title ?? ''}  ${d.url ?? ''}`
    : d.pr_error ? `pull request: ${d.pr_error}` : 'no pull request';
  const lines = [
    `branch ${d.git_branch ?? '(detached HEAD)'}${d.base_branch ? ` → ${d.base_branch}` : ''}`,
    pr,
    `${d.changed_files} changed file${d.changed_files === 1 ? '' : 's'} (+${d.additions} −${d.deletions})`,
    ...diff.files.map((f) => `  ${f.status.padEnd(9)} ${f.additions === null ? 'binary'.padStart(12) : `+${f.additions} −${f.deletions}`.padStart(12)}  ${f.path}`),
  ];
  if (diff.files.length < d.changed_files) lines.push(`  … and ${d.changed_files - diff.files.length} more`);
  return lines.join('\n');
}
