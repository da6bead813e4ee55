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
