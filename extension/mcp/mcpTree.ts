// "MCP Servers": every MCP server config (workspace-imported ones marked), its state as the icon, and
// under it the tools of its last Test Connection with their allow/deny state. Follows `serversChanged`.
import * as vscode from 'vscode';
import type { McpServerConfig, McpTestResult, McpToolInfo } from '../../server/protocol/mcp';
import { ListMcpServers, McpServersChangedNotification } from '../../server/protocol/methods';
import type { AgentsContext } from '../context';
import { isToolExposed } from './toolLists';

export const MCP_VIEW_ID = 'localAgents.mcpServers';

export type McpNode =
  | { kind: 'server'; config: McpServerConfig }
  | { kind: 'tool'; config: McpServerConfig; tool: McpToolInfo }
  | { kind: 'note'; config: McpServerConfig; text: string; detail: string; error: boolean };

/** What the server still needs before it can connect, or null. */
export function missingAuth(c: McpServerConfig): string | null {
  if (c.auth_type === 'oauth2' && !c.auth_connected) return 'OAuth sign-in needed';
  if (c.auth_type === 'api_key' && !c.has_api_key) return 'API key missing';
  if (c.auth_type === 'custom_headers' && !c.has_custom_headers) return 'header values missing';
  if (c.auth_type === 'user_oidc' && !c.oidc_provider_id) return 'no authentication provider';
  return null;
}

function serverIcon(c: McpServerConfig, test: McpTestResult | undefined): vscode.ThemeIcon {
  if (!c.enabled) return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
  if (missingAuth(c)) return new vscode.ThemeIcon('key', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  if (test && !test.ok) return new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
  if (c.workspace_local) return new vscode.ThemeIcon('folder-library', new vscode.ThemeColor('testing.iconPassed'));
  return new vscode.ThemeIcon('plug', new vscode.ThemeColor('testing.iconPassed'));
}

/** Space-separated words for `when` clauses (viewItem =~ /\benabled\b/). */
function serverContext(c: McpServerConfig): string {
  return ['mcpServer', c.enabled ? 'enabled' : 'disabled', c.auth_type, c.auth_connected ? 'connected' : '', c.workspace_local ? 'workspace' : '',
    c.model_intent ? 'intent' : '', c.allow_in_plan_mode ? 'plan' : ''].filter(Boolean).join(' ');
}

function serverTooltip(c: McpServerConfig): vscode.MarkdownString {
  const where = c.transport === 'stdio' ? `\`${[c.command, ...c.args].join(' ')}\`` : c.url ?? '';
  const lines = [
    `**${c.display_name}** (\`${c.slug}\`)`, c.description, `${c.transport}: ${where}`,
    `Auth: ${c.auth_type}${missingAuth(c) ? ` (${missingAuth(c)})` : ''} · Availability: ${c.availability}`,
    `model_intent: ${c.model_intent ? 'on' : 'off'} · plan mode: ${c.allow_in_plan_mode ? 'allowed' : 'not allowed'}`,
    c.workspace_local ? `Imported from ${c.workspace_source}` : '',
  ];
  const md = new vscode.MarkdownString(lines.filter(Boolean).join('\n\n'));
  md.supportHtml = false;
  return md;
}

export class McpTreeProvider implements vscode.TreeDataProvider<McpNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private configs: McpServerConfig[] = [];
  private loaded = false;
  private readonly tests = new Map<string, McpTestResult>();
  private reloadTimer: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: AgentsContext) {
    ctx.server.onServerNotification(McpServersChangedNotification, (p) => {
      if (p.kind === 'deleted') this.tests.delete(p.server_id);
      this.scheduleReload();
    });
  }

  get servers(): readonly McpServerConfig[] {
    return this.configs;
  }

  server(id: string): McpServerConfig | undefined {
    return this.configs.find((c) => c.id === id);
  }

  lastTest(id: string): McpTestResult | undefined {
    return this.tests.get(id);
  }

  setTestResult(id: string, result: McpTestResult): void {
    this.tests.set(id, result);
    this.changed.fire();
  }

  /** After a change made here: the reply is the new config, no need to wait for the notification. */
  upsert(config: McpServerConfig): void {
    const i = this.configs.findIndex((c) => c.id === config.id);
    if (i >= 0) this.configs[i] = config;
    else this.configs.push(config);
    this.changed.fire();
  }

  private scheduleReload(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.reload(), 50);
  }

  async reload(): Promise<readonly McpServerConfig[]> {
    try {
      this.configs = await this.ctx.request(ListMcpServers, { include_workspace_local: true });
      this.loaded = true;
    } catch (err) {
      this.ctx.log.appendLine(`MCP: listing servers failed: ${(err as Error).message}`);
    }
    this.changed.fire();
    return this.configs;
  }

  getTreeItem(n: McpNode): vscode.TreeItem {
    if (n.kind === 'server') {
      const c = n.config;
      const test = this.tests.get(c.id);
      const item = new vscode.TreeItem(c.display_name, test ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
      item.id = `mcp:${c.id}:${test ? 'tested' : 'untested'}`;
      const flags = [c.workspace_local ? 'workspace' : '', !c.enabled ? 'disabled' : missingAuth(c) ?? '', c.availability.replace('_', ' '), c.model_intent ? 'intent' : ''];
      item.description = [c.slug, ...flags].filter(Boolean).join(' · ');
      item.iconPath = serverIcon(c, test);
      item.contextValue = serverContext(c);
      item.tooltip = serverTooltip(c);
      return item;
    }
    if (n.kind === 'tool') {
      const allowed = isToolExposed(n.tool.name, n.config);
      const item = new vscode.TreeItem(n.tool.name, vscode.TreeItemCollapsibleState.None);
      item.id = `mcp:${n.config.id}:tool:${n.tool.name}`;
      item.description = allowed ? n.tool.exposed_name : 'denied';
      item.iconPath = new vscode.ThemeIcon(allowed ? 'tools' : 'circle-slash');
      item.contextValue = `mcpTool ${allowed ? 'allowed' : 'denied'}`;
      const md = new vscode.MarkdownString(`**${n.tool.name}**${n.tool.description ? `\n\n${n.tool.description}` : ''}`);
      md.appendCodeblock(JSON.stringify(n.tool.input_schema, null, 2), 'json');
      item.tooltip = md;
      return item;
    }
    const item = new vscode.TreeItem(n.text, vscode.TreeItemCollapsibleState.None);
    item.description = n.detail;
    item.tooltip = `${n.text}: ${n.detail}`;
    item.iconPath = new vscode.ThemeIcon(n.error ? 'error' : 'warning');
    item.contextValue = 'mcpNote';
    return item;
  }

  async getChildren(n?: McpNode): Promise<McpNode[]> {
    if (!n) {
      if (!this.loaded) await this.reload();
      return [...this.configs]
        .sort((a, b) => Number(a.workspace_local) - Number(b.workspace_local) || a.display_name.localeCompare(b.display_name))
        .map((config) => ({ kind: 'server', config }));
    }
    if (n.kind !== 'server') return [];
    const test = this.tests.get(n.config.id);
    if (!test) return [];
    const notes: McpNode[] = test.ok ? [] : [{ kind: 'note', config: n.config, text: `Test failed (${test.outcome})`, detail: test.error ?? '', error: true }];
    for (const w of test.warnings) notes.push({ kind: 'note', config: n.config, text: 'Warning', detail: w, error: false });
    if (test.ok && test.tools.length === 0) notes.push({ kind: 'note', config: n.config, text: 'No tools', detail: 'the server lists no tools', error: false });
    return [...notes, ...test.tools.map((tool): McpNode => ({ kind: 'tool', config: n.config, tool }))];
  }

  dispose(): void {
    clearTimeout(this.reloadTimer);
    this.changed.dispose();
  }
}
