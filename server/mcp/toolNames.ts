// How MCP tools are named and filtered for the model: `slug__tool`, sanitized, cut to 64 characters,
// unique across servers; a server's allow list, when not empty, wins over its deny list.
export const MAX_TOOL_NAME_LENGTH = 64;
/** Beyond this many tools models pick tools less reliably (and some providers reject the request). */
export const TOOL_COUNT_WARNING_THRESHOLD = 128;

export function sanitizeToolNamePart(s: string): string {
  return s.replace(/[^a-zA-Z0-9_-]/g, '_');
}

export function exposedToolName(slug: string, tool: string): string {
  return `${sanitizeToolNamePart(slug)}__${sanitizeToolNamePart(tool)}`.slice(0, MAX_TOOL_NAME_LENGTH);
}

/** The rule of the reference implementation's code (its docs say "deny wins"; the code does not). */
export function isToolExposed(tool: string, lists: { tool_allow_list: string[]; tool_deny_list: string[] }): boolean {
  if (lists.tool_allow_list.length > 0) return lists.tool_allow_list.includes(tool);
  return !lists.tool_deny_list.includes(tool);
}

export interface NamedTool { name: string; configId: string }

/** Sorts by name then config id and keeps the first of each name; the rest come back as warnings. */
export function dedupeToolNames<T extends NamedTool>(tools: T[]): { tools: T[]; warnings: string[] } {
  const sorted = [...tools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.configId < b.configId ? -1 : a.configId > b.configId ? 1 : 0));
  const seen = new Set<string>();
  const kept: T[] = [];
  const warnings: string[] = [];
  for (const t of sorted) {
    if (seen.has(t.name)) {
      warnings.push(`MCP tool name "${t.name}" is offered by more than one server (or is cut to the same 64 characters); the duplicate from server ${t.configId} is skipped.`);
      continue;
    }
    seen.add(t.name);
    kept.push(t);
  }
  return { tools: kept, warnings };
}

export function tooManyToolsWarning(names: string[]): string | null {
  if (names.length <= TOOL_COUNT_WARNING_THRESHOLD) return null;
  return `${names.length} MCP tools are offered, more than ${TOOL_COUNT_WARNING_THRESHOLD}: models choose tools less reliably with this many. ` +
    `Narrow them with each server's tool allow list, or select fewer servers. Tools: ${names.join(', ')}`;
}
