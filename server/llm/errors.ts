// Classifies provider failures: which are retried, and what the user is told.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatErrorKind } from '../protocol';
import { ModelError } from './types';

/** The stream of a response that had started broke off (socket closed, bad chunk, no end marker). */
export class StreamBrokenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StreamBrokenError';
  }
}

type HeaderSource = Headers | Record<string, string | null | undefined> | undefined;

/**
 * How long the provider asked us to wait, in ms: `retry-after-ms`, else `Retry-After` as seconds or
 * an HTTP date. Undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: HeaderSource, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const get = (name: string): string | undefined => (headers instanceof Headers ? headers.get(name) : headers[name])?.trim() || undefined;
  const ms = get('retry-after-ms');
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) return Math.round(Number(ms));
  const value = get('retry-after');
  if (value === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  // An HTTP date names its month; anything else (negative numbers, junk) is unreadable.
  const at = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function kindForStatus(status: number): ChatErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'config';
  if (status === 429) return 'rate_limit';
  if (status === 408 || status === 504) return 'timeout';
  if (status >= 500) return 'overloaded';
  return 'generic';
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

export function isAbortError(err: unknown): boolean {
  return err instanceof APIUserAbortError || (err instanceof Error && err.name === 'AbortError');
}

/** OpenAI's answer to a previous_response_id it no longer (or never) stored. */
export function isChainBroken(err: unknown): boolean {
  return err instanceof APIError && err.status === 400 && /previous response with id .* not found/i.test(err.message);
}

/** OpenAI's `context_length_exceeded` and the wordings of compatible servers (vLLM, LM Studio, llama.cpp, OpenRouter). */
export function isContextLengthExceeded(err: unknown): boolean {
  if (!(err instanceof APIError) || (err.status !== 400 && err.status !== 413 && err.status !== 422)) return false;
  if (err.code === 'context_length_exceeded') return true;
  return /context[_ ]length|maximum context|context window|too many tokens|prompt is too long|exceeds the context/i.test(providerMessage(err));
}

/** A 400 that refuses the request's images: the model takes none (the wordings of OpenAI, vLLM, Ollama, LM Studio, OpenRouter). */
export function isImageRefusal(err: unknown): boolean {
  if (!(err instanceof APIError) || (err.status !== 400 && err.status !== 415 && err.status !== 422)) return false;
  return /image|vision|multi-?modal/i.test(providerMessage(err));
}

/** The innermost cause of an error, which names the real problem (ECONNREFUSED rather than "fetch failed"). */
function rootCause(err: unknown): unknown {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current instanceof Error && current.cause instanceof Error; depth++) current = current.cause;
  return current;
}

function rootCauseMessage(err: unknown): string {
  const cause = rootCause(err);
  return cause instanceof Error ? cause.message : String(cause);
}

/** What the usual network failures mean, in words a person can act on. */
const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing answers there (is the server running, and is the port right?)',
  ENOTFOUND: 'the host name does not resolve (check the URL)',
  EAI_AGAIN: 'the host name could not be looked up (check the network)',
  ECONNRESET: 'the connection was reset by the other side',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host cannot be reached',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
};

function networkWords(err: unknown): string {
  const code = (rootCause(err) as { code?: unknown })?.code;
  return typeof code === 'string' && NETWORK_WORDS[code] ? NETWORK_WORDS[code] : rootCauseMessage(err);
}

function providerMessage(err: APIError): string {
  const body = err.error as { message?: unknown } | undefined;
  if (typeof body?.message === 'string' && body.message) return body.message;
  return err.message.replace(/^\d{3}\s+/, '') || '(no message)';
}

export interface ErrorContext {
  model: string;
  baseUrl: string;
  /** What a 404 means for this request; defaults to the model being unknown. */
  notFoundMessage?: string;
}

/** Turns any failure of a request into a ModelError with a message a person can act on. */
export function toModelError(err: unknown, ctx: ErrorContext): ModelError {
  if (err instanceof ModelError) return err;
  if (err instanceof APIConnectionTimeoutError) {
    return new ModelError(`The provider at ${ctx.baseUrl} did not answer in time.`, 'timeout', true);
  }
  if (err instanceof APIConnectionError) {
    return new ModelError(`Could not reach ${ctx.baseUrl}: ${networkWords(err)}`, 'generic', true, undefined, rootCauseMessage(err));
  }
  if (err instanceof APIError && err.status !== undefined) {
    const status = err.status;
    const message = providerMessage(err);
    if (status === 401 || status === 403) {
      return new ModelError(`The provider rejected the API key (${status}). Check the key in "Local Agents: Configure Provider".`, 'auth', false, status, message);
    }
    if (status === 404) {
      return new ModelError(ctx.notFoundMessage ?? `Model "${ctx.model}" was not found at ${ctx.baseUrl} (404).`, 'config', false, status, message);
    }
    if (isImageRefusal(err)) {
      return new ModelError(`The model "${ctx.model}" refused the request's images (${status}): ${message}. It probably does not take image input: mark its image input as "no" in Manage Providers and Models, and for computer use set localAgents.computerUse.model to a model that takes images.`, 'config', false, status, message);
    }
    if (isContextLengthExceeded(err)) {
      return new ModelError(`The request is longer than the model's context window (${status}): ${message}`, 'context_length', false, status, message);
    }
    if (status === 429 && err.code === 'insufficient_quota') {
      return new ModelError(`The provider account has no quota left (429): ${message}`, 'usage_limit', false, status, message);
    }
    if (status === 429) return new ModelError(`The provider is rate limiting requests (429): ${message}`, 'rate_limit', true, status, message);
    if (status >= 500) return new ModelError(`The provider failed (${status}): ${message}`, kindForStatus(status), true, status, message);
    return new ModelError(`The provider rejected the request (${status}): ${message}`, kindForStatus(status), isRetryableStatus(status), status, message);
  }
  if (err instanceof APIError) {
    // An error object sent inside an otherwise successful stream.
    return new ModelError(`The provider reported an error mid-stream: ${providerMessage(err)}`, 'overloaded', true);
  }
  if (err instanceof StreamBrokenError) {
    return new ModelError(`The model stream broke off: ${err.message}`, 'overloaded', true, undefined, rootCauseMessage(err));
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ModelError(`The model request failed: ${message}`, 'generic', false);
}

/** The error reported once every attempt failed; still retryable later by the user. */
export function exhaustedError(last: ModelError, attempts: number): ModelError {
  return new ModelError(`${last.message} (gave up after ${attempts} attempts)`, last.kind, true, last.statusCode, last.detail);
}

export function retryAfterOf(err: unknown): number | undefined {
  return err instanceof APIError ? parseRetryAfter(err.headers) : undefined;
}
