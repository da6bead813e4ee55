// "Chats": every root chat of the workspace grouped by date; subagent chats under their parent.
import * as vscode from 'vscode';
import type { Chat } from '../../server/protocol';
import type { AgentsContext } from '../context';
import { groupChats } from './chatGrouping';
import { ChatTreeItem, GroupTreeItem } from './chatTreeItem';

type Node = Chat | GroupTreeItem;
const isGroup = (n: Node): n is GroupTreeItem => n instanceof GroupTreeItem;

export class ChatsTreeProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly ctx: AgentsContext) {
    ctx.index.onDidChange.event(() => this.changed.fire());
  }

  getTreeItem(n: Node): vscode.TreeItem {
    return isGroup(n) ? n : new ChatTreeItem(n, true);
  }

  async getChildren(n?: Node): Promise<Node[]> {
    if (!n) {
      if (!this.ctx.index.isLoaded) {
        await this.ctx.server.start();
        await this.ctx.index.reload();
      }
      const shown = this.ctx.index.rootChats().filter((c) => (c.pin_order === 0 || c.archived) && (this.ctx.index.showApiChats || c.client_type !== 'api'));
      return groupChats(shown, new Date()).map((g) => new GroupTreeItem(g.group, g.chats));
    }
    if (isGroup(n)) return n.chats;
    return this.ctx.index.childrenOf(n.id);
  }
}
