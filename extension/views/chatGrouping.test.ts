import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Chat } from '../../server/protocol';
import { dropPinOrder, groupChats, pinnedChats, statusIcon } from './chatGrouping';

const chat = (id: string, updated: string, extra: Partial<Chat> = {}): Chat => ({
  id, title: id, status: 'waiting', workspace: '/w', workspace_folder: '/w', parent_chat_id: null, parent_tool_call_id: null, root_chat_id: null, mode: 'default', permission_mode: null,
  client_type: 'ui', labels: {}, pin_order: 0, archived: false, last_model_config_id: null, last_read_message_id: null, mcp_server_ids: [],
  last_error: null, has_unread: false, awaiting_decision: false, child_count: 0, plan_mode: '', dynamic_tools: [], diff_status: null, created_at: updated, updated_at: updated, ...extra,
});

test('chats group by local date, newest first, children excluded', () => {
  const now = new Date(2026, 10, 24, 15, 0, 0);
  const at = (d: number, h = 12) => new Date(2026, 10, d, h).toISOString();
  const groups = groupChats([
    chat('a', at(24, 9)), chat('b', at(24, 14)), chat('c', at(23)), chat('d', at(20)), chat('e', at(1)),
    chat('child', at(24), { parent_chat_id: 'a' }),
  ], now);
  assert.deepEqual(groups.map((g) => [g.group, g.chats.map((c) => c.id)]), [
    ['Today', ['b', 'a']], ['Yesterday', ['c']], ['Last 7 days', ['d']], ['Older', ['e']],
  ]);
});

test('pinned order, drop position and status icons', () => {
  const p = [chat('x', '2026-01-01T00:00:00Z', { pin_order: 2 }), chat('y', '2026-01-01T00:00:00Z', { pin_order: 1 }), chat('z', '2026-01-01T00:00:00Z')];
  assert.deepEqual(pinnedChats(p).map((c) => c.id), ['y', 'x']);
  assert.equal(dropPinOrder(pinnedChats(p), p[1]), 1);
  assert.equal(dropPinOrder(pinnedChats(p), undefined), 3);
  assert.equal(statusIcon(chat('r', '2026-01-01T00:00:00Z', { status: 'running' })).id, 'loading~spin');
  assert.equal(statusIcon(chat('e', '2026-01-01T00:00:00Z', { status: 'error' })).id, 'error');
  assert.equal(statusIcon(chat('u', '2026-01-01T00:00:00Z', { has_unread: true })).id, 'circle-filled');
});

test('a chat at rest with a pull request shows its state; busy, failed and asking chats keep their activity icon', () => {
  const diff = (state: 'open' | 'closed' | 'merged' | null, draft = false): Chat['diff_status'] => ({
    git_branch: 'feature', git_remote_origin: 'https://github.com/o/r.git', base_branch: 'main', head_branch: state ? 'feature' : null,
    changed_files: 1, additions: 2, deletions: 0, url: state ? 'https://github.com/o/r/pull/7' : null, pr_number: state ? 7 : null,
    pull_request_state: state, pull_request_title: state ? 'Add a thing' : null, pull_request_draft: state ? draft : null, author_login: null,
    pr_error: null, refreshed_at: '2026-12-01T00:00:00.000Z', pr_refreshed_at: null, stale_at: null,
  });
  const at = '2026-12-01T00:00:00.000Z';
  assert.deepEqual(statusIcon(chat('a', at, { diff_status: diff('open') })), { id: 'git-pull-request', color: 'charts.green', label: 'Open pull request' });
  assert.equal(statusIcon(chat('a', at, { diff_status: diff('open', true) })).id, 'git-pull-request-draft');
  assert.equal(statusIcon(chat('a', at, { status: 'completed', diff_status: diff('merged') })).color, 'charts.purple');
  assert.equal(statusIcon(chat('a', at, { diff_status: diff('closed') })).id, 'git-pull-request-closed');
  // No pull request on the branch: the usual icon.
  assert.equal(statusIcon(chat('a', at, { diff_status: diff(null) })).id, 'comment-discussion');
  assert.equal(statusIcon(chat('a', at, { status: 'running', diff_status: diff('open') })).id, 'loading~spin');
  assert.equal(statusIcon(chat('a', at, { status: 'pending', diff_status: diff('merged') })).id, 'loading~spin');
  assert.equal(statusIcon(chat('a', at, { status: 'error', diff_status: diff('open') })).id, 'error');
  assert.equal(statusIcon(chat('a', at, { awaiting_decision: true, diff_status: diff('open') })).id, 'bell-dot');
});
