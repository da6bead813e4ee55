// The chat stream over SSE. Every stream event of this process gets an id `<epoch>.<seq>.<message id>`:
// the server's start, the chat's event sequence, and the newest message id persisted before it. Each chat
// keeps its recent events, so a client that reconnects with Last-Event-ID gets exactly what it missed; if
// those events are gone (a long gap, another server) it gets the persisted messages after the id's
// message, then live events, so nothing persisted is lost and nothing is sent twice. Chats run by another
// process on the same database are followed through the change feed: their new messages and status come
// from the database.
import type { App } from '../app';
import { dispatch } from '../handlers';
import { actionRequiredEvent, type ChatStreamEvent } from '../protocol';
import type { SseConnection, SseEvent } from './sse';

const RING_SIZE = 2000;
const MAX_CHATS = 256;
const CATCH_UP_PAGE = 200;

interface Entry { seq: number; lastMessageId: number; ev: ChatStreamEvent; json?: string }
interface ChatRing { entries: Entry[]; seq: number; lastMessageId: number }

/** `lastId`: the id this client holds (the Last-Event-ID it resumed from, then the newest one sent). */
interface Subscriber { conn: SseConnection; sentMessageId: number; status: string | null; ready: boolean; backlog: Entry[]; lastId?: string }

const eventName = (ev: ChatStreamEvent): string => ev.type;

export class StreamHub {
  private readonly epoch = Date.now().toString(36);
  private readonly rings = new Map<string, ChatRing>();
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private readonly unsubscribe: Array<() => void> = [];

  constructor(private readonly app: App) {
    this.unsubscribe.push(app.ctx.events.onStream((chatId, events) => this.record(chatId, events)));
    this.unsubscribe.push(app.ctx.events.onWatch((kind, chat) => {
      if (kind === 'changed_elsewhere' && this.subscribers.has(chat.id)) void this.catchUpFromDb(chat.id, chat.status);
    }));
  }

  close(): void {
    for (const u of this.unsubscribe) u();
    for (const subs of this.subscribers.values()) for (const s of subs) s.conn.close();
  }

  get connections(): number {
    let n = 0;
    for (const subs of this.subscribers.values()) n += subs.size;
    return n;
  }

  private ring(chatId: string): ChatRing {
    let r = this.rings.get(chatId);
    if (r) {
      // Most recently used last, so the oldest idle chat is dropped first.
      this.rings.delete(chatId);
    } else {
      r = { entries: [], seq: 0, lastMessageId: 0 };
      if (this.rings.size >= MAX_CHATS) {
        const idle = [...this.rings.keys()].find((id) => !this.subscribers.has(id));
        if (idle) this.rings.delete(idle);
      }
    }
    this.rings.set(chatId, r);
    return r;
  }

  private idOf(e: Entry): string {
    return `${this.epoch}.${e.seq}.${e.lastMessageId}`;
  }

  /** Serialised once, however many clients follow the chat. */
  private toSse(e: Entry): SseEvent {
    e.json ??= JSON.stringify(e.ev);
    return { id: this.idOf(e), event: eventName(e.ev), data: e.ev, json: e.json };
  }

  private record(chatId: string, events: ChatStreamEvent[]): void {
    const ring = this.ring(chatId);
    const added: Entry[] = [];
    for (const ev of events) {
      if (ev.type === 'message') ring.lastMessageId = Math.max(ring.lastMessageId, ev.message.id);
      const entry = { seq: ++ring.seq, lastMessageId: ring.lastMessageId, ev };
      ring.entries.push(entry);
      added.push(entry);
    }
    if (ring.entries.length > RING_SIZE) ring.entries.splice(0, ring.entries.length - RING_SIZE);
    for (const sub of this.subscribers.get(chatId) ?? []) this.deliver(sub, added);
  }

  private deliver(sub: Subscriber, entries: Entry[]): void {
    if (!sub.ready) {
      sub.backlog.push(...entries);
      return;
    }
    const out: SseEvent[] = [];
    for (const e of entries) {
      // A message already sent from the database is not sent again.
      if (e.ev.type === 'message') {
        if (e.ev.message.id <= sub.sentMessageId) continue;
        sub.sentMessageId = e.ev.message.id;
      }
      if (e.ev.type === 'status') sub.status = e.ev.status;
      out.push(this.toSse(e));
    }
    this.send(sub, out);
  }

  /**
   * Events made up for one client (messages caught up from the database, the current status) carry the
   * position they stand at, which may be the id the client already holds: such an event goes without an
   * id, so no id is ever seen twice and the client's Last-Event-ID stays where it was, which resumes the
   * same way.
   */
  private send(sub: Subscriber, events: SseEvent[]): void {
    const out = events.map((e) => {
      if (e.id === undefined) return e;
      if (e.id === sub.lastId) return { event: e.event, data: e.data, json: e.json };
      sub.lastId = e.id;
      return e;
    });
    sub.conn.send(out);
  }

  /** Opens the stream of a chat (already checked to exist). `lastEventId` or `afterId` resume it. */
  async subscribe(chatId: string, conn: SseConnection, resume: { lastEventId?: string; afterId?: number }): Promise<void> {
    const sub: Subscriber = { conn, sentMessageId: 0, status: null, ready: false, backlog: [], lastId: resume.lastEventId?.trim() || undefined };
    let set = this.subscribers.get(chatId);
    if (!set) this.subscribers.set(chatId, (set = new Set()));
    set.add(sub);
    conn.whenClosed(() => {
      set.delete(sub);
      if (set.size === 0) this.subscribers.delete(chatId);
    });
    const ring = this.ring(chatId);
    const parsed = parseEventId(resume.lastEventId);
    let replay: Entry[] = [];
    let fromMessage: number | undefined = resume.afterId;
    if (parsed) {
      const oldest = ring.entries[0]?.seq ?? ring.seq + 1;
      if (parsed.epoch === this.epoch && parsed.seq >= oldest - 1 && parsed.seq <= ring.seq) {
        replay = ring.entries.filter((e) => e.seq > parsed.seq);
        sub.sentMessageId = parsed.lastMessageId;
      } else {
        fromMessage = parsed.lastMessageId;
      }
    }
    if (fromMessage !== undefined) {
      sub.sentMessageId = fromMessage;
      await this.sendMessagesAfter(chatId, sub);
    }
    const chat = await dispatch(this.app, 'GetChat', { chat_id: chatId });
    if (replay.length === 0) {
      // The current status first, so a client knows where the chat is before any delta.
      sub.status = chat.status;
      const id = `${this.epoch}.${ring.seq}.${Math.max(ring.lastMessageId, sub.sentMessageId)}`;
      const snapshot: SseEvent[] = [{ id, event: 'status', data: { type: 'status', status: chat.status } }];
      // A chat that already waits when the stream opens (a fast model, a client that subscribes after POST
      // /chats) had its action_required before this client listened: the calls it waits on come with the status.
      if (chat.status === 'requires_action') {
        const actions = (await dispatch(this.app, 'ListPendingActions', { chat_id: chatId })).filter((a) => a.state === 'pending');
        if (actions.length > 0) snapshot.push({ id, event: 'action_required', data: actionRequiredEvent(actions) });
      }
      this.send(sub, snapshot);
    }
    sub.ready = true;
    this.deliver(sub, [...replay, ...sub.backlog.splice(0)]);
  }

  private async sendMessagesAfter(chatId: string, sub: Subscriber): Promise<void> {
    const ring = this.ring(chatId);
    for (;;) {
      const page = await dispatch(this.app, 'GetMessages', { chat_id: chatId, after_id: sub.sentMessageId, limit: CATCH_UP_PAGE });
      if (page.messages.length === 0) return;
      this.send(sub, page.messages.map((message) => {
        sub.sentMessageId = message.id;
        return { id: `${this.epoch}.${ring.seq}.${message.id}`, event: 'message', data: { type: 'message', message } };
      }));
      if (!page.has_more) return;
    }
  }

  /** Another process changed the chat: its new messages and status, from the database. */
  private async catchUpFromDb(chatId: string, status: string): Promise<void> {
    for (const sub of this.subscribers.get(chatId) ?? []) {
      if (!sub.ready) continue;
      try {
        await this.sendMessagesAfter(chatId, sub);
        if (sub.status !== status) {
          sub.status = status;
          const ring = this.ring(chatId);
          this.send(sub, [{ id: `${this.epoch}.${ring.seq}.${sub.sentMessageId}`, event: 'status', data: { type: 'status', status } }]);
        }
      } catch {
        sub.conn.close();
      }
    }
  }
}

export function parseEventId(id: string | undefined): { epoch: string; seq: number; lastMessageId: number } | undefined {
  const m = /^([0-9a-z]+)\.(\d+)\.(\d+)$/.exec(id?.trim() ?? '');
  return m ? { epoch: m[1], seq: Number(m[2]), lastMessageId: Number(m[3]) } : undefined;
}
