// The management panel's commands (each opens it on its tab) and Enable Secrets for This Chat.
import * as vscode from 'vscode';
import { ListUserSecrets, SetChatSecrets } from '../../server/protocol/methods';
import type { ManageTab } from '../../server/protocol/webview';
import { currentWorkspace } from '../config';
import type { AgentsContext } from '../context';
import { chatIdFrom } from './pickChat';

const TAB_COMMANDS: Record<string, ManageTab> = {
  'localAgents.manageProviders': 'providers',
  'localAgents.showUsage': 'usage',
  'localAgents.showRequestLog': 'requests',
  'localAgents.manageSecrets': 'secrets',
  'localAgents.showSecretsAudit': 'audit',
};

/** Where a secret is enabled, in words (the quick pick's description). */
function whereEnabled(workspaces: string[], workspace: string | null): string {
  if (workspaces.includes('*')) return 'all workspaces';
  if (workspace && workspaces.includes(workspace)) return 'this workspace';
  return workspaces.length ? `${workspaces.length} other workspace${workspaces.length > 1 ? 's' : ''}` : 'chosen chats only';
}

async function enableSecretsForChat(ctx: AgentsContext, arg: unknown): Promise<void> {
  const chatId = await chatIdFrom(ctx, arg, 'Enable secrets for which chat?');
  if (!chatId) return;
  const secrets = await ctx.request(ListUserSecrets, {});
  if (secrets.length === 0) {
    const add = await vscode.window.showInformationMessage('Local Agents: no secrets yet.', 'Add a Secret');
    if (add) await vscode.commands.executeCommand('localAgents.manageSecrets');
    return;
  }
  const workspace = currentWorkspace().workspace;
  const picks = await vscode.window.showQuickPick(
    secrets.map((s) => ({
      label: s.name, description: [s.env_var && `$${s.env_var}`, s.file_path].filter(Boolean).join(' · '),
      detail: `Also enabled: ${whereEnabled(s.workspaces, workspace)}`, picked: s.chat_ids.includes(chatId), id: s.id,
    })),
    { canPickMany: true, title: 'Local Agents: secrets this chat\'s commands get', placeHolder: 'Checked secrets are given to this chat besides its workspace\'s', ignoreFocusOut: true },
  );
  if (!picks) return;
  const enabled = await ctx.request(SetChatSecrets, { chat_id: chatId, secret_ids: picks.map((p) => p.id) });
  ctx.manage.post({ type: 'secretsChanged' });
  void vscode.window.showInformationMessage(`Local Agents: ${picks.length ? `${enabled.filter((s) => s.chat_ids.includes(chatId)).map((s) => s.name).join(', ')} enabled for this chat` : 'no secret enabled for this chat besides its workspace\'s'}.`);
}

export function registerManageCommands(ctx: AgentsContext): vscode.Disposable[] {
  return [
    ...Object.entries(TAB_COMMANDS).map(([command, tab]) => vscode.commands.registerCommand(command, () => ctx.manage.show(tab))),
    vscode.commands.registerCommand('localAgents.enableSecretsForChat', (arg: unknown) => enableSecretsForChat(ctx, arg)),
  ];
}
