// The MCP server configs as a capability: create, update, delete, secrets, connection test, OAuth and the
// workspace import. Secret values are split from the fields here, so no adapter handles one.
import type { z } from 'zod';
import type { AppContext } from '../context';
import { badRequest } from '../errors';
import * as M from '../protocol/mcp';
import type { McpImportResult, McpSecretKind, McpServerConfig } from '../protocol/mcp';
import type { PARAMS, ParsedParams } from '../protocol/schemas';
import {
  clearLegacyEnv, configPayload, createConfigRow, defFromRow, deleteConfigRow, legacyEnvRows, listConfigRows, requireConfigRow, updateConfigRow,
} from './configStore';
import { completeOAuthConnect, disconnectOAuth, startOAuthConnect } from './oauthFlow';
import { mcpRuntime, type McpRuntime } from './runtime';
import { testMcpConnection } from './testConnection';
import { importWorkspaceMcp } from './workspaceImport';

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

type Params<K extends keyof typeof PARAMS> = ParsedParams<K>;

const payload = (ctx: AppContext, id: string): McpServerConfig => configPayload(requireConfigRow(ctx.db, id), mcpRuntime(ctx).secrets);
async function changed(ctx: AppContext, serverId: string, kind: 'created' | 'updated' | 'deleted'): Promise<void> {
  const rt = mcpRuntime(ctx);
  await rt.pool.drop(serverId);
  rt.bridge.serversChanged?.({ server_id: serverId, kind });
}

export const listMcpServers = (ctx: AppContext, p: Params<'ListMcpServers'>): McpServerConfig[] =>
  listConfigRows(ctx.db, { includeWorkspaceLocal: p.include_workspace_local ?? true }).map((r) => configPayload(r, mcpRuntime(ctx).secrets));

export async function createMcpServer(ctx: AppContext, p: Params<'CreateMcpServer'>): Promise<McpServerConfig> {
  const { secrets, fields } = splitSecrets(p);
  const row = createConfigRow(ctx.db, fields, ctx.now());
  applySecretInputs(mcpRuntime(ctx), row.id, secrets, defFromRow(row).env_names);
  await changed(ctx, row.id, 'created');
  return payload(ctx, row.id);
}

export async function updateMcpServer(ctx: AppContext, p: Params<'UpdateMcpServer'>): Promise<McpServerConfig> {
  const { server_id, ...rest } = p;
  const { secrets, fields } = splitSecrets(rest, defFromRow(requireConfigRow(ctx.db, server_id)).env_names);
  const row = updateConfigRow(ctx.db, server_id, fields, ctx.now());
  applySecretInputs(mcpRuntime(ctx), server_id, secrets, defFromRow(row).env_names);
  await changed(ctx, server_id, 'updated');
  return payload(ctx, server_id);
}

export async function deleteMcpServer(ctx: AppContext, p: Params<'DeleteMcpServer'>): Promise<null> {
  deleteConfigRow(ctx.db, p.server_id);
  mcpRuntime(ctx).secrets.forget(p.server_id);
  await changed(ctx, p.server_id, 'deleted');
  return null;
}

/** From the extension's SecretStorage: held in memory, not echoed back. */
export async function setMcpSecret(ctx: AppContext, p: Params<'SetMcpSecret'>): Promise<McpServerConfig> {
  requireConfigRow(ctx.db, p.server_id);
  validateSecretValue(p.kind, p.value);
  const rt = mcpRuntime(ctx);
  rt.secrets.set(p.server_id, p.kind, p.value, false);
  await rt.pool.drop(p.server_id);
  return payload(ctx, p.server_id);
}

export async function clearMcpSecret(ctx: AppContext, p: Params<'ClearMcpSecret'>): Promise<McpServerConfig> {
  requireConfigRow(ctx.db, p.server_id);
  const rt = mcpRuntime(ctx);
  rt.secrets.set(p.server_id, p.kind, null, false);
  await rt.pool.drop(p.server_id);
  return payload(ctx, p.server_id);
}

export const testMcpServer = (ctx: AppContext, p: Params<'TestMcpServer'>) => testMcpConnection(mcpRuntime(ctx), defFromRow(requireConfigRow(ctx.db, p.server_id)));
export const connectMcpOAuth = (ctx: AppContext, p: Params<'ConnectMcpOAuth'>) => startOAuthConnect(mcpRuntime(ctx), p.server_id, p.redirect_uri);

export async function completeMcpOAuth(ctx: AppContext, p: Params<'CompleteMcpOAuth'>): Promise<McpServerConfig> {
  await completeOAuthConnect(mcpRuntime(ctx), p);
  return payload(ctx, p.server_id);
}

export async function disconnectMcpOAuth(ctx: AppContext, p: Params<'DisconnectMcpOAuth'>): Promise<McpServerConfig> {
  await disconnectOAuth(mcpRuntime(ctx), p.server_id);
  return payload(ctx, p.server_id);
}

export const listLegacyMcpEnv = (ctx: AppContext) => legacyEnvRows(ctx.db);

export async function clearLegacyMcpEnv(ctx: AppContext, p: Params<'ClearLegacyMcpEnv'>): Promise<{ cleared: number }> {
  const cleared = clearLegacyEnv(ctx.db, p.server_ids);
  for (const id of p.server_ids) await mcpRuntime(ctx).pool.drop(id);
  return { cleared };
}

export async function importMcpFromWorkspace(ctx: AppContext, p: Params<'ImportWorkspaceMcp'>): Promise<McpImportResult> {
  const result = importWorkspaceMcp(ctx.db, mcpRuntime(ctx).secrets, p.source, p.servers, ctx.now());
  for (const c of result.imported) await changed(ctx, c.id, 'updated');
  return result;
}
