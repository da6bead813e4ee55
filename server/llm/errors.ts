// Classifies provider failures: which are retried, and what the user is told.
import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { ModelError } from './types';
import type { ChatErrorKind } from '../protocol';

/** Retry-After as seconds or an HTTP date; retry-after-ms wins when present. */
export function parseRetryAfter(headers: Headers | Record<string, string | null | undefined> | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const get = (k: string) => (headers instanceof Headers ? headers.get(k) : headers[k]) ?? undefined;
  const ms = get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const v = get('retry-after');
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function kindForStatus(status: number | undefined): ChatErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'config';
  if (status === 429) return 'rate_limit';
  if (status === 529 || status === 503) return 'overloaded';
  if (status === 408 || status === 504) return 'timeout';
  return 'generic';
}

export function isRetryableStatus(status: number | undefined): boolean {
  return status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
}

export const isAbort = (err: unknown): boolean => err instanceof APIUserAbortError || (err as Error)?.name === 'AbortError';

export function isChainBroken(err: unknown): boolean {
  return err instanceof APIError && /previous response with id .* not found/i.test(err.message);
}

/** Turns any failure of a request into a ModelError with a message a person can act on. */
export function toModelError(err: unknown, ctx: { model: string; baseUrl: string }): ModelError {
  if (err instanceof ModelError) return err;
  if (err instanceof APIError && err.status !== undefined) {
    const status = err.status;
    const providerMsg = (err.error as { message?: string } | undefined)?.message ?? err.message;
    if (status === 401 || status === 403) return new ModelError(`The provider rejected the API key (${status}). Check the key in "Local Agents: Configure Provider".`, 'auth', false, status, providerMsg);
    if (status === 404) return new ModelError(`Model "${ctx.model}" was not found at ${ctx.baseUrl} (404).`, 'config', false, status, providerMsg);
    return new ModelError(`The provider answered ${status}: ${providerMsg}`, kindForStatus(status), isRetryableStatus(status), status, providerMsg);
  }
  if (err instanceof APIConnectionError) return new ModelError(`Could not reach ${ctx.baseUrl}: ${err.message}`, 'timeout', true);
  const message = err instanceof Error ? err.message : String(err);
  return new ModelError(`The model stream failed: ${message}`, 'generic', true);
}
