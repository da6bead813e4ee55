// "Unread": chats with an answer the user has not opened yet, and chats that wait for a decision (first);
// the count is the view's badge.
import * as vscode from 'vscode';
import type { Chat } from '../../server/protocol';
import type { AgentsContext } from '../context';
import { ChatTreeItem } from './chatTreeItem';

export class UnreadTreeProvider implements vscode.TreeDataProvider<Chat> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  view: vscode.TreeView<Chat> | undefined;

  constructor(private readonly ctx: AgentsContext) {
    ctx.index.onDidChange.event(() => {
      this.changed.fire();
      this.updateBadge();
    });
  }

  private unread(): Chat[] {
    return this.ctx.index.rootChats().filter((c) => (c.has_unread || c.awaiting_decision) && !c.archived)
      .sort((a, b) => Number(b.awaiting_decision) - Number(a.awaiting_decision) || b.updated_at.localeCompare(a.updated_at));
  }

  updateBadge(): void {
    if (!this.view) return;
    const list = this.unread();
    const waiting = list.filter((c) => c.awaiting_decision).length;
    const n = list.length;
    const tooltip = [waiting > 0 ? `${waiting} waiting for your decision` : '', n - waiting > 0 ? `${n - waiting} unread` : ''].filter(Boolean).join(', ');
    this.view.badge = n > 0 ? { value: n, tooltip } : undefined;
  }

  getTreeItem(chat: Chat): vscode.TreeItem {
    return new ChatTreeItem(chat, false);
  }

  getChildren(element?: Chat): Chat[] {
    return element ? [] : this.unread();
  }
}
