// Allow / Deny on one tool of a server, written back as the server's allow and deny lists. The rule
// (server/mcp/toolNames.ts): a non-empty allow list exposes only its tools and the deny list is then
// ignored; otherwise the deny list hides its tools.
import { isToolExposed } from '../../server/mcp/toolNames';

export interface ToolLists { tool_allow_list: string[]; tool_deny_list: string[] }

/**
 * The lists after allowing or denying `tool`, changing no other tool's state. `knownTools` are the tools
 * the server listed at its last test: denying the last allowed tool of an allow list has to switch to a
 * deny list of every known tool, because an empty allow list would expose all of them.
 */
export function setToolAllowed(tool: string, allowed: boolean, lists: ToolLists, knownTools: string[]): ToolLists {
  const allow = lists.tool_allow_list;
  const deny = lists.tool_deny_list;
  if (allow.length > 0) {
    const next = allowed ? (allow.includes(tool) ? allow : [...allow, tool]) : allow.filter((t) => t !== tool);
    if (next.length > 0) return { tool_allow_list: next, tool_deny_list: deny };
    const all = new Set([...knownTools, ...deny, tool]);
    return { tool_allow_list: [], tool_deny_list: [...all] };
  }
  const nextDeny = allowed ? deny.filter((t) => t !== tool) : deny.includes(tool) ? deny : [...deny, tool];
  return { tool_allow_list: [], tool_deny_list: nextDeny };
}

export { isToolExposed };
