import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isToolExposed, setToolAllowed } from './toolLists';

const known = ['echo', 'add', 'sleep'];
const exposed = (lists: { tool_allow_list: string[]; tool_deny_list: string[] }) => known.filter((t) => isToolExposed(t, lists));

test('deny and allow with no allow list edit the deny list', () => {
  const denied = setToolAllowed('add', false, { tool_allow_list: [], tool_deny_list: [] }, known);
  assert.deepEqual(denied, { tool_allow_list: [], tool_deny_list: ['add'] });
  assert.deepEqual(exposed(denied), ['echo', 'sleep']);
  assert.deepEqual(setToolAllowed('add', false, denied, known), denied, 'denying twice changes nothing');
  assert.deepEqual(setToolAllowed('add', true, denied, known), { tool_allow_list: [], tool_deny_list: [] });
});

test('with an allow list, allow adds to it and deny removes from it', () => {
  const lists = { tool_allow_list: ['echo'], tool_deny_list: ['x'] };
  const more = setToolAllowed('add', true, lists, known);
  assert.deepEqual(exposed(more), ['echo', 'add']);
  const less = setToolAllowed('add', false, more, known);
  assert.deepEqual(exposed(less), ['echo']);
});

test('denying the last allowed tool switches to a deny list of every known tool', () => {
  const lists = setToolAllowed('echo', false, { tool_allow_list: ['echo'], tool_deny_list: ['old'] }, known);
  assert.deepEqual(lists.tool_allow_list, []);
  assert.deepEqual(exposed(lists), []);
  assert.ok(lists.tool_deny_list.includes('old'), 'unknown denied tools stay denied');
});
