// Change events of this process, fanned out to every adapter (JSON-RPC client, HTTP streams, CLI).
// Stream events are coalesced: the first event after a quiet period goes out at once (time to first
// token), the rest of a burst is merged into one batch on the next macrotask (no message per token).
import type { Chat, ChatStreamEvent, ChatWatchKind, StreamPart } from './protocol';

export type WatchListener = (kind: ChatWatchKind, chat: Chat) => void;
export type StreamListener = (chatId: string, events: ChatStreamEvent[]) => void;

function mergeInto(batch: ChatStreamEvent[], ev: ChatStreamEvent): void {
  const last = batch[batch.length - 1];
  if (last?.type === 'message_part' && ev.type === 'message_part' && last.role === ev.role) {
    const merged = mergeParts(last.part, ev.part);
    if (merged) {
      batch[batch.length - 1] = { ...last, part: merged };
      return;
    }
  }
  batch.push(ev);
}

function mergeParts(a: StreamPart, b: StreamPart): StreamPart | undefined {
  if ((a.type === 'text' && b.type === 'text') || (a.type === 'reasoning' && b.type === 'reasoning')) return { type: a.type, text: a.text + b.text };
  if (a.type === 'tool-call' && b.type === 'tool-call' && a.tool_call_id === b.tool_call_id) return { ...a, args_delta: a.args_delta + b.args_delta };
  if (a.type === 'tool-result' && b.type === 'tool-result' && a.tool_call_id === b.tool_call_id) return { ...a, result_delta: a.result_delta + b.result_delta };
  return undefined;
}

export class ChatEvents {
  private readonly watchers = new Set<WatchListener>();
  private readonly streamers = new Set<StreamListener>();
  private readonly pending = new Map<string, ChatStreamEvent[]>();
  private flushScheduled = false;
  private readonly hot = new Set<string>();

  onWatch(fn: WatchListener): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  onStream(fn: StreamListener): () => void {
    this.streamers.add(fn);
    return () => this.streamers.delete(fn);
  }

  watch(kind: ChatWatchKind, chat: Chat): void {
    for (const fn of this.watchers) fn(kind, chat);
  }

  stream(chatId: string, ev: ChatStreamEvent): void {
    if (!this.hot.has(chatId)) {
      // Leading edge: deliver at once, then batch whatever follows in this burst.
      this.hot.add(chatId);
      this.deliver(chatId, [ev]);
      this.schedule();
      return;
    }
    const batch = this.pending.get(chatId) ?? [];
    mergeInto(batch, ev);
    this.pending.set(chatId, batch);
    this.schedule();
  }

  /** Delivers everything buffered now; used before a turn reports its end so order is kept. */
  flush(): void {
    const batches = [...this.pending];
    this.pending.clear();
    for (const [chatId, events] of batches) this.deliver(chatId, events);
  }

  private schedule(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const hadWork = this.pending.size > 0;
      this.flush();
      if (hadWork) this.schedule();
      else this.hot.clear();
    });
  }

  private deliver(chatId: string, events: ChatStreamEvent[]): void {
    for (const fn of this.streamers) fn(chatId, events);
  }
}
