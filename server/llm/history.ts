// Persisted chat history → what a model reads. Shared by both wire formats.
import type { ChatMessage, MessagePart, ToolResultPart } from '../protocol';

/** The text a model sees for one part; undefined for parts that are not text (calls, results, reasoning). */
export function partText(p: MessagePart): string | undefined {
  switch (p.type) {
    case 'text': return p.text;
    case 'file': {
      const heading = `Attached file ${p.path ?? p.name} (${p.media_type})`;
      return p.content === undefined ? `${heading}; its content is not included.` : `${heading}:\n\`\`\`\n${p.content}\n\`\`\``;
    }
    case 'context-file': return `Instructions from ${p.context_file_path}${p.context_file_truncated ? ' (truncated)' : ''}:\n${p.content ?? ''}`;
    case 'skill': return `Skill available: ${p.skill_name} — ${p.skill_description}`;
    default: return undefined;
  }
}

export function joinedText(parts: MessagePart[]): string {
  return parts.map(partText).filter((t): t is string => t !== undefined && t !== '').join('\n\n');
}

/** A tool result as the wire carries it: strings as they are, anything else as JSON. */
export function resultText(p: ToolResultPart): string {
  return typeof p.result === 'string' ? p.result : JSON.stringify(p.result ?? null);
}

/**
 * Keeps the history valid for providers: each assistant message is followed by exactly one result
 * per tool call, in call order (a call without a recorded result gets an error result); results
 * without a call are dropped. Non-tool messages are kept as the same objects, so callers can find
 * them again by identity.
 */
export function pairToolCalls(history: ChatMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (let i = 0; i < history.length; i++) {
    const m = history[i];
    if (m.role === 'tool') continue; // emitted with their assistant message
    out.push(m);
    if (m.role !== 'assistant') continue;
    const results = new Map<string, ChatMessage>();
    for (let j = i + 1; j < history.length && history[j].role === 'tool'; j++) {
      for (const p of history[j].content) {
        if (p.type === 'tool-result' && !results.has(p.tool_call_id)) results.set(p.tool_call_id, { ...history[j], content: [p] });
      }
    }
    for (const c of m.content) {
      if (c.type !== 'tool-call') continue;
      out.push(results.get(c.tool_call_id) ?? {
        ...m,
        role: 'tool',
        provider_response_id: null,
        content: [{ type: 'tool-result', tool_call_id: c.tool_call_id, tool_name: c.tool_name, is_error: true, result: { error: 'No result was recorded for this call.' } }],
      });
    }
  }
  return out;
}
