// The one place that decides whether a tool may be offered or run in a chat. Used when a turn's tool
// list is built and again when a call arrives, so a model cannot call what it was not offered.
import type { ChatMode } from '../protocol';

export interface ToolScope {
  mode: ChatMode;
  /** Root chats have no parent; subagents (explore or delegated) are not root. */
  isRoot: boolean;
}

export type ToolKind = 'builtin' | 'mcp' | 'workspace_mcp' | 'dynamic';

/** Built-in tools an explore subagent may use: reading and shell exploration only. */
export const EXPLORE_TOOLS = new Set(['read_file', 'execute', 'process_output', 'read_skill', 'read_skill_file']);

const PLAN_ALWAYS = new Set(['read_file', 'execute', 'process_output', 'read_skill', 'read_skill_file']);
const PLAN_ROOT_ONLY = new Set(['write_file', 'edit_files', 'propose_plan', 'ask_user_question', 'spawn_explore_agent', 'spawn_agent', 'wait_agent', 'list_agents']);
const SUBAGENT_FORBIDDEN = new Set(['spawn_explore_agent', 'spawn_agent', 'wait_agent', 'message_agent', 'list_agents', 'propose_plan', 'ask_user_question']);
/** Tools that only make sense in plan mode. */
const PLAN_ONLY = new Set(['propose_plan']);

export interface Availability { allowed: boolean; reason?: string }

export function toolAvailability(name: string, kind: ToolKind, scope: ToolScope): Availability {
  const no = (reason: string): Availability => ({ allowed: false, reason });
  if (scope.mode === 'explore') {
    if (kind === 'mcp') return { allowed: true };
    if (kind !== 'builtin' || !EXPLORE_TOOLS.has(name)) return no(`"${name}" is not available to explore agents: they only read and investigate.`);
    return { allowed: true };
  }
  if (scope.mode === 'plan') {
    if (kind === 'dynamic' || kind === 'workspace_mcp') return no(`"${name}" is not available in plan mode.`);
    if (kind === 'mcp') return scope.isRoot ? { allowed: true } : no('MCP tools are not available to planning subagents.');
    if (PLAN_ALWAYS.has(name)) return { allowed: true };
    if (PLAN_ROOT_ONLY.has(name)) return scope.isRoot ? { allowed: true } : no(`"${name}" is only available to the planning chat itself.`);
    return no(`"${name}" is not available in plan mode: write the plan first, then implement it after approval.`);
  }
  // default mode
  if (PLAN_ONLY.has(name)) return no(`"${name}" is only available in plan mode.`);
  if (!scope.isRoot && SUBAGENT_FORBIDDEN.has(name)) {
    return no(name.startsWith('spawn') ? 'delegated chats cannot create child subagents' : `"${name}" is not available to subagents.`);
  }
  return { allowed: true };
}

export const isToolAvailable = (name: string, kind: ToolKind, scope: ToolScope): boolean => toolAvailability(name, kind, scope).allowed;
