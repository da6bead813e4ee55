// The MCP commands (palette category "Local Agents" and the MCP Servers tree's actions). Each takes a
// tree node, a server id (tests, other commands) or nothing (then asks which server), and returns what it
// produced so callers and tests can check it.
import * as vscode from 'vscode';
import type { McpServerConfig, McpTestResult } from '../../server/protocol/mcp';
import { CreateMcpServer, DeleteMcpServer, TestMcpServer } from '../../server/protocol/methods';
import type { AgentsContext } from '../context';
import { promptNewServer } from './mcpAddServer';
import { editMcpServer, updateMcpServer, type McpUpdate } from './mcpEditServer';
import { askPick, AVAILABILITY_ITEMS } from './mcpPrompts';
import { missingAuth, type McpNode, type McpTreeProvider } from './mcpTree';
import { connectMcpOAuth, disconnectMcpOAuth } from './oauth';
import { setToolAllowed } from './toolLists';
import type { McpWorkspaceImporter } from './workspaceImport';

type ServerArg = McpNode | string | undefined;

const errorMessage = (err: unknown) => `Local Agents: ${(err as Error).message}`;

export class McpCommands {
  constructor(private readonly ctx: AgentsContext, private readonly tree: McpTreeProvider, private readonly importer: McpWorkspaceImporter) {}

  /** The config a command acts on: the node's, the id's, or one the user picks. */
  private async resolve(arg: ServerArg, filter: (c: McpServerConfig) => boolean = () => true): Promise<McpServerConfig | undefined> {
    if (typeof arg === 'object') return this.tree.server(arg.config.id) ?? arg.config;
    const servers = await this.tree.reload();
    if (typeof arg === 'string') {
      const found = servers.find((c) => c.id === arg || c.slug === arg);
      if (!found) void vscode.window.showErrorMessage(`Local Agents: no MCP server "${arg}".`);
      return found;
    }
    const candidates = servers.filter(filter);
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage('Local Agents: no MCP server fits. Add one with "Local Agents: Add MCP Server".');
      return undefined;
    }
    return askPick('MCP server', candidates.map((c) => ({ label: c.display_name, description: c.slug, detail: missingAuth(c) ?? undefined, value: c })));
  }

  private async update(config: McpServerConfig, update: McpUpdate): Promise<McpServerConfig | undefined> {
    try {
      const next = await updateMcpServer(this.ctx, config.id, update);
      this.tree.upsert(next);
      return next;
    } catch (err) {
      void vscode.window.showErrorMessage(errorMessage(err));
      return undefined;
    }
  }

  async add(): Promise<McpServerConfig | undefined> {
    const input = await promptNewServer();
    if (!input) return undefined;
    let created: McpServerConfig;
    try {
      created = await this.ctx.request(CreateMcpServer, input);
    } catch (err) {
      void vscode.window.showErrorMessage(errorMessage(err));
      return undefined;
    }
    this.tree.upsert(created);
    if (created.auth_type === 'oauth2') {
      const choice = await vscode.window.showInformationMessage(`MCP server "${created.display_name}" added. Sign in now?`, 'Sign In');
      if (choice) await connectMcpOAuth(this.ctx, created);
    } else {
      void this.test(created.id);
    }
    return created;
  }

  async edit(arg: ServerArg): Promise<McpServerConfig | undefined> {
    const config = await this.resolve(arg);
    return config && editMcpServer(this.ctx, config, (c) => this.tree.upsert(c));
  }

  async delete(arg: ServerArg, confirmed = false): Promise<boolean> {
    const config = await this.resolve(arg);
    if (!config) return false;
    if (!confirmed) {
      const extra = config.workspace_local ? ` It comes from ${config.workspace_source}; it returns at the next import unless removed there.` : '';
      const choice = await vscode.window.showWarningMessage(`Delete MCP server "${config.display_name}"?`, { modal: true, detail: `Its stored secrets are deleted too.${extra}` }, 'Delete');
      if (choice !== 'Delete') return false;
    }
    try {
      await this.ctx.request(DeleteMcpServer, { server_id: config.id });
      await this.tree.reload();
      return true;
    } catch (err) {
      void vscode.window.showErrorMessage(errorMessage(err));
      return false;
    }
  }

  async setEnabled(arg: ServerArg, enabled: boolean): Promise<McpServerConfig | undefined> {
    const config = await this.resolve(arg, (c) => c.enabled !== enabled);
    return config && this.update(config, { enabled });
  }

  async test(arg: ServerArg): Promise<McpTestResult | undefined> {
    const config = await this.resolve(arg);
    if (!config) return undefined;
    let result: McpTestResult;
    try {
      result = await vscode.window.withProgress(
        { location: { viewId: 'localAgents.mcpServers' }, title: `Testing ${config.display_name}` },
        () => this.ctx.request(TestMcpServer, { server_id: config.id }),
      );
    } catch (err) {
      void vscode.window.showErrorMessage(errorMessage(err));
      return undefined;
    }
    this.tree.setTestResult(config.id, result);
    const name = result.server_name ? ` (${result.server_name}${result.server_version ? ` ${result.server_version}` : ''})` : '';
    if (result.ok) {
      const exposed = result.tools.filter((t) => t.enabled).length;
      void vscode.window.showInformationMessage(`MCP server "${config.display_name}"${name}: connected, ${result.tools.length} tools (${exposed} exposed) in ${result.duration_ms} ms.` +
        (result.warnings.length ? ` ${result.warnings.join(' ')}` : ''));
    } else {
      const hint = result.outcome === 'unauthorized' && config.auth_type === 'oauth2' ? ' Sign in with "Connect OAuth".' : '';
      void vscode.window.showErrorMessage(`MCP server "${config.display_name}": ${result.outcome}: ${result.error ?? 'no detail'}.${hint}`);
    }
    return result;
  }

  async connect(arg: ServerArg): Promise<void> {
    const config = await this.resolve(arg, (c) => c.auth_type === 'oauth2');
    if (config) await connectMcpOAuth(this.ctx, config);
  }

  async disconnect(arg: ServerArg): Promise<void> {
    const config = await this.resolve(arg, (c) => c.auth_type === 'oauth2' && c.auth_connected);
    if (config) await disconnectMcpOAuth(this.ctx, config);
  }

  /** On a tool node, or (serverId, toolName) from code. */
  async setToolAllowed(arg: ServerArg, toolName: string | undefined, allowed: boolean): Promise<McpServerConfig | undefined> {
    const config = await this.resolve(arg);
    if (!config) return undefined;
    const known = this.tree.lastTest(config.id)?.tools.map((t) => t.name) ?? [];
    const tool = typeof arg === 'object' && arg.kind === 'tool' ? arg.tool.name
      : toolName ?? await askPick(`${allowed ? 'Allow' : 'Deny'} a tool of ${config.display_name}`, known.map((t) => ({ label: t, value: t })), known.length ? undefined : 'Run Test Connection first to list the tools');
    if (!tool) return undefined;
    return this.update(config, setToolAllowed(tool, allowed, config, known));
  }

  async setAvailability(arg: ServerArg): Promise<McpServerConfig | undefined> {
    const config = await this.resolve(arg);
    if (!config) return undefined;
    const availability = await askPick(`Availability of ${config.display_name}`, AVAILABILITY_ITEMS.map((i) => ({ ...i, label: i.value === config.availability ? `$(check) ${i.label}` : i.label })));
    return availability && this.update(config, { availability });
  }

  async toggle(arg: ServerArg, field: 'model_intent' | 'allow_in_plan_mode'): Promise<McpServerConfig | undefined> {
    const config = await this.resolve(arg);
    const next = config && await this.update(config, { [field]: !config[field] });
    if (next) {
      const what = field === 'model_intent' ? 'model_intent' : 'plan mode';
      void vscode.window.showInformationMessage(`MCP server "${next.display_name}": ${what} ${next[field] ? 'on' : 'off'}.`);
    }
    return next;
  }

  async importNow(): Promise<void> {
    const summaries = await this.importer.importAll();
    await this.tree.reload();
    const parts = summaries.map((s) => (s.error ? `${s.source}: ${s.error}` : `${s.source}: ${s.result?.imported.length ?? 0} imported` +
      (s.result?.skipped.length ? `, ${s.result.skipped.length} skipped (${s.result.skipped.map((k) => `${k.name}: ${k.reason}`).join('; ')})` : '')));
    const failed = summaries.some((s) => s.error || s.result?.skipped.length);
    const message = `Local Agents: MCP import: ${parts.join(' · ') || 'no mcp.json to read (an untrusted workspace is not read)'}`;
    if (failed) void vscode.window.showWarningMessage(message);
    else void vscode.window.showInformationMessage(message);
  }

  register(): vscode.Disposable[] {
    const reg = vscode.commands.registerCommand;
    return [
      reg('localAgents.mcp.add', () => this.add()),
      reg('localAgents.mcp.edit', (a: ServerArg) => this.edit(a)),
      reg('localAgents.mcp.delete', (a: ServerArg, confirmed?: boolean) => this.delete(a, confirmed === true)),
      reg('localAgents.mcp.enable', (a: ServerArg) => this.setEnabled(a, true)),
      reg('localAgents.mcp.disable', (a: ServerArg) => this.setEnabled(a, false)),
      reg('localAgents.mcp.test', (a: ServerArg) => this.test(a)),
      reg('localAgents.mcp.connectOAuth', (a: ServerArg) => this.connect(a)),
      reg('localAgents.mcp.disconnectOAuth', (a: ServerArg) => this.disconnect(a)),
      reg('localAgents.mcp.allowTool', (a: ServerArg, tool?: string) => this.setToolAllowed(a, typeof tool === 'string' ? tool : undefined, true)),
      reg('localAgents.mcp.denyTool', (a: ServerArg, tool?: string) => this.setToolAllowed(a, typeof tool === 'string' ? tool : undefined, false)),
      reg('localAgents.mcp.setAvailability', (a: ServerArg) => this.setAvailability(a)),
      reg('localAgents.mcp.toggleModelIntent', (a: ServerArg) => this.toggle(a, 'model_intent')),
      reg('localAgents.mcp.togglePlanMode', (a: ServerArg) => this.toggle(a, 'allow_in_plan_mode')),
      reg('localAgents.mcp.importConfig', () => this.importNow()),
      reg('localAgents.mcp.refresh', () => this.tree.reload()),
    ];
  }
}
