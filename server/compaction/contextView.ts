// What the model is sent of a chat's history once it has context boundaries: the chat's instructions
// (context files, skills), the latest boundary's summary and the user messages it kept word for word, then
// everything after it. Older tool outputs can be pruned from that view without touching the database.
import type { ChatMessage, CompactionPart, MessagePart } from '../protocol';

export function compactionOf(m: ChatMessage): CompactionPart | undefined {
  return m.role === 'system' ? m.content.find((p): p is CompactionPart => p.type === 'compaction') : undefined;
}

const isInstructions = (m: ChatMessage) => m.role === 'system' && m.content.some((p) => p.type === 'context-file' || p.type === 'skill');

export interface ContextView {
  messages: ChatMessage[];
  boundary?: CompactionPart;
}

function summaryMessage(boundary: ChatMessage, part: CompactionPart): ChatMessage {
  const text = part.summary
    ? `The conversation so far was summarised to fit the context window. Summary:\n\n${part.summary}`
    : 'The earlier conversation was cleared from the context at the user\'s request.';
  return { ...boundary, role: 'user', content: [{ type: 'text', text }], provider_response_id: null };
}

/** The model's view of `all` (visible messages, oldest first). */
export function contextView(all: ChatMessage[]): ContextView {
  let at = -1;
  for (let i = all.length - 1; i >= 0 && at < 0; i--) if (compactionOf(all[i])) at = i;
  if (at < 0) return { messages: all };
  const boundary = all[at];
  const part = compactionOf(boundary)!;
  const kept = new Set(part.kept_user_message_ids);
  const through = part.covers_through_message_id;
  const covered = all.filter((m) => m.id <= through);
  const messages = [
    ...covered.filter(isInstructions),
    summaryMessage(boundary, part),
    // Their response ids are dropped so a Responses chain never reaches across the boundary.
    ...covered.filter((m) => m.role === 'user' && kept.has(m.id)).map((m) => ({ ...m, provider_response_id: null })),
    ...all.filter((m) => m.id > through && m !== boundary && !compactionOf(m)),
  ];
  return { messages, boundary: part };
}

/** Our estimate of a request's tokens: about four characters a token, as the wire carries them. */
export function estimateTokens(system: string, messages: ChatMessage[], tools: unknown[]): number {
  let chars = system.length + JSON.stringify(tools).length;
  for (const m of messages) for (const p of m.content) chars += partChars(p);
  return Math.ceil(chars / 4) + messages.length * 4;
}

function partChars(p: MessagePart): number {
  switch (p.type) {
    case 'tool-result': return typeof p.result === 'string' ? p.result.length : JSON.stringify(p.result ?? null).length;
    case 'tool-call': return p.args.length + p.tool_name.length;
    case 'text': case 'reasoning': return p.text.length;
    case 'file': return (p.content ?? '').length + 80;
    case 'context-file': return (p.content ?? '').length + 80;
    case 'skill': return p.skill_description.length + p.skill_name.length;
    case 'compaction': return p.summary.length + 100;
  }
}

/** The provider's count of the last request after the boundary: input, cached and written-to-cache tokens. */
export function lastRequestTokens(view: ContextView): number {
  const through = view.boundary?.covers_through_message_id ?? 0;
  for (let i = view.messages.length - 1; i >= 0; i--) {
    const m = view.messages[i];
    if (m.role !== 'assistant' || m.id <= through) continue;
    const u = m.usage;
    if (u.input_tokens === null && u.cache_read_tokens === null) continue;
    return (u.input_tokens ?? 0) + (u.cache_read_tokens ?? 0) + (u.cache_creation_tokens ?? 0) + (u.output_tokens ?? 0);
  }
  return 0;
}

/**
 * Replaces the outputs of older tool calls with a note, keeping the newest ones while they fit in
 * `budgetTokens`. Returns the view unchanged when nothing had to go.
 */
export function pruneToolOutputs(messages: ChatMessage[], budgetTokens: number): { messages: ChatMessage[]; pruned: number } {
  let used = 0;
  let pruned = 0;
  const out = [...messages];
  for (let i = out.length - 1; i >= 0; i--) {
    const m = out[i];
    if (m.role !== 'tool') continue;
    let changed = false;
    const content = m.content.map((p) => {
      if (p.type !== 'tool-result') return p;
      const tokens = Math.ceil(partChars(p) / 4);
      // The newest output always stays: the model has not acted on it yet.
      if (used === 0 || used + tokens <= budgetTokens || tokens < 50) {
        used += tokens;
        return p;
      }
      pruned++;
      changed = true;
      return { ...p, result: `[The output of this ${p.tool_name} call (about ${tokens} tokens) was removed to save context. Run it again if you need it.]` };
    });
    if (changed) out[i] = { ...m, content };
  }
  return { messages: pruned > 0 ? out : messages, pruned };
}
