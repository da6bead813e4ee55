// Generated chat titles: one short non-streamed request, normalised.
import { clientFor } from './client';
import { toModelError } from './errors';
import type { ModelTarget } from './types';

export { fallbackTitle } from '../chats/titles';

export function normalizeTitle(raw: string): string {
  let t = raw.trim();
  try {
    const parsed = JSON.parse(t) as { title?: unknown };
    if (typeof parsed?.title === 'string') t = parsed.title;
  } catch { /* plain text */ }
  t = t.replace(/^["'“”‘’`]+|["'“”‘’`]+$/g, '').replace(/^title:\s*/i, '').replace(/\s+/g, ' ').trim();
  const cps = [...t];
  return cps.length > 80 ? cps.slice(0, 80).join('') : t;
}

export async function generateTitle(target: ModelTarget, firstUserText: string, signal?: AbortSignal): Promise<string> {
  const client = clientFor(target, 10_000);
  const prompt = 'Write a concise title (at most 8 words, under 128 characters, plain text, no quotes) for a chat that starts with this message. Reply with the title only.';
  try {
    const text = target.api === 'responses'
      ? (await client.responses.create({ model: target.model, instructions: prompt, input: firstUserText.slice(0, 4000), store: false }, { signal })).output_text
      : (await client.chat.completions.create({ model: target.model, messages: [{ role: 'system', content: prompt }, { role: 'user', content: firstUserText.slice(0, 4000) }] }, { signal })).choices[0]?.message?.content ?? '';
    const title = normalizeTitle(text ?? '');
    if (!title) throw new Error('the model returned an empty title');
    return title;
  } catch (err) {
    throw toModelError(err, { model: target.model, baseUrl: target.baseUrl });
  }
}
