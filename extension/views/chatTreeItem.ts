// How a chat looks in every tree: title, status icon, context flags for menus, click to open.
import * as vscode from 'vscode';
import type { Chat } from '../../server/protocol';
import { pullRequestIcon, statusIcon } from './chatGrouping';

export class ChatTreeItem extends vscode.TreeItem {
  constructor(readonly chat: Chat, expandable: boolean) {
    super(chat.title || 'New Chat', expandable && chat.child_count > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    this.id = chat.id;
    const icon = statusIcon(chat);
    this.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    // A chat a script or bot made through the API says so; one waiting for its client's tool result is not waiting for you.
    const waits = chat.awaiting_decision ? (chat.client_type === 'api' ? 'waits' : 'waits for you') : chat.status === 'waiting' ? '' : chat.status;
    this.description = [chat.client_type === 'api' ? 'API' : '', waits, chat.has_unread ? '●' : '', chat.archived ? 'archived' : ''].filter(Boolean).join(' ');
    const md = new vscode.MarkdownString(`**${escapeMd(chat.title)}**\n\n${chat.client_type === 'api' ? 'Made through the API\n\n' : ''}Status: ${chat.status}${chat.last_error ? `\n\nError: ${escapeMd(chat.last_error.message)}` : ''}${diffLines(chat)}\n\nUpdated ${new Date(chat.updated_at).toLocaleString()}`);
    this.tooltip = md;
    // Space-separated flags; menus match them with `viewItem =~ /\bflag\b/`.
    const flags = ['chat'];
    if (chat.parent_chat_id) flags.push('child');
    else flags.push(chat.pin_order > 0 ? 'pinned' : 'unpinned');
    flags.push(chat.archived ? 'archived' : 'active');
    if (chat.has_unread) flags.push('unread');
    if (chat.client_type === 'api') flags.push('api');
    if (chat.diff_status?.url) flags.push('pr');
    if (chat.status === 'running' || chat.status === 'pending') flags.push('busy');
    this.contextValue = flags.join(' ');
    this.command = { command: 'localAgents.openChat', title: 'Open Chat', arguments: [chat.id] };
  }
}

/** Branch, changes and pull request for the tooltip. */
function diffLines(chat: Chat): string {
  const d = chat.diff_status;
  if (!d) return '';
  const lines: string[] = [];
  if (d.git_branch) lines.push(`Branch: \`${d.git_branch}\`${d.base_branch ? ` → \`${d.base_branch}\`` : ''}`);
  lines.push(`${d.changed_files} changed file${d.changed_files === 1 ? '' : 's'} (+${d.additions} −${d.deletions})`);
  const pr = pullRequestIcon(chat);
  if (pr && d.url && d.pr_number !== null) lines.push(`${pr.label} [#${d.pr_number} ${escapeMd(d.pull_request_title ?? '')}](${d.url})`);
  else if (d.pr_error) lines.push(`Pull request: ${escapeMd(d.pr_error)}`);
  return `\n\n${lines.join('\n\n')}`;
}

const escapeMd = (s: string): string => s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');

export class GroupTreeItem extends vscode.TreeItem {
  constructor(readonly group: string, readonly chats: Chat[]) {
    super(group, vscode.TreeItemCollapsibleState.Expanded);
    this.id = `group:${group}`;
    this.contextValue = 'group';
  }
}
