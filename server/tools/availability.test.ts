import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isToolAvailable, type ToolKind } from './availability';
import type { ChatMode } from '../protocol';

test('tool availability table', () => {
  type Row = [name: string, kind: ToolKind, mode: ChatMode, isRoot: boolean, allowed: boolean];
  const rows: Row[] = [
    ['read_file', 'builtin', 'default', true, true],
    ['write_file', 'builtin', 'default', true, true],
    ['execute', 'builtin', 'default', false, true],
    ['propose_plan', 'builtin', 'default', true, false],
    ['ask_user_question', 'builtin', 'default', true, true],
    ['spawn_agent', 'builtin', 'default', true, true],
    ['spawn_agent', 'builtin', 'default', false, false],
    ['spawn_explore_agent', 'builtin', 'default', false, false],
    ['wait_agent', 'builtin', 'default', false, false],
    ['some_dynamic', 'dynamic', 'default', true, true],
    ['ws__tool', 'workspace_mcp', 'default', true, true],
    // plan mode
    ['read_file', 'builtin', 'plan', true, true],
    ['execute', 'builtin', 'plan', true, true],
    ['process_output', 'builtin', 'plan', false, true],
    ['write_file', 'builtin', 'plan', true, true],
    ['edit_files', 'builtin', 'plan', true, true],
    ['write_file', 'builtin', 'plan', false, false],
    ['propose_plan', 'builtin', 'plan', true, true],
    ['ask_user_question', 'builtin', 'plan', true, true],
    ['spawn_explore_agent', 'builtin', 'plan', true, true],
    ['message_agent', 'builtin', 'plan', true, false],
    ['some_dynamic', 'dynamic', 'plan', true, false],
    ['srv__tool', 'mcp', 'plan', true, true],
    ['srv__tool', 'mcp', 'plan', false, false],
    ['ws__tool', 'workspace_mcp', 'plan', true, false],
    ['unknown_impl_tool', 'builtin', 'plan', true, false],
    // explore
    ['read_file', 'builtin', 'explore', false, true],
    ['execute', 'builtin', 'explore', false, true],
    ['read_skill_file', 'builtin', 'explore', false, true],
    ['write_file', 'builtin', 'explore', false, false],
    ['edit_files', 'builtin', 'explore', false, false],
    ['spawn_explore_agent', 'builtin', 'explore', false, false],
    ['some_dynamic', 'dynamic', 'explore', false, false],
    ['ws__tool', 'workspace_mcp', 'explore', false, false],
  ];
  for (const [name, kind, mode, isRoot, allowed] of rows) {
    assert.equal(isToolAvailable(name, kind, { mode, isRoot }), allowed, `${name} (${kind}) in ${mode}, root=${isRoot}`);
  }
});
