// The management panel (an editor tab): providers and models, usage, the request log, user secrets and their
// audit, one tab each. Requests the table exposes to webviews are relayed as the chat view's are; whatever
// touches a key, a secret value, a file or needs a confirmation is a host step (ProviderDraft, userSecrets.ts).
import * as vscode from 'vscode';
import { DeleteProvider } from '../../server/protocol/methods';
import type { HostToWebview, ManageTab, WebviewToHost } from '../../server/protocol/webview';
import { currentWorkspace } from '../config';
import type { AgentsContext } from '../context';
import { errorFields, ProviderDraft } from '../providerSetup';
import { askSecretValue, Cancelled, createUserSecret, deleteUserSecret, updateUserSecret } from '../userSecrets';
import { relayRequest, webviewHtml, webviewOptions } from './webviewShell';

type ManageMessage = Extract<WebviewToHost, { type: 'manage' }>;
type ManageResult = Extract<HostToWebview, { type: 'manageResult' }>;

const TITLES: Record<ManageTab, string> = {
  providers: 'Providers and Models', usage: 'Usage', requests: 'Request Log', secrets: 'Secrets', audit: 'Secrets Audit',
};

export class ManagePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private tab: ManageTab = 'providers';
  private ready = false;
  private draft: ProviderDraft | undefined;
  private panelDisposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: AgentsContext) {}

  /** Opens the panel (or brings it to the front) on this tab. */
  show(tab: ManageTab): void {
    this.tab = tab;
    if (this.panel) {
      this.panel.reveal();
      if (this.ready) this.post({ type: 'showTab', tab });
      this.panel.title = `Local Agents: ${TITLES[tab]}`;
      return;
    }
    const panel = vscode.window.createWebviewPanel('localAgents.manage', `Local Agents: ${TITLES[tab]}`, vscode.ViewColumn.Active, { retainContextWhenHidden: true });
    this.panel = panel;
    this.ready = false;
    panel.iconPath = vscode.Uri.joinPath(this.ctx.ext.extensionUri, 'media', 'icon.svg');
    panel.webview.options = webviewOptions(this.ctx.ext.extensionUri);
    panel.webview.html = webviewHtml(panel.webview, this.ctx.ext.extensionUri, {
      title: 'Local Agents', script: 'dist/manage.js', styles: ['dist/codicon.css', 'dist/uplot.css', 'media/chat.css', 'media/manage.css'], testId: 'manage-root',
    });
    this.draft = new ProviderDraft(this.ctx);
    this.panelDisposables = [
      panel.webview.onDidReceiveMessage((m: WebviewToHost) => void this.onMessage(m)),
      this.ctx.spend.onChange((spend) => this.post({ type: 'usageChanged', spend })),
      panel.onDidDispose(() => {
        for (const d of this.panelDisposables) d.dispose();
        this.panelDisposables = [];
        this.panel = undefined;
      }),
    ];
  }

  /** The chat views and this panel show providers: both hear of a change. */
  post(msg: HostToWebview): void {
    void this.panel?.webview.postMessage(msg);
  }

  private async onMessage(m: WebviewToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        await this.ctx.server.start().catch(() => undefined);
        this.ready = true;
        this.post({ type: 'manageInit', tab: this.tab, workspace: currentWorkspace().workspace });
        return;
      case 'request':
        this.post(await relayRequest(this.ctx, m.id, m.method, m.params));
        return;
      case 'providerSetup':
        if (this.draft) this.post(await this.draft.handle(m));
        return;
      case 'manage':
        this.post(await this.handle(m));
        return;
      case 'runCommand':
        await vscode.commands.executeCommand(m.command);
        return;
      default:
        return;
    }
  }

  private async handle(m: ManageMessage): Promise<ManageResult> {
    const done = (r: Omit<ManageResult, 'type' | 'requestId'>): ManageResult => ({ type: 'manageResult', requestId: m.requestId, ...r });
    try {
      switch (m.op) {
        case 'deleteProvider': {
          const answer = await vscode.window.showWarningMessage('Delete this provider? Its model configs are removed too; old chats keep showing their model.', { modal: true }, 'Delete');
          if (answer !== 'Delete') return done({ ok: false, cancelled: true });
          await this.ctx.request(DeleteProvider, { provider_id: m.provider_id });
          await this.ctx.secrets.delete(m.provider_id);
          this.ctx.panels.broadcast({ type: 'providersChanged' });
          return done({ ok: true });
        }
        case 'createSecret':
          await createUserSecret(this.ctx, m, await askSecretValue(m.name, false));
          return done({ ok: true });
        case 'updateSecret':
          await updateUserSecret(this.ctx, m.secret_id, m, m.change_value ? await askSecretValue(m.name, true) : undefined);
          return done({ ok: true });
        case 'deleteSecret': {
          const answer = await vscode.window.showWarningMessage('Delete this secret? Commands no longer get it; its value is removed from VS Code\'s secret storage.', { modal: true }, 'Delete');
          if (answer !== 'Delete') return done({ ok: false, cancelled: true });
          await deleteUserSecret(this.ctx, m.secret_id);
          return done({ ok: true });
        }
        case 'exportCsv': {
          const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
          const target = await vscode.window.showSaveDialog({
            title: 'Local Agents: export usage', saveLabel: 'Export', filters: { CSV: ['csv'] },
            ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, m.file_name) } : {}),
          });
          if (!target) return done({ ok: false, cancelled: true });
          await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(m.csv));
          void vscode.window.showInformationMessage(`Local Agents: usage exported to ${vscode.workspace.asRelativePath(target)}.`);
          return done({ ok: true });
        }
        case 'openChat':
          await this.ctx.panels.showInSidebar(m.chat_id);
          return done({ ok: true });
      }
    } catch (err) {
      if (err instanceof Cancelled) return done({ ok: false, cancelled: true });
      return done({ ok: false, ...errorFields(err) });
    }
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
