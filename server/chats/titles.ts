// Fallback titles at creation; generated titles after the first exchange (see agent/titleGeneration.ts).
import type { InputPart, MessagePart } from '../protocol';

export function firstText(parts: Array<InputPart | MessagePart>): string {
  return parts.filter((p): p is { type: 'text'; text: string } => p.type === 'text').map((p) => p.text).join(' ').trim();
}

/** First 6 words (+ "…" when cut), at most 80 code points; "New Chat" without text. */
export function fallbackTitle(text: string): string {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return 'New Chat';
  let title = words.slice(0, 6).join(' ') + (words.length > 6 ? '…' : '');
  const cps = [...title];
  if (cps.length > 80) title = cps.slice(0, 79).join('') + '…';
  return title;
}
