// When a chat's context is compacted: the model config's context limit and threshold (one source, the
// config row), and how much of a compacted request older tool outputs may take.
import type { ModelOptions } from '../protocol';

/** Windows this large fill slowly and cost much per request: compact earlier. */
export const LARGE_WINDOW_TOKENS = 500_000;

export function thresholdPercent(contextLimit: number, options: ModelOptions): number {
  return options.compaction_threshold_percent ?? (contextLimit >= LARGE_WINDOW_TOKENS ? 30 : 70);
}

export function thresholdTokens(contextLimit: number, options: ModelOptions): number {
  return Math.floor((contextLimit * thresholdPercent(contextLimit, options)) / 100);
}

/** Tool outputs kept by pruning: the newest ones, up to a quarter of the threshold. */
export const pruneBudgetTokens = (threshold: number): number => Math.floor(threshold / 4);

/** A pass that saves less than this share does not run again in the same turn. */
export const MIN_SAVING = 0.05;

export const SUMMARY_TIMEOUT_MS = 120_000;
