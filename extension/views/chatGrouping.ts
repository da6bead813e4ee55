// Pure rules of the tree views: date groups, pinned order, status icons. No vscode import, so it is unit-tested.
import type { Chat } from '../../server/protocol';

export type DateGroup = 'Today' | 'Yesterday' | 'Last 7 days' | 'Older';
export const DATE_GROUPS: DateGroup[] = ['Today', 'Yesterday', 'Last 7 days', 'Older'];

export function dateGroup(updatedAt: string, now: Date): DateGroup {
  const startOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  const t = Date.parse(updatedAt);
  if (t >= startOfToday) return 'Today';
  if (t >= startOfToday - 86_400_000) return 'Yesterday';
  if (t >= startOfToday - 7 * 86_400_000) return 'Last 7 days';
  return 'Older';
}

/** Unpinned root chats grouped by date, newest first inside each group; empty groups left out. */
export function groupChats(chats: Chat[], now: Date): Array<{ group: DateGroup; chats: Chat[] }> {
  const by = new Map<DateGroup, Chat[]>();
  for (const c of chats) {
    if (c.parent_chat_id) continue;
    const g = dateGroup(c.updated_at, now);
    by.set(g, [...(by.get(g) ?? []), c]);
  }
  return DATE_GROUPS.filter((g) => by.has(g)).map((g) => ({
    group: g,
    chats: by.get(g)!.sort((a, b) => b.updated_at.localeCompare(a.updated_at) || b.id.localeCompare(a.id)),
  }));
}

export function pinnedChats(chats: Chat[]): Chat[] {
  return chats.filter((c) => c.pin_order > 0 && !c.archived && !c.parent_chat_id).sort((a, b) => a.pin_order - b.pin_order);
}

/** Codicon id and colour theme key for a chat's status. */
/** The pull request's icon (the seed's: open, draft, merged, closed) in theme colours, or undefined without one. */
export function pullRequestIcon(c: Chat): { id: string; color: string; label: string } | undefined {
  const d = c.diff_status;
  switch (d?.pull_request_state) {
    case 'open': return d.pull_request_draft
      ? { id: 'git-pull-request-draft', color: 'descriptionForeground', label: 'Draft pull request' }
      : { id: 'git-pull-request', color: 'charts.green', label: 'Open pull request' };
    case 'merged': return { id: 'git-merge', color: 'charts.purple', label: 'Merged pull request' };
    case 'closed': return { id: 'git-pull-request-closed', color: 'charts.red', label: 'Closed pull request' };
    default: return undefined;
  }
}

export function statusIcon(c: Chat): { id: string; color?: string } {
  // Waiting for the user comes first: a running parent whose subagent asks shows the bell too.
  if (c.awaiting_decision) return { id: 'bell-dot', color: 'notificationsWarningIcon.foreground' };
  // A chat at rest with a pull request shows its state; running, pending and failed chats keep their activity icon.
  const pr = c.status === 'waiting' || c.status === 'completed' ? pullRequestIcon(c) : undefined;
  if (pr) return pr;
  switch (c.status) {
    case 'running':
    case 'pending': return { id: 'loading~spin' };
    case 'error': return { id: 'error', color: 'errorForeground' };
    case 'requires_action': return { id: 'bell-dot', color: 'notificationsWarningIcon.foreground' };
    default: return c.has_unread ? { id: 'circle-filled', color: 'notificationsInfoIcon.foreground' } : { id: 'comment-discussion' };
  }
}

/** The pin_order a dragged chat gets when dropped on `target` (or at the end when dropped on the view). */
export function dropPinOrder(pinned: Chat[], target: Chat | undefined): number {
  if (!target || target.pin_order <= 0) return pinned.length + 1;
  return target.pin_order;
}
