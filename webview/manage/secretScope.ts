// Where a user secret is enabled: every workspace ('*'), this workspace, other workspaces, chats.
import type { UserSecret } from '../../server/protocol/usage';

export type Scope = 'all' | 'workspace' | 'chats';

/** Where a secret is enabled, in words. */
export function whereEnabled(s: Pick<UserSecret, 'workspaces' | 'chat_ids'>, workspace: string | null): string {
  const parts: string[] = [];
  if (s.workspaces.includes('*')) parts.push('all workspaces');
  else {
    if (workspace && s.workspaces.includes(workspace)) parts.push('this workspace');
    const others = s.workspaces.filter((w) => w !== workspace).length;
    if (others) parts.push(`${others} other workspace${others > 1 ? 's' : ''}`);
  }
  if (s.chat_ids.length) parts.push(`${s.chat_ids.length} chat${s.chat_ids.length > 1 ? 's' : ''}`);
  return parts.join(', ') || 'nowhere yet';
}

/** The workspaces list a scope makes, keeping other workspaces a secret was enabled for. */
export function workspacesOf(scope: Scope, current: string[], workspace: string | null): string[] {
  const others = current.filter((w) => w !== '*' && w !== workspace);
  if (scope === 'all') return ['*'];
  if (scope === 'workspace' && workspace) return [...others, workspace];
  return others;
}

export const scopeOf = (s: UserSecret, workspace: string | null): Scope => (s.workspaces.includes('*') ? 'all' : workspace && s.workspaces.includes(workspace) ? 'workspace' : 'chats');
