// The hook the agent loop calls when it builds a turn's tools: the chat's selected MCP servers plus every
// enabled force_on server, gated by mode, connected in parallel (a failing server is reported and the
// turn goes on), their tools named `slug__tool`, filtered, deduplicated, and runnable.
import type { AppContext } from '../context';
import type { ToolDefinition } from '../llm/types';
import type { ChatMode } from '../protocol';
import { defFromRow, getConfigRow, listConfigRows, type McpServerDef } from './configStore';
import type { McpConnection } from './connection';
import { unwrapModelIntentArgs, parseToolArgs, wrapSchemaWithModelIntent, type JsonSchemaObject } from './modelIntent';
import { mcpServerAvailability, type McpServerGate, type ToolScope } from '../permissions/availability';
import { McpConnectTimeoutError } from './pool';
import { convertToolResult } from './resultConversion';
import { mcpRuntime } from './runtime';
import { dedupeToolNames, exposedToolName, isToolExposed, tooManyToolsWarning } from './toolNames';

export interface McpTurnChat {
  id: string; mode: ChatMode; parent_chat_id: string | null; mcp_server_ids: string[];
  /** Default: judged by the chat's own mode (the turn passes its root's mode too). */
  scope?: ToolScope;
}

export interface McpToolRunResult { result: unknown; is_error: boolean; model_intent?: string }

export interface McpTurnTool {
  definition: ToolDefinition;
  /** The config the tool belongs to (for the tool-call part's `mcp_server_config_id`). */
  serverId: string;
  /** The server's own name for the tool. */
  toolName: string;
  /** What the gate needs to know of the server. */
  server: McpServerGate;
  run(argsJson: string, signal: AbortSignal, toolCallId: string): Promise<McpToolRunResult>;
}

export interface McpServerFailure { server: string; server_id: string; outcome: 'timeout' | 'error'; reason: string }

export interface McpTurnTools { tools: McpTurnTool[]; warnings: string[]; failures: McpServerFailure[] }

/** The servers a chat's turn uses: its selection plus enabled force_on servers, before the mode gate. */
export function selectedServerDefs(ctx: AppContext, chat: McpTurnChat): { defs: McpServerDef[]; unknownIds: string[] } {
  const all = listConfigRows(ctx.db).map(defFromRow);
  const byId = new Map(all.map((d) => [d.id, d]));
  const ids = new Set(chat.mcp_server_ids);
  for (const d of all) if (d.enabled && d.availability === 'force_on') ids.add(d.id);
  const unknownIds = [...ids].filter((id) => !byId.has(id));
  return { defs: [...ids].flatMap((id) => byId.get(id) ?? []), unknownIds };
}

function schemaOf(inputSchema: unknown): JsonSchemaObject {
  return typeof inputSchema === 'object' && inputSchema !== null ? { ...(inputSchema as JsonSchemaObject) } : { type: 'object', properties: {} };
}

export async function mcpToolsForTurn(ctx: AppContext, chat: McpTurnChat, signal?: AbortSignal): Promise<McpTurnTools> {
  const rt = mcpRuntime(ctx);
  const warnings: string[] = [];
  const failures: McpServerFailure[] = [];
  const { defs, unknownIds } = selectedServerDefs(ctx, chat);
  for (const id of unknownIds) warnings.push(`MCP server ${id} is selected in this chat but no longer exists.`);
  const usable = defs.filter((def) => {
    const gate = mcpServerAvailability(chat.scope ?? { mode: chat.mode, isRoot: chat.parent_chat_id === null, rootMode: chat.mode }, def);
    if (!gate.allowed && chat.mcp_server_ids.includes(def.id)) warnings.push(`MCP server "${def.display_name}" is skipped: ${gate.reason}`);
    return gate.allowed;
  });

  const settled = await Promise.allSettled(usable.map((def) => rt.pool.acquire(def, rt.authIdentity(def), { signal })));
  const candidates: Array<{ name: string; configId: string; def: McpServerDef; toolName: string; description: string; schema: JsonSchemaObject }> = [];
  settled.forEach((s, i) => {
    const def = usable[i] as McpServerDef;
    if (s.status === 'rejected') {
      const err = s.reason as Error;
      failures.push({ server: def.display_name, server_id: def.id, outcome: err instanceof McpConnectTimeoutError ? 'timeout' : 'error', reason: err.message });
      return;
    }
    const conn: McpConnection = s.value;
    if (conn.tools.length === 0) warnings.push(`MCP server "${def.display_name}" offers no tools.`);
    for (const t of conn.tools) {
      if (!isToolExposed(t.name, def)) continue;
      candidates.push({ name: exposedToolName(def.slug, t.name), configId: def.id, def, toolName: t.name, description: t.description ?? '', schema: schemaOf(t.inputSchema) });
    }
  });
  const { tools: unique, warnings: dupWarnings } = dedupeToolNames(candidates);
  warnings.push(...dupWarnings);
  const many = tooManyToolsWarning(unique.map((t) => t.name));
  if (many) warnings.push(many);

  const tools = unique.map((c): McpTurnTool => ({
    serverId: c.configId,
    toolName: c.toolName,
    server: { enabled: c.def.enabled, allow_in_plan_mode: c.def.allow_in_plan_mode, workspace_local: c.def.workspace_local },
    definition: {
      name: c.name,
      description: `${c.description}${c.description ? '\n\n' : ''}(MCP server: ${c.def.display_name})`,
      parameters: c.def.model_intent ? wrapSchemaWithModelIntent(c.schema) : c.schema,
    },
    run: (argsJson, runSignal, toolCallId) => runMcpTool(ctx, chat.id, c.configId, c.toolName, argsJson, runSignal, toolCallId),
  }));
  return { tools, warnings, failures };
}

/** The server's config as it is now, for the gate to judge a call against (it may have changed mid-turn). */
export function currentMcpServer(ctx: AppContext, configId: string): McpServerDef | undefined {
  const row = getConfigRow(ctx.db, configId);
  return row ? defFromRow(row) : undefined;
}

/** The call's arguments without the model_intent wrapper, as the gate and the server see them. */
export function mcpCallArgs(def: McpServerDef | undefined, argsJson: string): { args: Record<string, unknown>; modelIntent?: string; error?: string } {
  return def?.model_intent ? unwrapModelIntentArgs(argsJson) : parseToolArgs(argsJson);
}

/** Runs one call the gate let through: calls the server. */
export async function runMcpTool(ctx: AppContext, chatId: string, configId: string, toolName: string, argsJson: string, signal: AbortSignal, toolCallId: string): Promise<McpToolRunResult> {
  const rt = mcpRuntime(ctx);
  const def = currentMcpServer(ctx, configId);
  if (!def) return { result: { error: 'This MCP server was removed.' }, is_error: true };
  const unwrapped = mcpCallArgs(def, argsJson);
  const intent = unwrapped.modelIntent ? { model_intent: unwrapped.modelIntent } : {};
  if (unwrapped.error) return { result: { error: unwrapped.error }, is_error: true, ...intent };
  try {
    const conn = await rt.pool.acquire(def, rt.authIdentity(def), { signal });
    if (!conn.tools.some((t) => t.name === toolName) || !isToolExposed(toolName, def)) {
      return { result: { error: `MCP server "${def.display_name}" no longer offers the tool "${toolName}".` }, is_error: true, ...intent };
    }
    const timeoutMs = def.tool_timeouts[toolName] ?? def.tool_timeout_ms;
    const raw = await conn.callTool(toolName, unwrapped.args, { timeoutMs, signal, toolCallId, chatId });
    return { ...convertToolResult(raw), ...intent };
  } catch (err) {
    return { result: { error: `MCP server "${def.display_name}": ${(err as Error).message}` }, is_error: true, ...intent };
  }
}
