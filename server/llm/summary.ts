// Compaction summaries: one non-streamed request per part of the history (no tools offered, so none can be
// called), each part small enough for the summarising model's window; a part sees the summary of the parts
// before it.
import { usageFromCompletion } from './chatCompletions';
import { usageFromResponse } from './responses';
import { clientFor } from './client';
import { resultText } from './history';
import { toModelError } from './errors';
import type { ChatMessage } from '../protocol';
import type { AttemptRecord, ModelTarget } from './types';

const SUMMARY_PROMPT = `You compact the history of a coding agent's chat so the agent can continue the work with only your summary.
Write a dense, factual summary in markdown with these sections:
## Goal — what the user asked for, in their words where it matters.
## Decisions — choices made and constraints the user set.
## Files — every file path read, created or changed, and what changed.
## Commands — commands run and what they showed, errors and how they were fixed.
## State — done, in progress, remaining (next steps).
Keep identifiers, paths, numbers and error messages exact. Do not invent anything. Reply with the summary only.`;

const TOOL_OUTPUT_CHARS = 2000;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max / 2)}\n[… ${text.length - max} characters left out …]\n${text.slice(-max / 2)}`;
}

/** The messages as plain text, one block per message; long tool outputs shortened at both ends. */
export function transcriptOf(messages: ChatMessage[]): string[] {
  const blocks: string[] = [];
  for (const m of messages) {
    for (const p of m.content) {
      if (p.type === 'text' && p.text) blocks.push(`${m.role === 'user' ? 'User' : m.role === 'assistant' ? 'Assistant' : 'Note'}: ${p.text}`);
      else if (p.type === 'tool-call') blocks.push(`Assistant called ${p.tool_name} ${clip(p.args, TOOL_OUTPUT_CHARS)}`);
      else if (p.type === 'tool-result') blocks.push(`Result of ${p.tool_name}${p.is_error ? ' (error)' : ''}: ${clip(resultText(p), TOOL_OUTPUT_CHARS)}`);
      else if (p.type === 'file') blocks.push(`User attached ${p.path ?? p.name}`);
      else if (p.type === 'compaction' && p.summary) blocks.push(`Summary of an earlier part:\n${p.summary}`);
    }
  }
  return blocks;
}

/** Blocks grouped into parts of at most `maxChars` (a longer block is cut to fit). */
export function partsOf(blocks: string[], maxChars: number): string[] {
  const parts: string[] = [];
  let current = '';
  for (const raw of blocks) {
    const block = clip(raw, maxChars);
    if (current && current.length + block.length + 2 > maxChars) {
      parts.push(current);
      current = '';
    }
    current = current ? `${current}\n\n${block}` : block;
  }
  if (current) parts.push(current);
  return parts;
}

export interface SummaryRequest {
  target: ModelTarget;
  messages: ChatMessage[];
  /** Tokens the summarising model reads per request at most. */
  windowTokens: number;
  focus?: string;
  signal: AbortSignal;
  timeoutMs: number;
  onAttempt?: (rec: AttemptRecord) => void;
}

export async function summarise(req: SummaryRequest): Promise<string> {
  // Room for the prompt, an earlier part's summary and the answer; about four characters a token.
  const reserve = Math.min(12_000, Math.floor(req.windowTokens * 0.35));
  const parts = partsOf(transcriptOf(req.messages), Math.max(2000, (req.windowTokens - reserve) * 4));
  const focus = req.focus ? `\n\nThe user asked the summary to keep in particular: ${req.focus}` : '';
  let summary = '';
  for (const [i, part] of parts.entries()) {
    const earlier = summary ? `Summary of the earlier history:\n${summary}\n\n` : '';
    const input = `${earlier}History${parts.length > 1 ? ` (part ${i + 1} of ${parts.length})` : ''}:\n\n${part}${focus}`;
    summary = await oneSummary(req, input);
  }
  return summary;
}

async function oneSummary(req: SummaryRequest, input: string): Promise<string> {
  const { target } = req;
  const client = clientFor(target, req.timeoutMs);
  const startedAt = Date.now();
  try {
    let answer: string;
    let usage: AttemptRecord['usage'];
    if (target.api === 'responses') {
      const r = await client.responses.create({ model: target.model, instructions: SUMMARY_PROMPT, input, store: false }, { signal: req.signal });
      answer = r.output_text ?? '';
      if (r.usage) usage = usageFromResponse(r.usage);
    } else {
      const c = await client.chat.completions.create({ model: target.model, messages: [{ role: 'system', content: SUMMARY_PROMPT }, { role: 'user', content: input }] }, { signal: req.signal });
      answer = c.choices[0]?.message?.content ?? '';
      if (c.usage) usage = usageFromCompletion(c.usage);
    }
    req.onAttempt?.({ statusCode: 200, usage, startedAt, durationMs: Date.now() - startedAt });
    if (answer.trim()) return answer.trim();
  } catch (err) {
    const e = toModelError(err, { model: target.model, baseUrl: target.baseUrl });
    req.onAttempt?.({ statusCode: e.statusCode, error: e.message, startedAt, durationMs: Date.now() - startedAt });
    throw e;
  }
  throw toModelError(new Error('the model answered with an empty summary'), { model: target.model, baseUrl: target.baseUrl });
}
