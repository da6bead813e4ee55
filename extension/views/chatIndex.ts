// The extension's live copy of the chat list, loaded from the server and kept current by its watch
// events (no polling). The three trees render from it.
import * as vscode from 'vscode';
import { ListChats } from '../../server/protocol/methods';
import type { Chat, ChatWatchKind } from '../../server/protocol';
import { currentWorkspace } from '../config';
import type { AgentsContext } from '../context';

const PAGE = 200;

export class ChatIndex {
  private roots = new Map<string, Chat>();
  private children = new Map<string, Map<string, Chat>>();
  private loaded = false;
  showArchived = false;
  /** The Chats tree lists chats made through the API too (toggled by localAgents.toggleApiChats). */
  showApiChats = true;
  readonly onDidChange = new vscode.EventEmitter<void>();

  constructor(private readonly ctx: AgentsContext) {}

  get isLoaded(): boolean {
    return this.loaded;
  }

  rootChats(): Chat[] {
    return [...this.roots.values()];
  }

  get(id: string): Chat | undefined {
    if (this.roots.has(id)) return this.roots.get(id);
    for (const m of this.children.values()) if (m.has(id)) return m.get(id);
    return undefined;
  }

  async childrenOf(parentId: string): Promise<Chat[]> {
    let m = this.children.get(parentId);
    if (!m) {
      const page = await this.ctx.request(ListChats, { parent_chat_id: parentId, limit: PAGE });
      m = new Map(page.chats.map((c) => [c.id, c]));
      this.children.set(parentId, m);
    }
    return [...m.values()].sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  async reload(): Promise<void> {
    const workspace = currentWorkspace().workspace ?? undefined;
    const next = new Map<string, Chat>();
    for (const archived of this.showArchived ? [false, true] : [false]) {
      let after: string | undefined;
      // Pages until the end: the trees show every chat of the workspace.
      for (;;) {
        const page = await this.ctx.request(ListChats, { workspace, archived, limit: PAGE, after_id: after });
        for (const c of page.chats) next.set(c.id, c);
        if (!page.has_more || page.chats.length === 0) break;
        after = page.chats[page.chats.length - 1].id;
      }
    }
    this.roots = next;
    this.children.clear();
    this.loaded = true;
    this.onDidChange.fire();
  }

  private async refreshRoot(id: string): Promise<void> {
    try {
      this.apply('updated', await this.ctx.chat(id));
    } catch {
      // gone meanwhile: the next reload drops it
    }
  }

  /** A watch event from the server: the chat's new state, or its removal (archived = `deleted`). */
  apply(kind: ChatWatchKind, chat: Chat): void {
    const ws = currentWorkspace().workspace;
    if (chat.workspace !== ws) return;
    if (chat.parent_chat_id) {
      const m = this.children.get(chat.parent_chat_id);
      if (m) m.set(chat.id, chat);
      // A subagent starting or stopping to wait for a decision changes its root's awaiting_decision.
      if (kind === 'status_change' && chat.root_chat_id && this.roots.has(chat.root_chat_id)) void this.refreshRoot(chat.root_chat_id);
    } else if (kind === 'deleted' && !this.showArchived) {
      this.roots.delete(chat.id);
    } else if (!chat.archived || this.showArchived) {
      // Pin changes move other chats too: refresh their pin order from the server.
      const pinChanged = (this.roots.get(chat.id)?.pin_order ?? 0) !== chat.pin_order;
      this.roots.set(chat.id, chat);
      if (pinChanged) {
        void this.reload();
        return;
      }
    } else {
      this.roots.delete(chat.id);
    }
    this.onDidChange.fire();
  }
}
