// The interactive OAuth connect for the management view: start (returns the authorization URL the
// extension opens), complete (the code and state from the redirect), disconnect. PKCE, discovery, DCR or
// the pre-registered client and refresh are the SDK's `auth`; this file keeps the state and the errors.
import { AppError, badRequest } from '../errors';
import type { McpOAuthConnectResult } from '../protocol/mcp';
import { defFromRow, requireConfigRow, type McpServerDef } from './configStore';
import { McpOAuthProvider } from './oauthProvider';
import { OAUTH_STATE_TTL_MS, type McpRuntime } from './runtime';
import { loadMcpSdk } from './sdk';

function requireOAuthDef(rt: McpRuntime, serverId: string): McpServerDef {
  if (!rt.db) throw new Error('OAuth connect needs the config store.');
  const def = defFromRow(requireConfigRow(rt.db, serverId));
  if (!def.enabled) throw badRequest('MCP server is not enabled.', undefined, 'server_id');
  if (def.auth_type !== 'oauth2') throw badRequest('MCP server does not use OAuth2 authentication.', undefined, 'server_id');
  return def;
}

function dropExpired(rt: McpRuntime, now: number): void {
  for (const [state, p] of rt.pendingOAuth) if (p.expiresAt <= now) rt.pendingOAuth.delete(state);
}

export async function startOAuthConnect(rt: McpRuntime, serverId: string, redirectUri: string, now = Date.now()): Promise<McpOAuthConnectResult> {
  const def = requireOAuthDef(rt, serverId);
  dropExpired(rt, now);
  let authorizationUrl: URL | undefined;
  const provider = new McpOAuthProvider({ def, secrets: rt.secrets, db: rt.db, redirectUrl: redirectUri, onRedirect: (url) => { authorizationUrl = url; } });
  const { auth } = await loadMcpSdk();
  let result;
  try {
    result = await auth(provider, { serverUrl: def.url ?? '', scope: def.oauth2_scopes || undefined });
  } catch (err) {
    throw new AppError(400, 'MCP server OAuth2 authorization URL is not configured.', `Discovery or registration failed: ${(err as Error).message}`, 'oauth2_auth_url');
  }
  if (result === 'AUTHORIZED' || !authorizationUrl) {
    await rt.pool.drop(def.id);
    rt.bridge.serversChanged?.({ server_id: def.id, kind: 'updated' });
    return { authorization_url: null, state: null, auth_connected: rt.secrets.has(def.id, 'oauth2_tokens') };
  }
  const state = authorizationUrl.searchParams.get('state') ?? provider.pendingState ?? '';
  rt.pendingOAuth.set(state, { configId: def.id, provider, expiresAt: now + OAUTH_STATE_TTL_MS });
  return { authorization_url: authorizationUrl.href, state, auth_connected: false };
}

export async function completeOAuthConnect(rt: McpRuntime, p: { server_id: string; code?: string; state?: string }, now = Date.now()): Promise<void> {
  const def = requireOAuthDef(rt, p.server_id);
  dropExpired(rt, now);
  if (!p.code) throw badRequest('Missing authorization code.', undefined, 'code');
  const pending = p.state ? rt.pendingOAuth.get(p.state) : undefined;
  if (!pending || pending.configId !== def.id) throw badRequest('Invalid or missing OAuth2 state parameter.', undefined, 'state');
  rt.pendingOAuth.delete(p.state as string);
  const { auth } = await loadMcpSdk();
  try {
    const result = await auth(pending.provider, { serverUrl: def.url ?? '', authorizationCode: p.code, scope: def.oauth2_scopes || undefined });
    if (result !== 'AUTHORIZED') throw new Error(`authorization ended with ${result}`);
  } catch (err) {
    throw new AppError(502, 'Failed to exchange authorization code for token.', (err as Error).message);
  }
  await rt.pool.drop(def.id);
  rt.bridge.serversChanged?.({ server_id: def.id, kind: 'updated' });
}

export async function disconnectOAuth(rt: McpRuntime, serverId: string): Promise<void> {
  if (!rt.db) return;
  const def = defFromRow(requireConfigRow(rt.db, serverId));
  if (def.auth_type !== 'oauth2') throw badRequest('MCP server does not use OAuth2 authentication.', undefined, 'server_id');
  rt.secrets.set(def.id, 'oauth2_tokens', null);
  await rt.pool.drop(def.id);
  rt.bridge.serversChanged?.({ server_id: def.id, kind: 'updated' });
}
