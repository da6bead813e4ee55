// user_oidc servers get the signed-in identity's access token, asked for before each request. The source
// is a VS Code authentication session, silently: no sign-in prompt in the middle of a turn.
import * as vscode from 'vscode';
import type { McpOidcTokenParams } from '../../server/protocol/mcp';
import { McpGetOidcTokenRequest } from '../../server/protocol/methods';
import type { AgentsContext } from '../context';

export async function oidcAccessToken(ctx: AgentsContext, p: McpOidcTokenParams): Promise<{ access_token: string | null }> {
  try {
    const session = await vscode.authentication.getSession(p.provider_id, p.scopes, { silent: true });
    if (!session) {
      ctx.log.appendLine(`MCP: no "${p.provider_id}" session with scopes [${p.scopes.join(' ')}] for server ${p.server_id}; the request goes without a token. Sign in through the Accounts menu.`);
      return { access_token: null };
    }
    return { access_token: session.accessToken };
  } catch (err) {
    // e.g. an unknown provider id; the token itself is never logged.
    ctx.log.appendLine(`MCP: authentication provider "${p.provider_id}" gave no session for server ${p.server_id}: ${(err as Error).message}`);
    return { access_token: null };
  }
}

export function registerOidcTokens(ctx: AgentsContext): void {
  ctx.server.onServerRequest(McpGetOidcTokenRequest, (p) => oidcAccessToken(ctx, p));
}
