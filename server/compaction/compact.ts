// Compaction of a chat's context: before each model step (threshold), after a provider refused an over-long
// request, by hand (Compact Chat, /compact) and the reset without a model call (Reset Chat Context, /clear).
// A boundary is one system message with a compaction part; nothing older is deleted.
import type { AppContext } from '../context';
import { requireChat } from '../chats/lifecycle';
import { BUSY_STATUSES } from '../chats/status';
import { conflict } from '../errors';
import { summarise } from '../llm/summary';
import type { ModelTarget, ToolDefinition } from '../llm/types';
import { log } from '../logger';
import { resolveTurnModel, type ModelConfigRow } from '../models/modelConfigs';
import type { ChatMessage, CompactionPart, ModelOptions } from '../protocol';
import type { ParsedParams } from '../protocol/schemas';
import { allVisibleMessages, insertMessage } from '../store/messages';
import { modelTarget } from '../agent/modelTarget';
import { recordModelRequest, sessionKeyOf } from '../usage/requestLog';
import { assertWithinSpendLimits } from '../usage/spendLimit';
import { compactionOf, contextView, estimateTokens, lastRequestTokens, pruneToolOutputs, type ContextView } from './contextView';
import { MIN_SAVING, pruneBudgetTokens, SUMMARY_TIMEOUT_MS, thresholdPercent, thresholdTokens } from './policy';

export interface StepContextInput {
  chatId: string;
  sessionKey: string;
  config: ModelConfigRow;
  target: ModelTarget;
  system: string;
  tools: ToolDefinition[];
  signal: AbortSignal;
}

/** Per turn: a compaction that saved too little is not tried again until the turn ends. */
export interface TurnCompactionState { ineffective: boolean }

/** The history a step sends: compacted or pruned first when it would pass the threshold. */
export async function historyForStep(ctx: AppContext, input: StepContextInput, state: TurnCompactionState, force?: 'context_exceeded'): Promise<ChatMessage[]> {
  const options = JSON.parse(input.config.options) as ModelOptions;
  const view = contextView(allVisibleMessages(ctx.db, input.chatId));
  const limit = input.config.context_limit;
  if (!force && thresholdPercent(limit, options) >= 100) return view.messages;
  const threshold = thresholdTokens(limit, options);
  const estimate = estimateTokens(input.system, view.messages, input.tools);
  if (!force && Math.max(estimate, lastRequestTokens(view)) < threshold) return view.messages;
  const pruned = pruneToolOutputs(view.messages, pruneBudgetTokens(threshold));
  const prunedEstimate = estimateTokens(input.system, pruned.messages, input.tools);
  // Pruning alone is enough when our estimate of the pruned request is under the threshold (and the
  // provider's last count was of a request that had been pruned the same way).
  if (!force && pruned.pruned > 0 && prunedEstimate < threshold * 0.9 && lastRequestTokens(view) < threshold) return pruned.messages;
  if (state.ineffective) return pruned.messages;
  const boundary = compactionOfMessage(await compactNow(ctx, input, view, force ?? 'threshold', estimate));
  if (!boundary) return pruned.messages;
  // Saving under 5%, or staying over the threshold (the instructions and tools alone may not fit), means the
  // next step would compact again for nothing.
  if (boundary.tokens_after > boundary.tokens_before * (1 - MIN_SAVING) || boundary.tokens_after >= threshold) state.ineffective = true;
  return contextView(allVisibleMessages(ctx.db, input.chatId)).messages;
}

/** User messages of the turn in progress: after the last assistant answer that called no tools. */
function unansweredUserIds(messages: ChatMessage[]): number[] {
  const ids: number[] = [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.role === 'assistant' && !m.content.some((p) => p.type === 'tool-call') && m.content.some((p) => p.type === 'text' && p.text.trim())) break;
    if (m.role === 'user' && m.id > 0) ids.unshift(m.id);
  }
  return ids;
}

/**
 * `overhead`: tokens of the request that `input` does not carry (a manual compaction has no system prompt
 * and tools at hand: the provider's last count minus our estimate of the messages stands in for them).
 */
async function compactNow(ctx: AppContext, input: StepContextInput, view: ContextView, reason: CompactionPart['reason'], before: number, focus?: string, overhead = 0): Promise<ChatMessage | undefined> {
  const options = JSON.parse(input.config.options) as ModelOptions;
  const summaryTarget = options.compaction_model ? { ...input.target, model: options.compaction_model, modelName: options.compaction_model } : input.target;
  // The summary message of an earlier boundary is part of what is summarised again.
  const toSummarise = view.messages;
  const through = toSummarise.reduce((n, m) => Math.max(n, m.id), 0);
  if (through === 0) return undefined;
  let summary: string;
  try {
    assertWithinSpendLimits(ctx);
    summary = await summarise({
      target: summaryTarget, messages: toSummarise, windowTokens: input.config.context_limit, focus,
      signal: AbortSignal.any([input.signal, AbortSignal.timeout(SUMMARY_TIMEOUT_MS)]), timeoutMs: SUMMARY_TIMEOUT_MS,
      onAttempt: (rec) => { recordModelRequest(ctx, { chatId: input.chatId, sessionKey: input.sessionKey, kind: 'compaction' }, summaryTarget, rec); },
    });
  } catch (err) {
    if (input.signal.aborted) throw err;
    log.warn('compaction failed', { chat_id: input.chatId, error: (err as Error).message });
    ctx.events.stream(input.chatId, { type: 'notice', level: 'warning', message: `Compaction failed: ${(err as Error).message}` });
    if (reason !== 'threshold') throw err;
    return undefined;
  }
  const kept = unansweredUserIds(toSummarise);
  const part = boundaryPart(reason, summary, through, kept, before, focus, summaryTarget.model);
  const after = overhead + estimateTokens(input.system, contextView([...allVisibleMessages(ctx.db, input.chatId), boundaryMessage(part)]).messages, input.tools);
  const message = insertMessage(ctx.db, { chatId: input.chatId, role: 'system', content: [{ ...part, tokens_after: after }], createdAt: ctx.now() });
  ctx.events.stream(input.chatId, { type: 'message', message });
  return message;
}

const compactionOfMessage = (m: ChatMessage | undefined): CompactionPart | undefined => (m ? compactionOf(m) : undefined);

function boundaryPart(reason: CompactionPart['reason'], summary: string, through: number, kept: number[], before: number, focus: string | undefined, model?: string): CompactionPart {
  return {
    type: 'compaction', reason, summary, covers_through_message_id: through, kept_user_message_ids: kept,
    tokens_before: before, tokens_after: 0, ...(focus ? { focus } : {}), ...(model ? { model } : {}),
  };
}

/** A stand-in for the boundary message while its after-size is estimated. */
const boundaryMessage = (part: CompactionPart): ChatMessage => ({
  id: Number.MAX_SAFE_INTEGER, chat_id: '', role: 'system', content_version: 1, content: [part], model_config_id: null, created_at: '',
  usage: { input_tokens: null, output_tokens: null, total_tokens: null, reasoning_tokens: null, cache_read_tokens: null, cache_creation_tokens: null },
  total_cost_micros: null, runtime_ms: null, provider_response_id: null,
});

function idleChat(ctx: AppContext, chatId: string) {
  const chat = requireChat(ctx, chatId);
  if ((BUSY_STATUSES as readonly string[]).includes(chat.status)) {
    throw conflict('Chat is busy.', `Its status is ${chat.status}; compact or reset its context once the turn has ended.`);
  }
  return chat;
}

/** Compact Chat, `/compact [focus]`: summarise now, whatever the threshold. */
export async function compactChat(ctx: AppContext, p: ParsedParams<'CompactChat'>): Promise<{ message: ChatMessage | null }> {
  const chat = idleChat(ctx, p.chat_id);
  const config = resolveTurnModel(ctx.db, [chat.last_model_config_id]);
  const target = modelTarget(ctx, config);
  const view = contextView(allVisibleMessages(ctx.db, chat.id));
  if (!view.messages.some((m) => m.role === 'assistant')) throw conflict('There is nothing to compact yet.', 'The chat has no answers after its last boundary.');
  const input: StepContextInput = { chatId: chat.id, sessionKey: sessionKeyOf(ctx, chat), config, target, system: '', tools: [], signal: new AbortController().signal };
  const own = estimateTokens('', view.messages, []);
  const overhead = Math.max(0, lastRequestTokens(view) - own);
  return { message: (await compactNow(ctx, input, view, 'manual', own + overhead, p.focus, overhead)) ?? null };
}

/** Reset Chat Context, `/clear`: the model starts fresh from the next message; no model call. */
export function resetChatContext(ctx: AppContext, p: ParsedParams<'ResetChatContext'>): { message: ChatMessage } {
  const chat = idleChat(ctx, p.chat_id);
  const all = allVisibleMessages(ctx.db, chat.id);
  const view = contextView(all);
  const through = all.reduce((n, m) => Math.max(n, m.id), 0);
  const own = estimateTokens('', view.messages, []);
  const overhead = Math.max(0, lastRequestTokens(view) - own);
  const part = boundaryPart('reset', '', through, [], own + overhead, undefined);
  const after = overhead + estimateTokens('', contextView([...all, boundaryMessage(part)]).messages, []);
  const message = insertMessage(ctx.db, { chatId: chat.id, role: 'system', content: [{ ...part, tokens_after: after }], createdAt: ctx.now() });
  ctx.events.stream(chat.id, { type: 'message', message });
  return { message };
}
