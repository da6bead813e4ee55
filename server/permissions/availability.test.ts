import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatMode } from '../protocol';
import { mcpServerAvailability, toolAvailability, type McpServerGate, type ToolKind } from './availability';

const server = (o: Partial<McpServerGate> = {}): McpServerGate => ({ enabled: true, allow_in_plan_mode: false, workspace_local: false, ...o });
const ws = server({ workspace_local: true });

test('the mode table: built-in, client and MCP tools by mode and place in the chat tree', () => {
  type Row = [name: string, kind: ToolKind, mode: ChatMode, isRoot: boolean, allowed: boolean, srv?: McpServerGate, rootMode?: ChatMode];
  const rows: Row[] = [
    ['read_file', 'builtin', 'default', true, true],
    ['write_file', 'builtin', 'default', true, true],
    ['execute', 'builtin', 'default', false, true],
    ['propose_plan', 'builtin', 'default', true, false],
    ['ask_user_question', 'builtin', 'default', true, true],
    ['ask_user_question', 'builtin', 'default', false, false],
    ['spawn_agent', 'builtin', 'default', true, true],
    ['spawn_agent', 'builtin', 'default', false, false],
    ['spawn_explore_agent', 'builtin', 'default', false, false],
    ['spawn_computer_use_agent', 'builtin', 'default', true, true],
    ['spawn_computer_use_agent', 'builtin', 'default', false, false],
    ['spawn_computer_use_agent', 'builtin', 'plan', true, false],
    ['spawn_computer_use_agent', 'builtin', 'explore', false, false],
    ['computer', 'builtin', 'default', true, false],
    ['computer', 'builtin', 'explore', false, false],
    ['computer', 'builtin', 'plan', true, false],
    ['computer', 'builtin', 'computer_use', false, true],
    ['read_file', 'builtin', 'computer_use', false, true],
    ['execute', 'builtin', 'computer_use', false, false],
    ['write_file', 'builtin', 'computer_use', false, false],
    ['spawn_computer_use_agent', 'builtin', 'computer_use', false, false],
    ['read_skill', 'builtin', 'computer_use', false, false],
    ['client_tool', 'dynamic', 'computer_use', false, false],
    ['srv__tool', 'mcp', 'computer_use', false, false, server()],
    ['wait_agent', 'builtin', 'default', false, false],
    ['some_dynamic', 'dynamic', 'default', true, true],
    ['ws__tool', 'mcp', 'default', true, true, ws],
    ['ws__tool', 'mcp', 'default', false, false, ws],
    ['srv__tool', 'mcp', 'default', false, true, server()],
    ['srv__tool', 'mcp', 'default', true, false, server({ enabled: false })],
    ['srv__tool', 'mcp', 'default', true, false, undefined],
    // plan mode
    ['read_file', 'builtin', 'plan', true, true],
    ['execute', 'builtin', 'plan', true, true],
    ['process_output', 'builtin', 'plan', false, true],
    ['write_file', 'builtin', 'plan', true, true],
    ['edit_files', 'builtin', 'plan', true, true],
    ['write_file', 'builtin', 'plan', false, true],
    ['propose_plan', 'builtin', 'plan', true, true],
    ['propose_plan', 'builtin', 'plan', false, false],
    ['ask_user_question', 'builtin', 'plan', true, true],
    ['spawn_explore_agent', 'builtin', 'plan', true, true],
    ['message_agent', 'builtin', 'plan', true, false],
    ['some_dynamic', 'dynamic', 'plan', true, false],
    ['srv__tool', 'mcp', 'plan', true, true, server({ allow_in_plan_mode: true })],
    ['srv__tool', 'mcp', 'plan', true, false, server()],
    ['srv__tool', 'mcp', 'plan', false, false, server({ allow_in_plan_mode: true })],
    ['ws__tool', 'mcp', 'plan', true, false, server({ allow_in_plan_mode: true, workspace_local: true })],
    ['unknown_impl_tool', 'builtin', 'plan', true, false],
    // explore
    ['read_file', 'builtin', 'explore', false, true],
    ['execute', 'builtin', 'explore', false, true],
    ['read_skill_file', 'builtin', 'explore', false, true],
    ['write_file', 'builtin', 'explore', false, false],
    ['edit_files', 'builtin', 'explore', false, false],
    ['spawn_explore_agent', 'builtin', 'explore', false, false],
    ['some_dynamic', 'dynamic', 'explore', false, false],
    ['srv__tool', 'mcp', 'explore', false, true, server()],
    ['ws__tool', 'mcp', 'explore', false, false, ws],
    // SPEC §4: plan-mode MCP is for the planning chat itself, never its explore children.
    ['srv__tool', 'mcp', 'explore', false, false, server({ allow_in_plan_mode: true }), 'plan'],
  ];
  for (const [name, kind, mode, isRoot, allowed, srv, rootMode] of rows) {
    const r = toolAvailability(name, kind, { mode, isRoot, rootMode: rootMode ?? mode }, srv);
    assert.equal(r.allowed, allowed, `${name} (${kind}) in ${mode}, root=${isRoot}, root mode ${rootMode ?? mode}`);
    if (!allowed) assert.ok(r.reason && r.reason.length > 10, 'a refusal says why');
  }
});

test('MCP servers: every refusal has its reason', () => {
  assert.equal(mcpServerAvailability({ mode: 'default', isRoot: true, rootMode: 'default' }, server({ enabled: false })).reason, 'MCP server is not enabled.');
  assert.equal(mcpServerAvailability({ mode: 'plan', isRoot: true, rootMode: 'plan' }, server()).reason, 'This MCP server is not allowed in plan mode.');
  assert.equal(mcpServerAvailability({ mode: 'explore', isRoot: false, rootMode: 'plan' }, server({ allow_in_plan_mode: true })).reason, 'MCP tools are not available to the subagents of a planning chat.');
});
