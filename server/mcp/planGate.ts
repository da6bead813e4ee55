// Which MCP servers a chat may use, by mode and place in the chat tree. Checked when a turn's tools are
// built and again when a call arrives (the mode may change between the two).
import type { ChatMode } from '../protocol';

export interface McpGateConfig { enabled: boolean; allow_in_plan_mode: boolean; workspace_local: boolean }
export interface McpGateInput { mode: ChatMode; isRootChat: boolean; config: McpGateConfig }
export interface McpGateResult { allowed: boolean; reason?: string }

export function mcpServerAvailability({ mode, isRootChat, config }: McpGateInput): McpGateResult {
  const no = (reason: string): McpGateResult => ({ allowed: false, reason });
  if (!config.enabled) return no('MCP server is not enabled.');
  if (mode === 'plan') {
    if (!isRootChat) return no('MCP tools are not available to planning subagents.');
    if (config.workspace_local) return no('Workspace MCP servers are not available in plan mode.');
    if (!config.allow_in_plan_mode) return no('This MCP server is not allowed in plan mode.');
    return { allowed: true };
  }
  // Explore children and delegated subagents get the configured servers their parent chose at spawn,
  // never the workspace-local ones.
  if (config.workspace_local && (mode === 'explore' || !isRootChat)) return no('Workspace MCP servers are not forwarded to subagents.');
  return { allowed: true };
}

export const isMcpServerAllowed = (input: McpGateInput): boolean => mcpServerAvailability(input).allowed;
