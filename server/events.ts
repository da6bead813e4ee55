// Change events of this process, fanned out to every adapter (JSON-RPC client, HTTP streams, CLI).
// Stream events are coalesced: the first event after a quiet period goes out at once (time to first
// token), the rest of a burst is merged into one batch on the next macrotask (no message per token).
import type { Chat, ChatStreamEvent, ChatWatchKind, StreamPart } from './protocol';

export type WatchListener = (kind: ChatWatchKind, chat: Chat) => void;
export type StreamListener = (chatId: string, events: ChatStreamEvent[]) => void;

function mergeInto(batch: ChatStreamEvent[], ev: ChatStreamEvent): void {
  const last = batch[batch.length - 1];
  // Batches are private until flushed, so the last part is extended in place: no allocation per delta.
  if (last?.type === 'message_part' && ev.type === 'message_part' && last.role === ev.role && appendPart(last.part, ev.part)) return;
  batch.push(ev.type === 'message_part' ? { ...ev, part: { ...ev.part } } : ev);
}

function appendPart(a: StreamPart, b: StreamPart): boolean {
  if ((a.type === 'text' && b.type === 'text') || (a.type === 'reasoning' && b.type === 'reasoning')) { a.text += b.text; return true; }
  if (a.type === 'tool-call' && b.type === 'tool-call' && a.tool_call_id === b.tool_call_id) { a.args_delta += b.args_delta; return true; }
  if (a.type === 'tool-result' && b.type === 'tool-result' && a.tool_call_id === b.tool_call_id) { a.result_delta += b.result_delta; return true; }
  return false;
}

/** Longest a streamed delta waits in a batch while a burst is being parsed. */
const FLUSH_MS = 16;

export class ChatEvents {
  private readonly watchers = new Set<WatchListener>();
  private readonly streamers = new Set<StreamListener>();
  private readonly pending = new Map<string, ChatStreamEvent[]>();
  private readonly lastFlush = new Map<string, number>();
  /** Chats whose last event was a delta: later deltas may be batched. */
  private readonly partsFlowing = new Set<string>();
  private flushScheduled = false;

  private readonly usageListeners = new Set<() => void>();

  /** A model request was recorded: spend and the request log changed. */
  onUsage(fn: () => void): () => void {
    this.usageListeners.add(fn);
    return () => this.usageListeners.delete(fn);
  }

  usageChanged(): void {
    for (const fn of this.usageListeners) fn();
  }

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

  /**
   * Status, messages and the first delta of a burst go out at once (time to first token); further deltas
   * are merged and go out at most every FLUSH_MS, or when the parser yields to the event loop.
   */
  stream(chatId: string, ev: ChatStreamEvent): void {
    const batch = this.pending.get(chatId) ?? [];
    mergeInto(batch, ev);
    this.pending.set(chatId, batch);
    const isPart = ev.type === 'message_part';
    const first = isPart && !this.partsFlowing.has(chatId);
    if (isPart) this.partsFlowing.add(chatId);
    else this.partsFlowing.delete(chatId);
    if (!isPart || first || performance.now() - (this.lastFlush.get(chatId) ?? 0) >= FLUSH_MS) {
      this.flushChat(chatId);
      return;
    }
    this.schedule();
  }

  /** Delivers everything buffered now. */
  flush(): void {
    for (const chatId of [...this.pending.keys()]) this.flushChat(chatId);
  }

  private flushChat(chatId: string): void {
    const events = this.pending.get(chatId);
    this.pending.delete(chatId);
    this.lastFlush.set(chatId, performance.now());
    if (events && events.length > 0) for (const fn of this.streamers) fn(chatId, events);
  }

  private schedule(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }
}
