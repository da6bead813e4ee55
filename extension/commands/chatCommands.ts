// Commands on chats: new, open, stop, pin, rename, archive, read, context.
import * as vscode from 'vscode';
import { AddChatContext, ClearChatContext, CompactChat, MarkChatRead, ResetChatContext, UpdateChat } from '../../server/protocol/methods';
import type { AgentsContext } from '../context';
import { chatIdFrom } from './pickChat';

function report(err: unknown): void {
  void vscode.window.showErrorMessage(`Local Agents: ${(err as Error).message}`);
}

export function registerChatCommands(ctx: AgentsContext): vscode.Disposable[] {
  const update = async (arg: unknown, placeholder: string, params: Record<string, unknown>, filter?: Parameters<typeof chatIdFrom>[3]) => {
    const id = await chatIdFrom(ctx, arg, placeholder, filter);
    if (!id) return;
    try {
      await ctx.request(UpdateChat, { chat_id: id, ...params });
    } catch (err) {
      report(err);
    }
  };
  return [
    vscode.commands.registerCommand('localAgents.newChat', () => ctx.panels.showInSidebar(null)),
    vscode.commands.registerCommand('localAgents.focusChat', () => ctx.panels.showInSidebar(ctx.panels.activeHost?.chatId ?? null)),
    vscode.commands.registerCommand('localAgents.openChat', async (arg?: unknown) => {
      const id = await chatIdFrom(ctx, arg, 'Open which chat?');
      if (id) await ctx.panels.showInSidebar(id);
    }),
    vscode.commands.registerCommand('localAgents.openChatInEditor', async (arg?: unknown) => {
      const id = arg === undefined ? ctx.panels.activeHost?.chatId ?? null : await chatIdFrom(ctx, arg, 'Open which chat in an editor?');
      ctx.panels.openInEditor(id ?? null, id ? ctx.index.get(id)?.title : undefined);
    }),
    vscode.commands.registerCommand('localAgents.stop', async () => {
      try {
        await ctx.panels.activeHost?.stop();
      } catch (err) {
        report(err);
      }
    }),
    vscode.commands.registerCommand('localAgents.pinChat', (arg?: unknown) => update(arg, 'Pin which chat?', { pin_order: 1_000_000 }, (c) => c.pin_order === 0 && !c.archived)),
    vscode.commands.registerCommand('localAgents.unpinChat', (arg?: unknown) => update(arg, 'Unpin which chat?', { pin_order: 0 }, (c) => c.pin_order > 0)),
    vscode.commands.registerCommand('localAgents.archiveChat', (arg?: unknown) => update(arg, 'Archive which chat?', { archived: true }, (c) => !c.archived)),
    vscode.commands.registerCommand('localAgents.unarchiveChat', (arg?: unknown) => update(arg, 'Unarchive which chat?', { archived: false }, (c) => c.archived)),
    vscode.commands.registerCommand('localAgents.renameChat', async (arg?: unknown) => {
      const id = await chatIdFrom(ctx, arg, 'Rename which chat?');
      if (!id) return;
      const title = await vscode.window.showInputBox({ prompt: 'New title', value: ctx.index.get(id)?.title ?? '', validateInput: (v) => (v.trim() ? undefined : 'The title must not be empty.') });
      if (title) await ctx.request(UpdateChat, { chat_id: id, title: title.trim() }).catch(report);
    }),
    vscode.commands.registerCommand('localAgents.markRead', async (arg?: unknown) => {
      const id = await chatIdFrom(ctx, arg, 'Mark which chat read?', (c) => c.has_unread);
      if (id) await ctx.request(MarkChatRead, { chat_id: id }).catch(report);
    }),
    vscode.commands.registerCommand('localAgents.showArchived', () => setShowArchived(ctx, true)),
    vscode.commands.registerCommand('localAgents.toggleApiChats', async () => {
      ctx.index.showApiChats = !ctx.index.showApiChats;
      await ctx.ext.workspaceState.update('localAgents.showApiChats', ctx.index.showApiChats);
      ctx.index.onDidChange.fire();
      void vscode.window.setStatusBarMessage(`Local Agents: API chats ${ctx.index.showApiChats ? 'shown' : 'hidden'} in Chats`, 3000);
    }),
    vscode.commands.registerCommand('localAgents.hideArchived', () => setShowArchived(ctx, false)),
    vscode.commands.registerCommand('localAgents.refresh', async () => {
      await ctx.server.start();
      await ctx.index.reload();
    }),
    vscode.commands.registerCommand('localAgents.addContext', async (arg?: unknown) => {
      const id = await chatIdFrom(ctx, arg, 'Add context to which chat?');
      if (!id) return;
      const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Add instruction files from this folder', defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
      if (!folder?.[0]) return;
      try {
        const meta = await ctx.request(AddChatContext, { chat_id: id, dir: folder[0].fsPath });
        void vscode.window.showInformationMessage(`Local Agents: the chat now has ${meta.files.length} context file(s) and ${meta.skills.length} skill(s).`);
      } catch (err) {
        report(err);
      }
    }),
    vscode.commands.registerCommand('localAgents.clearContext', async (arg?: unknown) => {
      const id = await chatIdFrom(ctx, arg, 'Clear the context files of which chat?');
      if (id) await ctx.request(ClearChatContext, { chat_id: id }).catch(report);
    }),
    vscode.commands.registerCommand('localAgents.compactChat', async (arg?: unknown) => {
      const id = await chatIdFrom(ctx, arg, 'Compact which chat?');
      if (!id) return;
      const focus = await vscode.window.showInputBox({ title: 'Compact Chat', prompt: 'Optional: what the summary must keep (e.g. "the API design")', ignoreFocusOut: true });
      if (focus === undefined) return;
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Local Agents: compacting the chat…' },
        () => ctx.request(CompactChat, { chat_id: id, focus: focus.trim() || undefined })).then(undefined, report);
    }),
    vscode.commands.registerCommand('localAgents.resetChatContext', async (arg?: unknown) => {
      const id = await chatIdFrom(ctx, arg, 'Reset the model context of which chat?');
      if (id) await ctx.request(ResetChatContext, { chat_id: id }).catch(report);
    }),
  ];
}

async function setShowArchived(ctx: AgentsContext, show: boolean): Promise<void> {
  ctx.index.showArchived = show;
  await vscode.commands.executeCommand('setContext', 'localAgents.showArchived', show);
  await ctx.server.start();
  await ctx.index.reload();
}
