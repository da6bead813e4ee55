// How long to wait before retrying a failed model request.

export const DEFAULT_MAX_ATTEMPTS = 5;
export const BASE_DELAY_MS = 500;
export const MAX_DELAY_MS = 30_000;
/** A Retry-After longer than this is not waited out in full: the user would think the chat hung. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

/**
 * Delay after failed attempt `attempt` (1-based): what the provider asked for when it said so,
 * else exponential backoff (500 ms doubling, capped at 30 s) with jitter over its upper half.
 */
export function backoffMs(attempt: number, retryAfterMs?: number, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), MAX_RETRY_AFTER_MS);
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
