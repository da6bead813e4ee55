// OAuth for oauth2 MCP servers: the server builds the authorization URL (PKCE, discovery, registration
// in the SDK); here the browser is opened and the redirect comes back, either through VS Code's URI
// handler (vscode://local-agents.local-agents/mcp-oauth?server_id=…) or, where the editor's URI scheme
// cannot reach this window, a one-shot loopback listener on 127.0.0.1 (setting localAgents.mcp.oauthRedirect).
import http from 'node:http';
import * as vscode from 'vscode';
import type { McpOAuthConnectResult, McpServerConfig } from '../../server/protocol/mcp';
import { CompleteMcpOAuth, ConnectMcpOAuth, DisconnectMcpOAuth } from '../../server/protocol/methods';
import type { AgentsContext } from '../context';

export const OAUTH_CALLBACK_PATH = '/mcp-oauth';
const EXTENSION_ID = 'local-agents.local-agents';
/** How long a loopback listener waits for the browser. */
const LOOPBACK_WAIT_MS = 10 * 60_000;

export interface OAuthRedirect { server_id: string; code?: string; state?: string; error?: string; error_description?: string }

function redirectFromQuery(query: URLSearchParams, serverId?: string): OAuthRedirect {
  const get = (k: string) => query.get(k) ?? undefined;
  return { server_id: serverId ?? get('server_id') ?? '', code: get('code'), state: get('state'), error: get('error'), error_description: get('error_description') };
}

/** The code and state from the redirect go to the server, which exchanges them for tokens. */
export async function completeOAuth(ctx: AgentsContext, r: OAuthRedirect): Promise<McpServerConfig | undefined> {
  if (!r.server_id) {
    void vscode.window.showErrorMessage('Local Agents: the OAuth redirect did not say which MCP server it is for (server_id missing).');
    return undefined;
  }
  if (r.error) {
    void vscode.window.showErrorMessage(`Local Agents: MCP sign-in failed: ${r.error}${r.error_description ? ` (${r.error_description})` : ''}.`);
    return undefined;
  }
  try {
    const config = await ctx.request(CompleteMcpOAuth, { server_id: r.server_id, code: r.code, state: r.state });
    void vscode.window.showInformationMessage(`Local Agents: MCP server "${config.display_name}" is connected.`);
    return config;
  } catch (err) {
    void vscode.window.showErrorMessage(`Local Agents: MCP sign-in failed: ${(err as Error).message}`);
    return undefined;
  }
}

async function uriHandlerRedirect(serverId: string): Promise<string> {
  const local = vscode.Uri.parse(`${vscode.env.uriScheme}://${EXTENSION_ID}${OAUTH_CALLBACK_PATH}?server_id=${encodeURIComponent(serverId)}`);
  return (await vscode.env.asExternalUri(local)).toString(true);
}

/** A listener on a free loopback port that takes one redirect, answers the browser and closes. */
function loopbackRedirect(ctx: AgentsContext, serverId: string): Promise<{ uri: string; close: () => void }> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== OAUTH_CALLBACK_PATH) {
        res.writeHead(404).end();
        return;
      }
      const ok = !url.searchParams.get('error');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(`<!doctype html><title>Local Agents</title><p>${ok ? 'Signed in. You can close this tab and return to VS Code.' : 'Sign-in failed; see VS Code.'}</p>`);
      close();
      void completeOAuth(ctx, redirectFromQuery(url.searchParams, serverId));
    });
    const close = () => { clearTimeout(timer); server.close(); };
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      timer = setTimeout(close, LOOPBACK_WAIT_MS);
      resolve({ uri: `http://127.0.0.1:${port}${OAUTH_CALLBACK_PATH}`, close });
    });
  });
}

export async function connectMcpOAuth(ctx: AgentsContext, server: McpServerConfig): Promise<McpOAuthConnectResult | undefined> {
  const useLoopback = vscode.workspace.getConfiguration('localAgents').get<string>('mcp.oauthRedirect') === 'loopback';
  const loopback = useLoopback ? await loopbackRedirect(ctx, server.id) : undefined;
  try {
    const redirect_uri = loopback?.uri ?? await uriHandlerRedirect(server.id);
    const result = await ctx.request(ConnectMcpOAuth, { server_id: server.id, redirect_uri });
    if (!result.authorization_url) {
      loopback?.close();
      void vscode.window.showInformationMessage(`Local Agents: MCP server "${server.display_name}" is already connected.`);
      return result;
    }
    const opened = await vscode.env.openExternal(vscode.Uri.parse(result.authorization_url, true));
    if (!opened) {
      loopback?.close();
      void vscode.window.showWarningMessage(`Local Agents: the browser did not open for "${server.display_name}".`);
    }
    return result;
  } catch (err) {
    loopback?.close();
    void vscode.window.showErrorMessage(`Local Agents: could not start the sign-in of "${server.display_name}": ${(err as Error).message}`);
    return undefined;
  }
}

export async function disconnectMcpOAuth(ctx: AgentsContext, server: McpServerConfig): Promise<void> {
  try {
    await ctx.request(DisconnectMcpOAuth, { server_id: server.id });
    void vscode.window.showInformationMessage(`Local Agents: MCP server "${server.display_name}" is disconnected.`);
  } catch (err) {
    void vscode.window.showErrorMessage(`Local Agents: ${(err as Error).message}`);
  }
}

export function registerMcpOAuth(ctx: AgentsContext): vscode.Disposable[] {
  return [
    vscode.window.registerUriHandler({
      handleUri(uri: vscode.Uri) {
        if (uri.path !== OAUTH_CALLBACK_PATH) return;
        void completeOAuth(ctx, redirectFromQuery(new URLSearchParams(uri.query)));
      },
    }),
  ];
}
