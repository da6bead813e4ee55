// "Search Chats…": a quick pick with live full-text results (titles, labels, messages, tool calls and
// output); picking one opens the chat at the matching message.
import * as vscode from 'vscode';
import { SearchChats } from '../../server/protocol/methods';
import type { AgentsContext } from '../context';

interface HitItem extends vscode.QuickPickItem { chatId: string; messageId: number | null }

const DEBOUNCE_MS = 150;

export function registerSearchCommand(ctx: AgentsContext): vscode.Disposable {
  return vscode.commands.registerCommand('localAgents.searchChats', () => {
    const pick = vscode.window.createQuickPick<HitItem>();
    pick.placeholder = 'Search chats: words in titles, labels, messages, commands and tool output';
    // The server ranks; VS Code must not filter its results again by the typed text.
    pick.matchOnDescription = false;
    pick.matchOnDetail = false;
    let timer: NodeJS.Timeout | undefined;
    let seq = 0;
    const run = (q: string) => {
      const mine = ++seq;
      if (!q.trim()) {
        pick.items = [];
        pick.busy = false;
        return;
      }
      pick.busy = true;
      ctx.request(SearchChats, { q, limit: 30 }).then((r) => {
        if (mine !== seq) return;
        pick.items = r.results.map((h) => ({
          // alwaysShow: the typed words need not appear in the label for the item to stay.
          alwaysShow: true,
          label: h.chat.title || 'New Chat',
          description: `${h.kind === 'title' ? 'title' : 'message'} · ${new Date(h.chat.updated_at).toLocaleDateString()}${h.chat.archived ? ' · archived' : ''}`,
          detail: h.snippet.replace(/[«»]/g, '').replace(/\s+/g, ' '),
          chatId: h.chat.id,
          messageId: h.message_id,
        }));
        if (r.results.length === 0) pick.items = [{ label: 'No chat matches', alwaysShow: true, chatId: '', messageId: null }];
        pick.busy = false;
      }, (err: Error) => {
        if (mine !== seq) return;
        pick.busy = false;
        pick.items = [{ label: `Search failed: ${err.message}`, alwaysShow: true, chatId: '', messageId: null }];
      });
    };
    pick.onDidChangeValue((q) => {
      clearTimeout(timer);
      timer = setTimeout(() => run(q), DEBOUNCE_MS);
    });
    pick.onDidAccept(() => {
      const item = pick.selectedItems[0];
      if (!item?.chatId) return;
      pick.hide();
      void ctx.panels.showInSidebar(item.chatId, item.messageId ?? undefined);
    });
    pick.onDidHide(() => { clearTimeout(timer); pick.dispose(); });
    pick.show();
  });
}
