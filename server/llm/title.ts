// Generated chat titles: one short non-streamed request, normalised; and the fallback used until then.
import type { ChatUsage } from '../protocol';
import { usageFromCompletion } from './chatCompletions';
import { usageFromResponse } from './responses';
import { clientFor } from './client';
import { toModelError } from './errors';
import type { ModelTarget } from './types';

export { fallbackTitle } from '../chats/titles';

export const TITLE_TIMEOUT_MS = 10_000;
const MAX_TITLE_CODE_POINTS = 80;
const TITLE_PROMPT = 'Write a concise title for a chat that starts with the user message below: at most 8 words, under 128 characters, '
  + 'plain text without quotes or markdown. Reply with the title only.';

/**
 * The title in a model's answer: the `title` of a JSON answer or the first non-empty line, without
 * surrounding quotes, a "Title:" label or markdown emphasis, whitespace collapsed, at most 80 code points.
 */
export function normalizeTitle(raw: string): string {
  let text = raw.trim();
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && typeof (parsed as { title?: unknown }).title === 'string') text = (parsed as { title: string }).title;
  } catch { /* a plain-text answer */ }
  text = text.split(/\r?\n/).map((line) => line.trim()).find((line) => line !== '') ?? '';
  text = text.replace(/^#+\s*/, '').replace(/^\*\*(.*)\*\*$/, '$1').replace(/^title:\s*/i, '');
  text = text.replace(/^["'“”‘’`«»]+|["'“”‘’`«»]+$/g, '').replace(/\s+/g, ' ').trim();
  const codePoints = [...text];
  return codePoints.length > MAX_TITLE_CODE_POINTS ? codePoints.slice(0, MAX_TITLE_CODE_POINTS).join('').trimEnd() : text;
}

/** Asks the chat's model for a title; throws a ModelError when the request fails or the answer is empty. */
export async function generateTitle(target: ModelTarget, firstUserText: string, signal?: AbortSignal, onUsage?: (usage: ChatUsage) => void): Promise<string> {
  const client = clientFor(target, TITLE_TIMEOUT_MS);
  const message = firstUserText.slice(0, 4000);
  let answer: string;
  try {
    if (target.api === 'responses') {
      const response = await client.responses.create({ model: target.model, instructions: TITLE_PROMPT, input: message, store: false }, { signal });
      answer = response.output_text ?? '';
      if (response.usage) onUsage?.(usageFromResponse(response.usage));
    } else {
      const completion = await client.chat.completions.create({
        model: target.model,
        messages: [{ role: 'system', content: TITLE_PROMPT }, { role: 'user', content: message }],
      }, { signal });
      answer = completion.choices[0]?.message?.content ?? '';
      if (completion.usage) onUsage?.(usageFromCompletion(completion.usage));
    }
  } catch (err) {
    throw toModelError(err, { model: target.model, baseUrl: target.baseUrl });
  }
  const title = normalizeTitle(answer);
  if (!title) throw toModelError(new Error('the model answered with an empty title'), { model: target.model, baseUrl: target.baseUrl });
  return title;
}
