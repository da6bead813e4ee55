// "Test connection" in the management view: a fresh session (not the pooled one) within the connect
// budget, the server's tools with their schemas and whether each is exposed, then closed.
import type { McpTestResult } from '../protocol/mcp';
import type { McpServerDef } from './configStore';
import { McpAuthorizationRequiredError, McpConnection } from './connection';
import { CONNECT_BUDGET_MS, McpConnectTimeoutError } from './pool';
import type { McpRuntime } from './runtime';
import { dedupeToolNames, exposedToolName, isToolExposed, tooManyToolsWarning } from './toolNames';

export async function testMcpConnection(rt: McpRuntime, def: McpServerDef, budgetMs = CONNECT_BUDGET_MS): Promise<McpTestResult> {
  const started = Date.now();
  const budget = new AbortController();
  const timer = setTimeout(() => budget.abort(new McpConnectTimeoutError(def.display_name, budgetMs)), budgetMs);
  const base = { server_name: null, server_version: null, tools: [], warnings: [] };
  try {
    const opening = McpConnection.open(def, rt.connectionDeps(), budget.signal);
    opening.then((late) => { if (budget.signal.aborted) void late.close(); }, () => undefined);
    const conn = await Promise.race([
      opening,
      new Promise<never>((_, reject) => budget.signal.addEventListener('abort', () => reject(budget.signal.reason), { once: true })),
    ]);
    try {
      const tools = conn.tools.map((t) => ({
        name: t.name,
        exposed_name: exposedToolName(def.slug, t.name),
        description: t.description ?? '',
        input_schema: t.inputSchema,
        enabled: isToolExposed(t.name, def),
      }));
      const exposed = tools.filter((t) => t.enabled);
      const warnings = dedupeToolNames(exposed.map((t) => ({ name: t.exposed_name, configId: def.id }))).warnings;
      const many = tooManyToolsWarning(exposed.map((t) => t.exposed_name));
      if (many) warnings.push(many);
      const info = conn.serverVersion;
      return {
        ok: true, outcome: tools.length === 0 ? 'no_tools' : 'connected', error: null, duration_ms: Date.now() - started,
        server_name: info?.name ?? null, server_version: info?.version ?? null, tools, warnings,
      };
    } finally {
      await conn.close();
    }
  } catch (err) {
    const outcome = err instanceof McpConnectTimeoutError ? 'timeout' : err instanceof McpAuthorizationRequiredError ? 'unauthorized' : 'error';
    return { ...base, ok: false, outcome, error: (err as Error).message, duration_ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}
