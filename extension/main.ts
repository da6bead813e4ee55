// Activation: register views and commands; the server starts lazily on first use.
import * as vscode from 'vscode';
import { registerChatCommands } from './commands/chatCommands';
import { registerManageCommands } from './commands/manageCommands';
import { registerProviderCommands } from './commands/providerCommands';
import { registerApiCommands } from './commands/apiCommands';
import { registerSearchCommand } from './commands/searchChats';
import { AgentsContext } from './context';
import { registerMcp } from './mcp';
import { registerPermissions } from './permissions';
import { registerGitHubSessions } from './githubSession';
import { registerGitCommands } from './commands/gitCommands';
import { ChatPanels, CHAT_VIEW_ID } from './views/chatPanel';
import { ManagePanel } from './views/managePanel';
import { ChatsTreeProvider } from './views/chatsTree';
import { DIFF_SCHEME, diffContentProvider } from './views/diffContent';
import { PinnedTreeProvider } from './views/pinnedTree';
import { UnreadTreeProvider } from './views/unreadTree';

let ctx: AgentsContext | undefined;

export function activate(ext: vscode.ExtensionContext): { ctx: AgentsContext } {
  const started = performance.now();
  ctx = new AgentsContext(ext);
  ctx.panels = new ChatPanels(ctx);
  ctx.manage = new ManagePanel(ctx);
  const pinned = new PinnedTreeProvider(ctx);
  const unread = new UnreadTreeProvider(ctx);
  unread.view = vscode.window.createTreeView('localAgents.unread', { treeDataProvider: unread });
  ext.subscriptions.push(
    ctx,
    ctx.panels,
    ctx.manage,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, ctx.panels, { webviewOptions: { retainContextWhenHidden: true } }),
    vscode.window.createTreeView('localAgents.pinned', { treeDataProvider: pinned, dragAndDropController: pinned }),
    unread.view,
    vscode.window.createTreeView('localAgents.chats', { treeDataProvider: new ChatsTreeProvider(ctx), showCollapseAll: true }),
    vscode.workspace.registerTextDocumentContentProvider(DIFF_SCHEME, diffContentProvider),
    ...registerChatCommands(ctx),
    ...registerProviderCommands(ctx),
    ...registerManageCommands(ctx),
    ...registerApiCommands(ctx),
    registerSearchCommand(ctx),
    ...registerMcp(ctx),
    ...registerPermissions(ctx),
    ...registerGitHubSessions(ctx),
    ...registerGitCommands(ctx),
  );
  void vscode.commands.executeCommand('setContext', 'localAgents.showArchived', false);
  ctx.log.appendLine(`activated in ${(performance.now() - started).toFixed(1)} ms`);
  return { ctx };
}

export async function deactivate(): Promise<void> {
  await ctx?.server.dispose();
}
