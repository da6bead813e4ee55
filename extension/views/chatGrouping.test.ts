import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Chat } from '../../server/protocol';
import { dropPinOrder, groupChats, pinnedChats, statusIcon } from './chatGrouping';

const chat = (id: string, updated: string, extra: Partial<Chat> = {}): Chat => ({
  id, title: id, status: 'waiting', workspace: '/w', workspace_folder: '/w', parent_chat_id: null, parent_tool_call_id: null, root_chat_id: null, mode: 'default', permission_mode: null,
  client_type: 'ui', labels: {}, pin_order: 0, archived: false, last_model_config_id: null, last_read_message_id: null, mcp_server_ids: [],
  last_error: null, has_unread: false, awaiting_decision: false, child_count: 0, plan_mode: '', dynamic_tools: [], created_at: updated, updated_at: updated, ...extra,
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
