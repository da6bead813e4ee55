// MCP secrets (API key values, custom header values, OAuth client secret, tokens, registered client
// information) persist in VS Code's SecretStorage only. The server holds them in memory: it announces
// every change (`secretChanged`) and gets them all back after each start. They never go to a webview,
// a log line or settings.
import * as vscode from 'vscode';
import type { McpSecretKind } from '../../server/protocol/mcp';
import {
  ClearLegacyMcpEnv, ListLegacyMcpEnv, ListMcpServers, McpSecretChangedNotification, McpServersChangedNotification, SetMcpSecret, MCP_SECRET_KINDS,
} from '../../server/protocol/methods';
import type { AgentsContext } from '../context';

export const mcpSecretKey = (serverId: string, kind: McpSecretKind) => `localAgents.mcp.${serverId}.${kind}`;

export class McpSecretStore {
  constructor(private readonly storage: vscode.SecretStorage) {}

  get(serverId: string, kind: McpSecretKind): Thenable<string | undefined> {
    return this.storage.get(mcpSecretKey(serverId, kind));
  }

  async set(serverId: string, kind: McpSecretKind, value: string | null): Promise<void> {
    if (value === null || value === '') await this.storage.delete(mcpSecretKey(serverId, kind));
    else await this.storage.store(mcpSecretKey(serverId, kind), value);
  }

  async forget(serverId: string): Promise<void> {
    for (const kind of MCP_SECRET_KINDS) await this.storage.delete(mcpSecretKey(serverId, kind));
  }
}

/**
 * stdio env values written to SQLite before they became secrets: kept in SecretStorage (merged with what is
 * there), then cleared from the database. Cleared only after they are stored, so a crash in between loses nothing.
 */
export async function moveLegacyMcpEnv(ctx: AgentsContext, store: McpSecretStore): Promise<number> {
  const legacy = await ctx.request(ListLegacyMcpEnv, {});
  for (const { server_id, env } of legacy) {
    const held = JSON.parse((await store.get(server_id, 'stdio_env')) ?? '{}') as Record<string, string>;
    await store.set(server_id, 'stdio_env', JSON.stringify({ ...env, ...held }));
  }
  if (legacy.length > 0) {
    await ctx.request(ClearLegacyMcpEnv, { server_ids: legacy.map((l) => l.server_id) });
    ctx.log.appendLine(`MCP: moved the environment values of ${legacy.length} server(s) from the database to SecretStorage.`);
  }
  return legacy.length;
}

/** Pushes every stored secret of every known server (workspace-local ones too) to a freshly started server. */
export async function pushMcpSecrets(ctx: AgentsContext, store: McpSecretStore): Promise<number> {
  await moveLegacyMcpEnv(ctx, store);
  const servers = await ctx.request(ListMcpServers, { include_workspace_local: true });
  let pushed = 0;
  for (const server of servers) {
    for (const kind of MCP_SECRET_KINDS) {
      const value = await store.get(server.id, kind);
      if (value === undefined) continue;
      try {
        await ctx.request(SetMcpSecret, { server_id: server.id, kind, value });
        pushed++;
      } catch (err) {
        // The kind is named, never the value.
        ctx.log.appendLine(`MCP: the server refused the stored ${kind} of "${server.slug}": ${(err as Error).message}`);
      }
    }
  }
  return pushed;
}

export function registerMcpSecrets(ctx: AgentsContext, store: McpSecretStore): vscode.Disposable[] {
  ctx.server.onServerNotification(McpSecretChangedNotification, (p) => {
    void store.set(p.server_id, p.kind, p.value).then(undefined, (err: Error) => ctx.log.appendLine(`MCP: could not save the ${p.kind} of server ${p.server_id}: ${err.message}`));
  });
  ctx.server.onServerNotification(McpServersChangedNotification, (p) => {
    if (p.kind === 'deleted') void store.forget(p.server_id);
  });
  return [
    ctx.server.onReady.event(() => {
      void pushMcpSecrets(ctx, store).catch((err: Error) => ctx.log.appendLine(`MCP: handing secrets to the server failed: ${err.message}`));
    }),
  ];
}
