// Approvals on the VS Code side: "Always allow" rules land in the user's settings, a chat that waits for a
// decision while no view shows it raises a notification with the same answers as the panel, and commands
// to set a chat's permission mode, see the rules, and jump to what waits. The server decides; this asks.
import * as vscode from 'vscode';
import type { Chat, PendingAction } from '../server/protocol';
import { DecideToolCall, ListPendingActions, PermissionRulesAddedNotification, UpdateChat } from '../server/protocol/methods';
import { addUserAllowRules } from './config';
import type { AgentsContext } from './context';
import { chatIdFrom } from './commands/pickChat';

const MODES: Array<{ id: Chat['permission_mode']; label: string; detail: string }> = [
  { id: null, label: 'Follow the setting', detail: 'localAgents.permissions.defaultMode' },
  { id: 'default', label: 'Ask before edits and commands', detail: 'Reads run; edits, commands and MCP tools ask unless a rule allows them.' },
  { id: 'acceptEdits', label: 'Accept edits', detail: 'File edits inside the workspace run too; commands still ask.' },
  { id: 'bypass', label: 'Bypass approvals', detail: 'Everything runs except what a deny rule refuses.' },
];

/** One line for a notification: what the call would do. */
function summary(a: PendingAction): string {
  const subjects = a.needs.map((n) => n.subject).join('; ');
  return `${a.tool_name}${subjects ? `: ${subjects.length > 160 ? `${subjects.slice(0, 160)}…` : subjects}` : ''}`;
}

export function registerPermissions(ctx: AgentsContext): vscode.Disposable[] {
  ctx.server.onServerNotification(PermissionRulesAddedNotification, (p) => {
    void addUserAllowRules(p.rules).then(
      () => ctx.log.appendLine(`always allowed: ${p.rules.join(', ')} (localAgents.permissions.allow)`),
      (err: Error) => void vscode.window.showErrorMessage(`Local Agents: the rule could not be saved to your settings: ${err.message}`),
    );
  });

  const notified = new Set<number>();
  const decide = async (a: PendingAction, decision: 'allow_once' | 'allow_always' | 'deny'): Promise<void> => {
    try {
      await ctx.request(DecideToolCall, { chat_id: a.chat_id, tool_call_id: a.tool_call_id, decision });
    } catch (err) {
      void vscode.window.showErrorMessage(`Local Agents: ${(err as Error).message}`);
    }
  };
  const notify = async (chat: Chat) => {
    const root = chat.root_chat_id ?? chat.id;
    if (ctx.panels.visibleChatIds().some((id) => id === chat.id || id === root)) return; // the panel shows the card
    const actions = await ctx.request(ListPendingActions, { chat_id: chat.id }).catch(() => []);
    for (const a of actions) {
      if (notified.has(a.id)) continue;
      notified.add(a.id);
      const pick = await vscode.window.showWarningMessage(`Local Agents: "${chat.title}" waits for your approval: ${summary(a)}`, 'Allow once', 'Always allow', 'Deny', 'Open Chat');
      if (pick === 'Allow once') await decide(a, 'allow_once');
      else if (pick === 'Always allow') await decide(a, 'allow_always');
      else if (pick === 'Deny') await decide(a, 'deny');
      else if (pick === 'Open Chat') await ctx.panels.showInSidebar(root);
    }
  };

  return [
    ctx.server.onWatch.event((e) => {
      if (e.chat.status === 'requires_action' && (e.kind === 'status_change' || e.kind === 'changed_elsewhere')) void notify(e.chat);
    }),
    vscode.commands.registerCommand('localAgents.setPermissionMode', async (arg?: unknown) => {
      const id = arg === undefined ? ctx.panels.activeHost?.chatId ?? (await chatIdFrom(ctx, undefined, 'Set the permission mode of which chat?')) : await chatIdFrom(ctx, arg, 'Set the permission mode of which chat?');
      if (!id) return;
      const current = ctx.index.get(id)?.permission_mode ?? null;
      const pick = await vscode.window.showQuickPick(MODES.map((m) => ({ ...m, description: m.id === current ? 'current' : undefined })), { title: 'What may the agent do without asking?' });
      if (!pick) return;
      await ctx.request(UpdateChat, { chat_id: id, permission_mode: pick.id }).catch((err: Error) => vscode.window.showErrorMessage(`Local Agents: ${err.message}`));
    }),
    vscode.commands.registerCommand('localAgents.showPermissionRules', () => vscode.commands.executeCommand('workbench.action.openSettings', 'localAgents.permissions')),
    vscode.commands.registerCommand('localAgents.reviewApprovals', async () => {
      const waiting = ctx.index.rootChats().filter((c) => c.status === 'requires_action');
      if (waiting.length === 0) {
        void vscode.window.showInformationMessage('Local Agents: no chat waits for a decision.');
        return;
      }
      const pick = waiting.length === 1 ? waiting[0] : (await vscode.window.showQuickPick(waiting.map((c) => ({ label: c.title, chat: c })), { title: 'Chats waiting for your decision' }))?.chat;
      if (pick) await ctx.panels.showInSidebar(pick.id);
    }),
  ];
}
