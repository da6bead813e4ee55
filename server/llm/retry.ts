// Retrying a model step: backoff with jitter, honouring Retry-After, abortable.
import { sleep } from '../util/time';
import { parseRetryAfter, toModelError } from './errors';
import type { StepRequest } from './types';
import { APIError } from 'openai';

export const BASE_DELAY_MS = 500;
export const MAX_DELAY_MS = 30_000;

export function backoffMs(attempt: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, 5 * 60_000);
  const exp = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the signal aborts. Retryable failures
 * (429, 5xx, connection, broken stream) are announced through req.onRetry before the wait.
 */
export async function withRetries<T>(req: StepRequest, attempt: (n: number) => Promise<T>): Promise<T> {
  const max = req.maxAttempts ?? 5;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (req.signal.aborted) throw err;
      const e = toModelError(err, { model: req.target.model, baseUrl: req.target.baseUrl });
      if (!e.retryable || n >= max) throw e;
      const delayMs = backoffMs(n, err instanceof APIError ? parseRetryAfter(err.headers as Headers | undefined) : undefined);
      req.onRetry({ attempt: n, delayMs, error: e.message, kind: e.kind, statusCode: e.statusCode });
      await sleep(delayMs, req.signal);
    }
  }
}
