// The watch stream over SSE: chats created, deleted (archived), changing status, title or diff status, and waiting for
// an action, in this process or (through the change feed) in any other process on the same database.
// Events carry ids; a client reconnecting with Last-Event-ID gets the ones it missed while they are kept.
import type { App } from '../app';
import { dispatch } from '../handlers';
import type { ActionToolCall, Chat, ChatWatchKind } from '../protocol';
import type { SseConnection, SseEvent } from './sse';

export type WatchKind = 'created' | 'deleted' | 'status_change' | 'title_change' | 'diff_status_change' | 'updated' | 'action_required';
export interface WatchEvent { kind: WatchKind; chat: Chat; tool_calls?: ActionToolCall[] }

const KEEP = 1000;

export class WatchHub {
  private readonly epoch = Date.now().toString(36);
  private seq = 0;
  private readonly recent: Array<{ seq: number; ev: WatchEvent }> = [];
  private readonly known = new Map<string, { status: string; title: string; archived: boolean; diff: string }>();
  private readonly conns = new Set<SseConnection>();
  private readonly unsubscribe: Array<() => void> = [];

  constructor(private readonly app: App) {
    this.unsubscribe.push(app.ctx.events.onWatch((kind, chat) => void this.onWatch(kind, chat)));
    this.unsubscribe.push(app.ctx.events.onStream((chatId, events) => {
      for (const ev of events) {
        if (ev.type === 'action_required' && ev.tool_calls.length > 0) void this.actionRequired(chatId, ev.tool_calls);
      }
    }));
  }

  get connections(): number {
    return this.conns.size;
  }

  close(): void {
    for (const u of this.unsubscribe) u();
    for (const c of this.conns) c.close();
  }

  subscribe(conn: SseConnection, lastEventId: string | undefined): void {
    this.conns.add(conn);
    conn.whenClosed(() => this.conns.delete(conn));
    const m = /^([0-9a-z]+)\.(\d+)$/.exec(lastEventId?.trim() ?? '');
    if (m && m[1] === this.epoch) conn.send(this.recent.filter((r) => r.seq > Number(m[2])).map((r) => this.toSse(r)));
  }

  private toSse(r: { seq: number; ev: WatchEvent }): SseEvent {
    return { id: `${this.epoch}.${r.seq}`, event: r.ev.kind, data: r.ev };
  }

  private emit(ev: WatchEvent): void {
    const r = { seq: ++this.seq, ev };
    this.recent.push(r);
    if (this.recent.length > KEEP) this.recent.splice(0, this.recent.length - KEEP);
    const out = [this.toSse(r)];
    for (const c of this.conns) c.send(out);
  }

  /** The seed's kinds: a change seen elsewhere is a status or title change when that is what changed. */
  private async onWatch(kind: ChatWatchKind, chat: Chat): Promise<void> {
    const before = this.known.get(chat.id);
    this.known.set(chat.id, { status: chat.status, title: chat.title, archived: chat.archived, diff: diffKey(chat) });
    if (kind === 'created' || kind === 'deleted' || kind === 'status_change' || kind === 'title_change' || kind === 'diff_status_change') {
      this.emit({ kind, chat });
      return;
    }
    // Archived (or unarchived) by another process: `deleted` (`created`), as when it happens here, so a
    // client drops (adds) the chat. A chat not seen before that is archived now is gone for the client too.
    if (kind === 'changed_elsewhere' && chat.archived && (before ? !before.archived : true)) this.emit({ kind: 'deleted', chat });
    else if (kind === 'changed_elsewhere' && !chat.archived && before?.archived) this.emit({ kind: 'created', chat });
    else if (before && before.status !== chat.status) this.emit({ kind: 'status_change', chat });
    else if (before && before.title !== chat.title) this.emit({ kind: 'title_change', chat });
    else if (before && before.diff !== diffKey(chat)) this.emit({ kind: 'diff_status_change', chat });
    else this.emit({ kind: 'updated', chat });
    // A chat another process runs now waits for an action: say which calls.
    if (kind === 'changed_elsewhere' && chat.status === 'requires_action' && before?.status !== 'requires_action') {
      const actions = await dispatch(this.app, 'ListPendingActions', { chat_id: chat.id }).catch(() => []);
      const calls = actions.filter((a) => a.state === 'pending').map((a) => ({ tool_call_id: a.tool_call_id, tool_name: a.tool_name, args: a.args, kind: a.kind }));
      if (calls.length > 0) this.emit({ kind: 'action_required', chat, tool_calls: calls });
    }
  }

  private async actionRequired(chatId: string, calls: ActionToolCall[]): Promise<void> {
    try {
      const chat = await dispatch(this.app, 'GetChat', { chat_id: chatId });
      this.emit({ kind: 'action_required', chat: { ...chat, files: undefined }, tool_calls: calls });
    } catch {
      // The chat is gone or not in this workspace: nothing to tell.
    }
  }
}

/** What a client shows of a diff status: a change of it is a `diff_status_change`, whichever process wrote it. */
function diffKey(chat: Chat): string {
  const d = chat.diff_status;
  return d ? JSON.stringify([d.git_branch, d.base_branch, d.changed_files, d.additions, d.deletions, d.url, d.pull_request_state, d.pull_request_draft, d.pull_request_title, d.pr_error]) : '';
}
