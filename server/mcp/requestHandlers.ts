// The MCP requests of the JSON-RPC protocol mapped to their capability (registered from handlers.ts).
import type { z } from 'zod';
import type { AppContext } from '../context';
import { badRequest } from '../errors';
import * as M from '../protocol/mcp';
import type { McpSecretKind, McpServerConfig } from '../protocol/mcp';
import {
  configPayload, createConfigRow, defFromRow, deleteConfigRow, listConfigRows, requireConfigRow, updateConfigRow,
} from './configStore';
import { completeOAuthConnect, disconnectOAuth, startOAuthConnect } from './oauthFlow';
import { mcpRuntime, type McpRuntime } from './runtime';
import { testMcpConnection } from './testConnection';
import { importWorkspaceMcp } from './workspaceImport';

type Def = { method: string; params: z.ZodType };
export type RegisterHandler = <D extends Def>(def: D, handle: (params: z.output<D['params']>) => unknown) => void;

type SecretInput = z.output<typeof M.McpSecretInputFields>;

/** Secrets given with a create/update: held in memory and announced so the extension persists them. */
function applySecretInputs(rt: McpRuntime, serverId: string, s: SecretInput): void {
  if (s.api_key_value !== undefined) rt.secrets.set(serverId, 'api_key', s.api_key_value);
  if (s.custom_headers !== undefined) rt.secrets.set(serverId, 'custom_headers', s.custom_headers ? JSON.stringify(s.custom_headers) : null);
  if (s.oauth2_client_secret !== undefined) rt.secrets.set(serverId, 'oauth2_client_secret', s.oauth2_client_secret);
}

function splitSecrets<T extends SecretInput>(p: T): { secrets: SecretInput; fields: Omit<T, keyof SecretInput> } {
  const { api_key_value, custom_headers, oauth2_client_secret, ...fields } = p;
  // Header names follow the values given, so the view can list them without reading secrets.
  const names = custom_headers ? { custom_header_names: Object.keys(custom_headers) } : {};
  return { secrets: { api_key_value, custom_headers, oauth2_client_secret }, fields: { ...fields, ...names } as Omit<T, keyof SecretInput> };
}

function validateSecretValue(kind: McpSecretKind, value: string): void {
  if (kind === 'api_key' || kind === 'oauth2_client_secret') return;
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
  } catch {
    throw badRequest(kind === 'custom_headers' ? 'Invalid custom headers.' : 'Invalid MCP secret value.', `${kind} must be a JSON object.`, 'value');
  }
}

export function registerMcpHandlers(ctx: AppContext, on: RegisterHandler): void {
  const rt = mcpRuntime(ctx);
  const payload = (id: string): McpServerConfig => configPayload(requireConfigRow(ctx.db, id), rt.secrets);
  const changed = async (server_id: string, kind: 'created' | 'updated' | 'deleted') => {
    await rt.pool.drop(server_id);
    rt.bridge.serversChanged?.({ server_id, kind });
  };

  on(M.ListMcpServers, (p) => listConfigRows(ctx.db, { includeWorkspaceLocal: p.include_workspace_local ?? true }).map((r) => configPayload(r, rt.secrets)));
  on(M.CreateMcpServer, async (p) => {
    const { secrets, fields } = splitSecrets(p);
    const row = createConfigRow(ctx.db, fields, ctx.now());
    applySecretInputs(rt, row.id, secrets);
    await changed(row.id, 'created');
    return payload(row.id);
  });
  on(M.UpdateMcpServer, async (p) => {
    const { server_id, ...rest } = p;
    const { secrets, fields } = splitSecrets(rest);
    updateConfigRow(ctx.db, server_id, fields, ctx.now());
    applySecretInputs(rt, server_id, secrets);
    await changed(server_id, 'updated');
    return payload(server_id);
  });
  on(M.DeleteMcpServer, async (p) => {
    deleteConfigRow(ctx.db, p.server_id);
    rt.secrets.forget(p.server_id);
    await changed(p.server_id, 'deleted');
    return null;
  });
  on(M.SetMcpSecret, async (p) => {
    requireConfigRow(ctx.db, p.server_id);
    validateSecretValue(p.kind, p.value);
    // From the extension's SecretStorage: no echo back.
    rt.secrets.set(p.server_id, p.kind, p.value, false);
    await rt.pool.drop(p.server_id);
    return payload(p.server_id);
  });
  on(M.ClearMcpSecret, async (p) => {
    requireConfigRow(ctx.db, p.server_id);
    rt.secrets.set(p.server_id, p.kind, null, false);
    await rt.pool.drop(p.server_id);
    return payload(p.server_id);
  });
  on(M.TestMcpServer, (p) => testMcpConnection(rt, defFromRow(requireConfigRow(ctx.db, p.server_id))));
  on(M.ConnectMcpOAuth, (p) => startOAuthConnect(rt, p.server_id, p.redirect_uri));
  on(M.CompleteMcpOAuth, async (p) => {
    await completeOAuthConnect(rt, p);
    return payload(p.server_id);
  });
  on(M.DisconnectMcpOAuth, async (p) => {
    await disconnectOAuth(rt, p.server_id);
    return payload(p.server_id);
  });
  on(M.ImportWorkspaceMcp, async (p) => {
    const result = importWorkspaceMcp(ctx.db, rt.secrets, p.source, p.servers, ctx.now());
    for (const c of result.imported) await changed(c.id, 'updated');
    return result;
  });
}
