// Persisted chat history → the text a model reads. Shared by both wire formats.
import type { ChatMessage, MessagePart, ToolResultPart } from '../protocol';

export function partText(p: MessagePart): string | undefined {
  switch (p.type) {
    case 'text': return p.text;
    case 'file': return `Attached file ${p.path ?? p.name} (${p.media_type}):\n\`\`\`\n${p.content ?? ''}\n\`\`\``;
    case 'context-file': return `Instructions from ${p.context_file_path}${p.context_file_truncated ? ' (truncated)' : ''}:\n${p.content ?? ''}`;
    case 'skill': return `Skill available: ${p.skill_name} — ${p.skill_description}`;
    default: return undefined;
  }
}

export function joinedText(parts: MessagePart[]): string {
  return parts.map(partText).filter((t): t is string => t !== undefined && t !== '').join('\n\n');
}

export function resultText(p: ToolResultPart): string {
  return typeof p.result === 'string' ? p.result : JSON.stringify(p.result ?? null);
}

/**
 * Keeps the history valid for providers: every tool call gets exactly one result right after its
 * assistant message, results without a call are dropped.
 */
export function pairToolCalls(history: ChatMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (let i = 0; i < history.length; i++) {
    const m = history[i];
    if (m.role === 'tool') continue; // emitted with their assistant message
    out.push(m);
    if (m.role !== 'assistant') continue;
    const calls = m.content.filter((p) => p.type === 'tool-call');
    if (calls.length === 0) continue;
    const results = new Map<string, ChatMessage>();
    for (let j = i + 1; j < history.length && history[j].role === 'tool'; j++) {
      for (const p of history[j].content) if (p.type === 'tool-result' && !results.has(p.tool_call_id)) results.set(p.tool_call_id, { ...history[j], content: [p] });
    }
    for (const c of calls) {
      if (c.type !== 'tool-call') continue;
      out.push(results.get(c.tool_call_id) ?? {
        ...m, role: 'tool', content: [{ type: 'tool-result', tool_call_id: c.tool_call_id, tool_name: c.tool_name, is_error: true, result: { error: 'No result was recorded for this call.' } }],
      });
    }
  }
  return out;
}
