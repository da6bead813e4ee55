// The mode table: which tools a chat may be offered at all, by its mode and its place in the chat tree
// (SPEC §4). The first step of the one gate (gate.ts); MCP servers are judged here too, so that plan-mode
// and subagent rules have one home.
import type { ChatMode } from '../protocol';

export interface ToolScope {
  mode: ChatMode;
  /** Root chats have no parent; subagents (explore or delegated) are not root. */
  isRoot: boolean;
  /** The mode of the chat tree's root: plan-mode MCP is for the planning chat itself only. */
  rootMode: ChatMode;
}

export type ToolKind = 'builtin' | 'mcp' | 'dynamic';

export interface McpServerGate { enabled: boolean; allow_in_plan_mode: boolean; workspace_local: boolean }

export interface Availability { allowed: boolean; reason?: string }

/** Built-in tools an explore subagent may use: reading and shell exploration only. */
export const EXPLORE_TOOLS = new Set(['read_file', 'execute', 'process_output', 'read_skill', 'read_skill_file']);
/** The tools of a computer-use subagent: its browser, and reading the code it checks. */
export const COMPUTER_USE_TOOLS = new Set(['computer', 'read_file']);
/** Built-in tools of a planning chat: exploration, plus (root only) the plan file, questions and explore agents. */
const PLAN_TOOLS = new Set([...EXPLORE_TOOLS, 'write_file', 'edit_files']);
const PLAN_ROOT_TOOLS = new Set(['propose_plan', 'ask_user_question', 'spawn_explore_agent', 'spawn_agent', 'wait_agent', 'list_agents']);
/** Tools of the chat that talks to the user; subagents report through their parent instead. */
const ROOT_ONLY_TOOLS = new Set(['spawn_explore_agent', 'spawn_computer_use_agent', 'spawn_agent', 'wait_agent', 'message_agent', 'list_agents', 'propose_plan', 'ask_user_question']);

const yes: Availability = { allowed: true };
const no = (reason: string): Availability => ({ allowed: false, reason });

/** Whether an MCP server's tools may be used in this scope at all. */
export function mcpServerAvailability(scope: ToolScope, server: McpServerGate): Availability {
  if (!server.enabled) return no('MCP server is not enabled.');
  if (scope.mode === 'computer_use') return no('MCP tools are not available to computer-use agents.');
  if (scope.mode === 'plan' || scope.rootMode === 'plan') {
    if (!scope.isRoot) return no('MCP tools are not available to the subagents of a planning chat.');
    if (server.workspace_local) return no('Workspace MCP servers are not available in plan mode.');
    if (!server.allow_in_plan_mode) return no('This MCP server is not allowed in plan mode.');
    return yes;
  }
  if (server.workspace_local && !scope.isRoot) return no('Workspace MCP servers are not forwarded to subagents.');
  return yes;
}

export function toolAvailability(name: string, kind: ToolKind, scope: ToolScope, server?: McpServerGate): Availability {
  if (kind === 'mcp') return server ? mcpServerAvailability(scope, server) : no('This MCP server was removed.');
  if (kind === 'dynamic') {
    if (scope.mode === 'plan' || scope.mode === 'explore' || scope.mode === 'computer_use') return no(`"${name}" is a client tool; client tools are not available in ${scope.mode} mode.`);
    return yes;
  }
  if (scope.mode === 'explore') {
    return EXPLORE_TOOLS.has(name) ? yes : no(`"${name}" is not available to explore agents: they only read and investigate.`);
  }
  if (scope.mode === 'computer_use') {
    return COMPUTER_USE_TOOLS.has(name) ? yes : no(`"${name}" is not available to computer-use agents: they drive the browser (computer) and read files.`);
  }
  if (name === 'computer') return no('"computer" is only available to computer-use agents: start one with spawn_computer_use_agent.');
  if (scope.mode === 'plan') {
    if (PLAN_TOOLS.has(name)) return yes;
    if (PLAN_ROOT_TOOLS.has(name)) return scope.isRoot ? yes : no(`"${name}" is only available to the planning chat itself.`);
    return no(`"${name}" is not available in plan mode: write the plan first, then implement it after approval.`);
  }
  if (name === 'propose_plan') return no('"propose_plan" is only available in plan mode.');
  if (!scope.isRoot && ROOT_ONLY_TOOLS.has(name)) {
    return no(name.startsWith('spawn') ? 'delegated chats cannot create child subagents' : `"${name}" is not available to subagents.`);
  }
  return yes;
}
