// The MCP side of the extension, wired with one call from main.ts: secrets, user_oidc tokens,
// elicitation forms, OAuth redirects, the mcp.json import, the MCP Servers view and its commands.
import * as vscode from 'vscode';
import type { AgentsContext } from '../context';
import { registerElicitation } from './elicitation';
import { McpCommands } from './mcpCommands';
import { McpSecretStore, registerMcpSecrets } from './mcpSecrets';
import { MCP_VIEW_ID, McpTreeProvider } from './mcpTree';
import { registerMcpOAuth } from './oauth';
import { registerOidcTokens } from './oidcTokens';
import { McpWorkspaceImporter } from './workspaceImport';

export function registerMcp(ctx: AgentsContext): vscode.Disposable[] {
  const store = new McpSecretStore(ctx.ext.secrets);
  registerOidcTokens(ctx);
  registerElicitation(ctx);
  const tree = new McpTreeProvider(ctx);
  const importer = new McpWorkspaceImporter(ctx);
  return [
    ...registerMcpSecrets(ctx, store),
    ...registerMcpOAuth(ctx),
    tree,
    importer,
    vscode.window.createTreeView(MCP_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true }),
    ...new McpCommands(ctx, tree, importer).register(),
  ];
}
