// Commands on a chat's branch and pull request: open the pull request, look it up again now.
import * as vscode from 'vscode';
import { RefreshChatDiff } from '../../server/protocol/methods';
import type { AgentsContext } from '../context';
import { chatIdFrom } from './pickChat';

export function registerGitCommands(ctx: AgentsContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('localAgents.openPullRequest', async (arg?: unknown) => {
      const id = arg === undefined && ctx.panels.activeHost?.chatId ? ctx.panels.activeHost.chatId
        : await chatIdFrom(ctx, arg, 'Open the pull request of which chat?', (c) => !!c.diff_status?.url);
      if (!id) return;
      const url = (ctx.index.get(id) ?? await ctx.chat(id)).diff_status?.url;
      if (!url) {
        void vscode.window.showInformationMessage('Local Agents: this chat\'s branch has no pull request on GitHub (yet).');
        return;
      }
      await vscode.env.openExternal(vscode.Uri.parse(url));
    }),
    vscode.commands.registerCommand('localAgents.refreshDiffStatus', async (arg?: unknown) => {
      const id = arg === undefined && ctx.panels.activeHost?.chatId ? ctx.panels.activeHost.chatId
        : await chatIdFrom(ctx, arg, 'Refresh the branch and pull request of which chat?');
      if (!id) return;
      try {
        const diff = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Local Agents: reading git and GitHub…' },
          () => ctx.request(RefreshChatDiff, { chat_id: id }));
        const d = diff.diff_status;
        const summary = !d ? 'not a git checkout'
          : `${d.git_branch ?? 'detached HEAD'}: ${d.changed_files} changed file(s) (+${d.additions} −${d.deletions})`
            + (d.pr_number !== null ? `, pull request #${d.pr_number} ${d.pull_request_draft ? 'draft' : d.pull_request_state}` : d.pr_error ? `; ${d.pr_error}` : ', no pull request');
        void vscode.window.setStatusBarMessage(`Local Agents: ${summary}`, 5000);
      } catch (err) {
        void vscode.window.showErrorMessage(`Local Agents: ${(err as Error).message}`);
      }
    }),
  ];
}
