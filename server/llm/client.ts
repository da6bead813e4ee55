// One openai SDK client per provider target. The SDK's own retries are off: ours report each retry.
import OpenAI from 'openai';
import { sseFetch } from './sseFetch';
import type { ModelTarget } from './types';

const clients = new Map<string, OpenAI>();

export function clientFor(target: Pick<ModelTarget, 'baseUrl' | 'apiKey'>, timeoutMs = 10 * 60_000): OpenAI {
  const key = `${target.baseUrl}\n${target.apiKey ?? ''}\n${timeoutMs}`;
  let c = clients.get(key);
  if (!c) {
    // Local OpenAI-compatible servers often need no key; the SDK insists on a non-empty one.
    c = new OpenAI({ baseURL: target.baseUrl, apiKey: target.apiKey || 'not-needed', maxRetries: 0, timeout: timeoutMs, fetch: sseFetch });
    clients.set(key, c);
  }
  return c;
}
