// The chat view's state and the pure reducer that applies server stream events to it.
// No DOM or Preact here, so it is unit-tested under node.
import type { Chat, ChatMessage, ChatStreamEvent, PendingAction, QueuedMessage, ToolResultPart } from '../../server/protocol';

export interface StreamingToolCall { id: string; name: string; args: string }
export interface StreamingMessage { text: string; reasoning: string; toolCalls: StreamingToolCall[] }

export interface ChatViewState {
  chat: Chat | null;
  /** Persisted messages, ordered by id. */
  messages: ChatMessage[];
  /** Bumped when the chat's checkpoints change: the changed-files cards read them again. */
  fileChangesVersion: number;
  hasMore: boolean;
  /** The assistant step being streamed, until its persisted `message` arrives. */
  streaming: StreamingMessage | null;
  /** Live output of running tools, by tool call id. */
  toolOutput: Record<string, string>;
  queued: QueuedMessage[];
  /** The provider failed and the server retries the step: shown as a countdown. */
  retry: RetryInfo | null;
  notices: string[];
  /** Calls the chat waits on (approvals), as the server last said. */
  actions: PendingAction[];
  /** A search hit to show: the view scrolls to this message and marks it. */
  focusMessageId?: number;
}

export interface RetryInfo { error: string; attempt: number; delayMs: number; /** Epoch ms of the next attempt, when the server said. */ at: number | null }

/** The row a message shows in: tool results render inside their call's assistant message. */
export function rowIdOf(messages: ChatMessage[], id: number): number | undefined {
  const i = messages.findIndex((m) => m.id === id);
  if (i < 0) return undefined;
  for (let j = i; j >= 0; j--) if (messages[j].role !== 'tool') return messages[j].id;
  return undefined;
}

export const emptyState = (): ChatViewState => ({ chat: null, messages: [], hasMore: false, streaming: null, toolOutput: {}, queued: [], retry: null, notices: [], actions: [], fileChangesVersion: 0 });

function upsert(messages: ChatMessage[], m: ChatMessage): ChatMessage[] {
  const i = messages.findIndex((x) => x.id === m.id);
  if (i >= 0) return messages.map((x) => (x.id === m.id ? m : x));
  const out = [...messages, m];
  if (messages.length && messages[messages.length - 1].id > m.id) out.sort((a, b) => a.id - b.id);
  return out;
}

export function applyStreamEvent(s: ChatViewState, e: ChatStreamEvent): ChatViewState {
  switch (e.type) {
    case 'message_part': {
      const p = e.part;
      if (p.type === 'tool-result') return { ...s, toolOutput: { ...s.toolOutput, [p.tool_call_id]: (s.toolOutput[p.tool_call_id] ?? '') + p.result_delta } };
      const cur = s.streaming ?? { text: '', reasoning: '', toolCalls: [] };
      if (p.type === 'text') return { ...s, retry: null, streaming: { ...cur, text: cur.text + p.text } };
      if (p.type === 'reasoning') return { ...s, streaming: { ...cur, reasoning: cur.reasoning + p.text } };
      const calls = cur.toolCalls.some((c) => c.id === p.tool_call_id)
        ? cur.toolCalls.map((c) => (c.id === p.tool_call_id ? { ...c, name: c.name || p.tool_name, args: c.args + p.args_delta } : c))
        : [...cur.toolCalls, { id: p.tool_call_id, name: p.tool_name, args: p.args_delta }];
      return { ...s, streaming: { ...cur, toolCalls: calls } };
    }
    case 'message': {
      const m = e.message;
      const next = { ...s, messages: upsert(s.messages, m) };
      if (m.role === 'assistant') next.streaming = null;
      if (m.role === 'tool') {
        const out = { ...s.toolOutput };
        for (const p of m.content) if (p.type === 'tool-result') delete out[p.tool_call_id];
        next.toolOutput = out;
      }
      return next;
    }
    case 'status':
      return { ...s, chat: s.chat ? { ...s.chat, status: e.status } : s.chat, streaming: e.status === 'running' || e.status === 'pending' ? s.streaming : null, retry: e.status === 'running' ? s.retry : null };
    case 'error':
      return { ...s, chat: s.chat ? { ...s.chat, last_error: e.error } : s.chat };
    case 'queue_update':
      return { ...s, queued: e.queued_messages };
    case 'retry':
      // What was streamed of the failed attempt is discarded: the retried step streams again from the start.
      return { ...s, streaming: null, retry: { error: e.error, attempt: e.attempt, delayMs: e.delay_ms, at: Number.isNaN(Date.parse(e.retrying_at)) ? null : Date.parse(e.retrying_at) } };
    case 'messages_deleted': {
      const gone = new Set(e.message_ids);
      return { ...s, messages: s.messages.filter((m) => !gone.has(m.id)) };
    }
    case 'notice':
      return { ...s, notices: [...s.notices, e.message].slice(-5) };
    case 'action_required':
      return { ...s, actions: e.actions };
    case 'file_changes':
      return { ...s, fileChangesVersion: s.fileChangesVersion + 1 };
  }
}

export function applyStreamEvents(s: ChatViewState, events: ChatStreamEvent[]): ChatViewState {
  return events.reduce(applyStreamEvent, s);
}

/** Older page loaded by scrolling up: prepended without duplicates. */
export function prependPage(s: ChatViewState, older: ChatMessage[], hasMore: boolean): ChatViewState {
  const known = new Set(s.messages.map((m) => m.id));
  return { ...s, messages: [...older.filter((m) => !known.has(m.id)), ...s.messages], hasMore };
}

/**
 * The newest page read again after another process changed the chat: messages it added join in order,
 * ones already here are replaced, nothing older is dropped.
 */
export function mergeNewest(s: ChatViewState, newest: ChatMessage[]): ChatViewState {
  let messages = s.messages;
  for (const m of newest) messages = upsert(messages, m);
  return messages === s.messages ? s : { ...s, messages };
}

/** Tool results by call id, so a call renders with its result. */
export type CallResult = Pick<ToolResultPart, 'result' | 'is_error' | 'decision'>;

export function resultsByCallId(messages: ChatMessage[]): Map<string, CallResult> {
  const map = new Map<string, CallResult>();
  for (const m of messages) if (m.role === 'tool') for (const p of m.content) if (p.type === 'tool-result') map.set(p.tool_call_id, { result: p.result, is_error: p.is_error, ...(p.decision ? { decision: p.decision } : {}) });
  return map;
}

export const isBusy = (chat: Chat | null): boolean => !!chat && (chat.status === 'running' || chat.status === 'pending');
