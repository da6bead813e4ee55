// The MCP requests of the JSON-RPC protocol mapped to their capability (registered from handlers.ts).
import type { z } from 'zod';
import type { AppContext } from '../context';
import { badRequest } from '../errors';
import * as M from '../protocol/mcp';
import type { McpSecretKind, McpServerConfig } from '../protocol/mcp';
import {
  clearLegacyEnv, configPayload, createConfigRow, defFromRow, deleteConfigRow, legacyEnvRows, listConfigRows, requireConfigRow, updateConfigRow,
} from './configStore';
import { completeOAuthConnect, disconnectOAuth, startOAuthConnect } from './oauthFlow';
import { mcpRuntime, type McpRuntime } from './runtime';
import { testMcpConnection } from './testConnection';
import { importWorkspaceMcp } from './workspaceImport';

type Def = { method: string; params: z.ZodType };
export type RegisterHandler = <D extends Def>(def: D, handle: (params: z.output<D['params']>) => unknown) => void;

type SecretInput = z.output<typeof M.McpSecretInputFields>;

/** Secrets given with a create/update: held in memory and announced so the extension persists them. */
function applySecretInputs(rt: McpRuntime, serverId: string, s: SecretInput, envNames: string[]): void {
  if (s.api_key_value !== undefined) rt.secrets.set(serverId, 'api_key', s.api_key_value);
  if (s.custom_headers !== undefined) rt.secrets.set(serverId, 'custom_headers', s.custom_headers ? JSON.stringify(s.custom_headers) : null);
  if (s.oauth2_client_secret !== undefined) rt.secrets.set(serverId, 'oauth2_client_secret', s.oauth2_client_secret);
  // stdio env: values given join those held; values of names no longer listed go.
  const held = s.env === null ? {} : { ...(rt.secrets.getJson<Record<string, string>>(serverId, 'stdio_env') ?? {}), ...(s.env ?? {}) };
  const kept = Object.fromEntries(Object.entries(held).filter(([name]) => envNames.includes(name)));
  const before = rt.secrets.get(serverId, 'stdio_env') ?? null;
  const after = Object.keys(kept).length > 0 ? JSON.stringify(kept) : null;
  if (after !== before) rt.secrets.set(serverId, 'stdio_env', after);
}

/** Secret values out of the fields; the names of headers and env variables stay as fields, so views list them without secrets. */
function splitSecrets<T extends SecretInput & { env_names?: string[] }>(p: T, currentEnvNames: string[] = []): { secrets: SecretInput; fields: Omit<T, keyof SecretInput> } {
  const { api_key_value, custom_headers, oauth2_client_secret, env, ...fields } = p;
  const headerNames = custom_headers ? { custom_header_names: Object.keys(custom_headers) } : {};
  const envNames = env || p.env_names ? { env_names: [...new Set([...(p.env_names ?? currentEnvNames), ...Object.keys(env ?? {})])] } : {};
  return { secrets: { api_key_value, custom_headers, oauth2_client_secret, env }, fields: { ...fields, ...headerNames, ...envNames } as Omit<T, keyof SecretInput> };
}

function validateSecretValue(kind: McpSecretKind, value: string): void {
  if (kind === 'api_key' || kind === 'oauth2_client_secret') return;
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    if (kind === 'stdio_env' && Object.values(parsed).some((v) => typeof v !== 'string')) throw new Error('values must be strings');
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
    applySecretInputs(rt, row.id, secrets, defFromRow(row).env_names);
    await changed(row.id, 'created');
    return payload(row.id);
  });
  on(M.UpdateMcpServer, async (p) => {
    const { server_id, ...rest } = p;
    const { secrets, fields } = splitSecrets(rest, defFromRow(requireConfigRow(ctx.db, server_id)).env_names);
    const row = updateConfigRow(ctx.db, server_id, fields, ctx.now());
    applySecretInputs(rt, server_id, secrets, defFromRow(row).env_names);
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
  on(M.ListLegacyMcpEnv, () => legacyEnvRows(ctx.db));
  on(M.ClearLegacyMcpEnv, async (p) => {
    const cleared = clearLegacyEnv(ctx.db, p.server_ids);
    for (const id of p.server_ids) await rt.pool.drop(id);
    return { cleared };
  });
  on(M.ImportWorkspaceMcp, async (p) => {
    const result = importWorkspaceMcp(ctx.db, rt.secrets, p.source, p.servers, ctx.now());
    for (const c of result.imported) await changed(c.id, 'updated');
    return result;
  });
}
