// "Pinned": pinned root chats in the server's pin order; drag and drop reorders them.
import * as vscode from 'vscode';
import { UpdateChat } from '../../server/protocol/methods';
import type { Chat } from '../../server/protocol';
import type { AgentsContext } from '../context';
import { dropPinOrder, pinnedChats } from './chatGrouping';
import { ChatTreeItem } from './chatTreeItem';

const MIME = 'application/vnd.code.tree.localagents.pinned';

export class PinnedTreeProvider implements vscode.TreeDataProvider<Chat>, vscode.TreeDragAndDropController<Chat> {
  readonly dragMimeTypes = [MIME];
  readonly dropMimeTypes = [MIME];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly ctx: AgentsContext) {
    ctx.index.onDidChange.event(() => this.changed.fire());
  }

  getTreeItem(chat: Chat): vscode.TreeItem {
    return new ChatTreeItem(chat, false);
  }

  getChildren(element?: Chat): Chat[] {
    return element ? [] : pinnedChats(this.ctx.index.rootChats());
  }

  handleDrag(source: readonly Chat[], data: vscode.DataTransfer): void {
    data.set(MIME, new vscode.DataTransferItem(source.map((c) => c.id)));
  }

  async handleDrop(target: Chat | undefined, data: vscode.DataTransfer): Promise<void> {
    const ids = (await data.get(MIME)?.value) as string[] | undefined;
    if (!ids?.length) return;
    const order = dropPinOrder(pinnedChats(this.ctx.index.rootChats()), target);
    try {
      // The server clamps and shifts neighbours; the watch events refresh the tree.
      await this.ctx.request(UpdateChat, { chat_id: ids[0], pin_order: order });
    } catch (err) {
      void vscode.window.showErrorMessage(`Could not reorder: ${(err as Error).message}`);
    }
  }
}
