// A model's context window from what its provider publishes: the OpenAI-style model list's extra fields
// (OpenRouter `context_length`, vLLM `max_model_len`, others `context_window`), LM Studio's native model
// list (`max_context_length`) and Ollama's `/api/show` (`<arch>.context_length`). Nothing published: undefined,
// and the caller keeps the documented fallback.
const DISCOVERY_TIMEOUT_MS = 5000;

type Json = Record<string, unknown>;

async function getJson(url: string, apiKey: string | undefined, body?: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`${res.status}`);
  return res.json();
}

const positive = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined);

/** The window named by one entry of a model list. */
export function limitOfEntry(entry: Json): number | undefined {
  const top = entry.top_provider as Json | undefined;
  return positive(entry.context_length) ?? positive(entry.max_model_len) ?? positive(entry.context_window)
    ?? positive(entry.max_context_length) ?? positive(top?.context_length);
}

/** Ollama's show answer: `model_info` has `<architecture>.context_length`. */
export function limitOfOllamaShow(show: Json): number | undefined {
  const info = (show.model_info ?? {}) as Json;
  for (const [k, v] of Object.entries(info)) if (k.endsWith('.context_length') && positive(v)) return positive(v);
  return undefined;
}

async function quietly<T>(p: () => Promise<T>): Promise<T | undefined> {
  try { return await p(); } catch { return undefined; }
}

export async function discoverContextLimit(baseUrl: string, apiKey: string | undefined, model: string): Promise<number | undefined> {
  const base = baseUrl.replace(/\/+$/, '');
  const origin = new URL(base).origin;
  const list = await quietly(() => getJson(`${base}/models`, apiKey)) as { data?: Json[] } | undefined;
  const entry = list?.data?.find((m) => m.id === model);
  const fromList = entry ? limitOfEntry(entry) : undefined;
  if (fromList) return fromList;
  const lmStudio = await quietly(() => getJson(`${origin}/api/v0/models/${encodeURIComponent(model)}`, apiKey)) as Json | undefined;
  const fromLmStudio = lmStudio ? positive(lmStudio.max_context_length) : undefined;
  if (fromLmStudio) return fromLmStudio;
  const ollama = await quietly(() => getJson(`${origin}/api/show`, apiKey, { model })) as Json | undefined;
  return ollama ? limitOfOllamaShow(ollama) : undefined;
}
