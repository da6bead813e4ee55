// What both wire formats share around one streamed step: attempts with retries and backoff, a
// silence watchdog per attempt, the attempt records, and a clean partial result when the caller aborts.
import { APIError } from 'openai';
import type { ChatUsage } from '../protocol';
import { sleep } from '../util/time';
import { exhaustedError, isAbortError, retryAfterOf, StreamBrokenError, toModelError } from './errors';
import { backoffMs, DEFAULT_MAX_ATTEMPTS } from './retry';
import { ModelError, type AttemptRecord, type ModelToolCall, type StepRequest, type StepResult } from './types';

/** Long enough for a reasoning model that thinks without streaming anything. */
export const DEFAULT_SILENCE_TIMEOUT_MS = 10 * 60_000;

export const emptyUsage = (): ChatUsage => ({
  input_tokens: null, output_tokens: null, total_tokens: null, reasoning_tokens: null, cache_read_tokens: null, cache_creation_tokens: null,
});

/** A call to a tool without parameters may come with no argument text at all; the tools expect a JSON object. */
export const withArgs = (call: ModelToolCall): ModelToolCall => (call.args.trim() === '' ? { ...call, args: '{}' } : call);

/** What one attempt has read so far; each API extends it with its own bookkeeping. */
export interface StepAccumulator {
  text: string;
  reasoning: string;
  usage: ChatUsage;
  /** The provider answered with a stream (HTTP 200). */
  opened: boolean;
  /** The stream carried its end marker (finish_reason / response.completed). */
  finished: boolean;
  /** Deltas handed to `onDelta` so far. */
  deltas: number;
  /** When the first delta arrived (performance.now()), for the time to first token. */
  firstDeltaAt?: number;
}

/** The step request with an `onDelta` that counts into `acc.deltas`. */
export function countingDeltas<A extends StepAccumulator>(req: StepRequest, acc: A): StepRequest {
  return { ...req, onDelta: (part) => { if (acc.deltas++ === 0) acc.firstDeltaAt = performance.now(); req.onDelta(part); } };
}

export interface StepStream<A extends StepAccumulator> {
  newAccumulator(): A;
  /**
   * Sends one request and reads its stream into `acc`, calling `touch` on every event. Returns
   * early (without throwing) when `signal` aborts.
   */
  streamOnce(acc: A, signal: AbortSignal, touch: () => void): Promise<void>;
  result(acc: A, aborted: boolean): StepResult;
  /**
   * A failure the request itself can fix (a broken Responses chain): adjusts the request and returns
   * true to resend at once, without counting an attempt or waiting.
   */
  recover?(err: unknown): boolean;
}

/** The attempt as the request log records it; the loop adds whether a retry followed. */
type AttemptFacts = Omit<AttemptRecord, 'retried' | 'attempt' | 'errorKind'>;
type AttemptOutcome = { kind: 'ok'; facts: AttemptFacts } | { kind: 'aborted'; facts: AttemptFacts | null } | { kind: 'failed'; error: unknown; facts: AttemptFacts };

export async function runStreamedStep<A extends StepAccumulator>(req: StepRequest, stream: StepStream<A>): Promise<StepResult> {
  const maxAttempts = Math.max(1, req.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const ctx = { model: req.target.model, baseUrl: req.target.baseUrl };
  for (let attempt = 1; ; ) {
    const acc = stream.newAccumulator();
    const outcome = await runAttempt(req, stream, acc);
    if (outcome.kind === 'ok') {
      req.onAttempt?.({ ...outcome.facts, attempt });
      return stream.result(acc, false);
    }
    if (outcome.kind === 'aborted') {
      if (outcome.facts) req.onAttempt?.({ ...outcome.facts, attempt, errorKind: 'interrupted' });
      return stream.result(acc, true);
    }
    const recovers = stream.recover?.(outcome.error) ?? false;
    const error = toModelError(outcome.error, ctx);
    const retried = recovers || (error.retryable && attempt < maxAttempts);
    req.onAttempt?.({ ...outcome.facts, attempt, errorKind: error.kind, retried });
    if (recovers) continue;
    if (!error.retryable) throw error;
    if (attempt >= maxAttempts) throw exhaustedError(error, attempt);
    const delayMs = backoffMs(attempt, retryAfterOf(outcome.error));
    req.onRetry({ attempt, delayMs, error: error.message, kind: error.kind, statusCode: error.statusCode });
    try {
      await sleep(delayMs, req.signal);
    } catch {
      // Aborted while waiting: what the failed attempt streamed was already discarded by onRetry.
      return stream.result(stream.newAccumulator(), true);
    }
    attempt++;
  }
}

async function runAttempt<A extends StepAccumulator>(req: StepRequest, stream: StepStream<A>, acc: A): Promise<AttemptOutcome> {
  if (req.signal.aborted) return { kind: 'aborted', facts: null };
  const controller = new AbortController();
  const forwardAbort = () => controller.abort(req.signal.reason);
  req.signal.addEventListener('abort', forwardAbort, { once: true });
  const silenceMs = req.silenceTimeoutMs ?? DEFAULT_SILENCE_TIMEOUT_MS;
  // Counting events and checking the count once per period keeps the per-delta cost at an increment
  // (no timer churn); silence is noticed after between one and two periods.
  let silent = false;
  let events = 0;
  let eventsAtLastCheck = -1;
  let timer: NodeJS.Timeout | undefined;
  const checkSilence = () => {
    if (events === eventsAtLastCheck) {
      silent = true;
      controller.abort();
      return;
    }
    eventsAtLastCheck = events;
    timer = setTimeout(checkSilence, silenceMs);
  };
  const touch = () => { events++; };
  const startedAt = Date.now();
  const sentAt = performance.now();
  const facts = (statusCode: number | undefined, error?: string): AttemptFacts => ({
    statusCode, error, usage: acc.opened ? acc.usage : undefined, startedAt, durationMs: Date.now() - startedAt,
    ttftMs: acc.firstDeltaAt !== undefined ? Math.round(acc.firstDeltaAt - sentAt) : undefined,
  });
  checkSilence();
  try {
    await stream.streamOnce(acc, controller.signal, touch);
    if (req.signal.aborted) return { kind: 'aborted', facts: facts(acc.opened ? 200 : undefined, 'aborted') };
    if (silent) throw silenceError(silenceMs);
    if (!acc.finished) throw new StreamBrokenError('the stream ended before the model finished its answer');
    return { kind: 'ok', facts: facts(200) };
  } catch (err) {
    if (req.signal.aborted) return { kind: 'aborted', facts: facts(acc.opened ? 200 : undefined, 'aborted') };
    const error = silent ? silenceError(silenceMs) : err;
    return { kind: 'failed', error, facts: facts(error instanceof APIError && error.status !== undefined ? error.status : acc.opened ? 200 : undefined, (error as Error).message) };
  } finally {
    clearTimeout(timer);
    req.signal.removeEventListener('abort', forwardAbort);
  }
}

function silenceError(ms: number): ModelError {
  return new ModelError(`The model sent nothing for ${Math.round(ms / 1000)} s.`, 'stream_silence_timeout', true);
}

/** An exception thrown by the chunk handler, kept apart from transport failures. */
class ConsumerError extends Error {
  constructor(readonly inner: unknown) {
    super('chunk handler failed');
  }
}

const YIELD_EVERY_MS = 16;

/**
 * Reads an SDK stream chunk by chunk (a plain for-await: no extra generator per chunk on the hot path),
 * turning transport failures into StreamBrokenError so they are retried, while errors the provider sent
 * (APIError) and aborts keep their meaning.
 */
export async function forEachChunk<T>(source: AsyncIterable<T>, acc: StepAccumulator, onChunk: (chunk: T) => void): Promise<void> {
  let lastYield = 0;
  try {
    for await (const chunk of source) {
      const silentBefore = acc.deltas === 0;
      try {
        onChunk(chunk);
      } catch (err) {
        throw new ConsumerError(err);
      }
      // A whole response can arrive in one read and be parsed without leaving the microtask queue; yield to
      // the event loop right after the first delta (so the first token goes out at once) and then now and
      // then, so streamed events are written out while the rest is parsed.
      const now = performance.now();
      if ((silentBefore && acc.deltas > 0) || now - lastYield >= YIELD_EVERY_MS) {
        lastYield = now;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  } catch (err) {
    if (err instanceof ConsumerError) throw err.inner;
    if (err instanceof APIError || isAbortError(err)) throw err;
    throw new StreamBrokenError(err instanceof Error ? err.message : String(err), { cause: err });
  }
}
