// The one object the extension's parts share: the server client, secrets, the chat index and the panels.
import * as vscode from 'vscode';
import { GetChat, ListProviders, type RequestEntry, McpServersChangedNotification, SetProviderKey, SetWorkspace, UpdateSettings } from '../server/protocol/methods';
import type { Chat } from '../server/protocol';
import { currentWorkspace, readPermissionConfig, serverSettingsParams } from './config';
import { ProviderSecrets } from './secrets';
import { ServerClient } from './serverClient';
import { ChatIndex } from './views/chatIndex';
import type { ChatPanels } from './views/chatPanel';
import type { ManagePanel } from './views/managePanel';
import { SpendStatusBar } from './views/spendStatusBar';
import { handOverUserSecrets } from './userSecrets';
import { handOverGitHubSessions } from './githubSession';

export class AgentsContext implements vscode.Disposable {
  readonly log: vscode.OutputChannel;
  readonly serverLog: vscode.OutputChannel;
  readonly server: ServerClient;
  readonly secrets: ProviderSecrets;
  readonly index: ChatIndex;
  readonly spend: SpendStatusBar;
  panels!: ChatPanels;
  manage!: ManagePanel;
  readonly disposables: vscode.Disposable[] = [];

  constructor(readonly ext: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('Local Agents');
    this.serverLog = vscode.window.createOutputChannel('Local Agents Server');
    this.server = new ServerClient(ext.extensionPath, this.log, this.serverLog, ext.globalStorageUri.fsPath);
    this.secrets = new ProviderSecrets(ext.secrets);
    this.index = new ChatIndex(this);
    this.index.showApiChats = ext.workspaceState.get<boolean>('localAgents.showApiChats', true);
    this.spend = new SpendStatusBar(this);
    this.server.onServerNotification(McpServersChangedNotification, () => this.panels?.broadcast({ type: 'mcpServersChanged' }));
    this.disposables.push(
      this.log, this.serverLog, this.spend,
      this.server.onReady.event(() => void this.handOver()),
      this.server.onWatch.event((e) => this.index.apply(e.kind, e.chat)),
      this.secrets.onDidChange((id) => void this.pushKey(id)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.pushWorkspace()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.pushWorkspace()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        // Another Node, or the API turned on/off or moved: the server starts again with it.
        const restart = ['server.nodePath', 'api.enabled', 'api.port'].some((k) => e.affectsConfiguration(`localAgents.${k}`));
        if (restart && (this.server.started || this.server.hasFailed)) void this.server.restart().catch(() => undefined);
        if (['exploreModel', 'computerUse', 'planDirectory', 'permissions', 'commandEnv', 'api.dynamicToolTimeoutSeconds', 'usage', 'github'].some((k) => e.affectsConfiguration(`localAgents.${k}`))) void this.pushSettings();
      }),
    );
  }

  /** Any request of the table (the extension speaks JSON-RPC, which serves them all), typed by its entry. */
  request<P, R>(def: RequestEntry<P, R, never>, params: NoInfer<P>): Promise<R> {
    return this.server.request<R>(def.method, params);
  }

  async chat(id: string): Promise<Chat> {
    return this.request(GetChat, { chat_id: id });
  }

  /** After every server start: keys and user secrets from SecretStorage, workspace and settings, the GitHub session, then the trees and the spend. */
  private async handOver(): Promise<void> {
    try {
      const providers = await this.request(ListProviders, {});
      for (const p of providers) await this.pushKey(p.id);
      await handOverUserSecrets(this).catch((err: unknown) => this.log.appendLine(`user secrets not handed over: ${(err as Error).message}`));
      await this.pushSettings();
      await handOverGitHubSessions(this);
      await this.index.reload();
    } catch (err) {
      this.log.appendLine(`hand-over to the server failed: ${(err as Error).message}`);
    }
  }

  async pushKey(providerId: string): Promise<void> {
    if (!this.server.started) return;
    const key = await this.secrets.get(providerId);
    // An env-preset provider has its key from the environment; only keys the user stored are sent.
    if (key !== undefined) await this.request(SetProviderKey, { provider_id: providerId, api_key: key }).catch(() => undefined);
  }

  private async pushWorkspace(): Promise<void> {
    if (!this.server.started) return;
    const ws = currentWorkspace();
    await this.request(SetWorkspace, { workspace: ws.workspace, folders: ws.folders, trusted: vscode.workspace.isTrusted });
    this.panels?.broadcast({ type: 'trust', trusted: vscode.workspace.isTrusted });
  }

  /** The server decides with VS Code's settings: handed over after every start and on every change. */
  private async pushSettings(): Promise<void> {
    if (!this.server.started) return;
    for (const key of readPermissionConfig().ignored) this.warnOnce(`${key} in this workspace's settings is ignored: only your user settings may allow or lower approvals.`);
    try {
      const info = await this.request(UpdateSettings, serverSettingsParams());
      if (/treated as unset/.test(info.explore_model_status)) {
        this.log.appendLine(`localAgents.exploreModel: ${info.explore_model_status}`);
        void vscode.window.showWarningMessage(`Local Agents: ${info.explore_model_status}. Explore agents use the model of the turn that starts them.`);
      }
      for (const e of info.permissions.errors) this.warnOnce(`A permission rule is ignored: ${e}`);
      // The limits in force may have changed: the status bar says so now, not after the next request.
      void this.spend.refresh();
    } catch (err) {
      this.log.appendLine(`settings rejected by the server: ${(err as Error).message}`);
      void vscode.window.showErrorMessage(`Local Agents: the settings were refused: ${(err as Error).message}`);
    }
  }

  private readonly warned = new Set<string>();
  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.log.appendLine(message);
    void vscode.window.showWarningMessage(`Local Agents: ${message}`, 'Open Settings').then((a) => {
      if (a) void vscode.commands.executeCommand('workbench.action.openSettings', 'localAgents.permissions');
    });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    void this.server.dispose();
  }
}
