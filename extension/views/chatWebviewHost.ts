// One chat webview (the sidebar view or an editor tab): its HTML with a strict CSP, and the relay
// between the webview and the server. It decides nothing itself.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { GetFileChangeContent, InterruptChat, MarkChatRead } from '../../server/protocol/methods';
import { WEBVIEW_COMMANDS, type HostToWebview, type WebviewToHost } from '../../server/protocol/webview';
import type { FilePart } from '../../server/protocol';
import { currentWorkspace, readConfig } from '../config';
import type { AgentsContext } from '../context';
import { showChangeDiff, showDiff } from './diffContent';
import { ProviderDraft } from '../providerSetup';
import { relayRequest, webviewHtml, webviewOptions } from './webviewShell';
import { realPathSync, relativeToRoots } from '../../server/tools/pathGuard';

const MAX_ATTACH_BYTES = 1024 * 1024;

export function chatHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return webviewHtml(webview, extensionUri, { title: 'Local Agents', script: 'dist/webview.js', styles: ['dist/codicon.css', 'media/chat.css'], testId: 'chat-root' });
}

export class ChatWebviewHost implements vscode.Disposable {
  chatId: string | null;
  /** Subagent chats whose inline transcripts are open in this view (see the webview's follow message). */
  private followed = new Set<string>();
  private readonly providerDraft: ProviderDraft;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: AgentsContext, readonly webview: vscode.Webview, initialChat: string | null, private readonly isVisible: () => boolean) {
    this.chatId = initialChat;
    this.providerDraft = new ProviderDraft(ctx);
    webview.options = webviewOptions(ctx.ext.extensionUri);
    webview.html = chatHtml(webview, ctx.ext.extensionUri);
    this.disposables.push(
      webview.onDidReceiveMessage((m: WebviewToHost) => void this.onMessage(m)),
      ctx.server.onStream.event((p) => {
        if (this.followed.has(p.chat_id)) this.post({ type: 'stream', chatId: p.chat_id, events: p.events });
        if (p.chat_id !== this.chatId) return;
        this.post({ type: 'stream', chatId: p.chat_id, events: p.events });
        // A turn that ends while the user is looking at it is read.
        if (this.isVisible() && p.events.some((e) => e.type === 'status' && e.status !== 'running' && e.status !== 'pending')) void this.markRead(p.chat_id);
      }),
      ctx.server.onWatch.event((event) => this.post({ type: 'watch', event })),
    );
  }

  post(msg: HostToWebview): void {
    void this.webview.postMessage(msg);
  }

  /** Set before the webview is ready: the message the first showing opens at (a search hit). */
  pendingMessageId: number | undefined;

  show(chatId: string | null, messageId?: number): void {
    if (this.chatId && this.chatId !== chatId) void this.markRead(this.chatId); // leaving
    this.chatId = chatId;
    this.post({ type: 'showChat', chatId, ...(messageId !== undefined ? { messageId } : {}) });
    if (chatId) void this.markRead(chatId); // opening
  }

  async stop(): Promise<void> {
    if (this.chatId) await this.ctx.request(InterruptChat, { chat_id: this.chatId });
  }

  markRead(chatId: string): Promise<unknown> {
    return this.ctx.request(MarkChatRead, { chat_id: chatId }).catch(() => undefined);
  }

  private async onMessage(m: WebviewToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        await this.ctx.server.start().catch(() => undefined);
        this.post({ type: 'init', chatId: this.chatId, trusted: vscode.workspace.isTrusted, workspace: currentWorkspace().workspace, defaultModel: readConfig().defaultModel });
        if (this.chatId && this.pendingMessageId !== undefined) this.post({ type: 'showChat', chatId: this.chatId, messageId: this.pendingMessageId });
        this.pendingMessageId = undefined;
        if (this.chatId) void this.markRead(this.chatId);
        return;
      case 'request':
        return this.relay(m.id, m.method, m.params);
      case 'viewing':
        if (m.chatId !== this.chatId) this.show(m.chatId);
        return;
      case 'follow':
        this.followed = new Set(m.chatIds.filter((id) => id !== this.chatId));
        return;
      case 'openDiff':
        return showDiff(m.path, m.before, m.after);
      case 'openChangeDiff': {
        const side = await this.ctx.request(GetFileChangeContent, { chat_id: m.chatId, change_id: m.changeId, side: 'before' }).catch(() => undefined);
        if (side) await showChangeDiff(side.path, side.content, side.exists);
        return;
      }
      case 'openFile':
        await vscode.window.showTextDocument(vscode.Uri.file(m.path), { preview: false });
        return;
      case 'attachFiles':
        this.post({ type: 'attached', requestId: m.requestId, parts: await pickAttachments() });
        return;
      case 'runCommand':
        if ((WEBVIEW_COMMANDS as readonly string[]).includes(m.command)) await vscode.commands.executeCommand(m.command);
        return;
      case 'providerSetup':
        this.post(await this.providerDraft.handle(m));
        return;
    }
  }

  private async relay(id: number, method: string, params: unknown): Promise<void> {
    this.post(await relayRequest(this.ctx, id, method, params));
  }

  dispose(): void {
    if (this.chatId) void this.markRead(this.chatId);
    for (const d of this.disposables) d.dispose();
  }
}

/** Files the user picks are attached as text parts (workspace-relative name, content inline). */
async function pickAttachments(): Promise<FilePart[]> {
  const uris = await vscode.window.showOpenDialog({ canSelectMany: true, openLabel: 'Attach', defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
  const parts: FilePart[] = [];
  const roots = currentWorkspace().folders;
  for (const uri of uris ?? []) {
    // Only files of the workspace travel with a chat (symlinks resolved), as the server checks too.
    if (relativeToRoots(roots, realPathSync(uri.fsPath)) === null) {
      void vscode.window.showWarningMessage(`${path.basename(uri.fsPath)} is outside the workspace and was not attached.`);
      continue;
    }
    const size = statSync(uri.fsPath).size;
    if (size > MAX_ATTACH_BYTES) {
      void vscode.window.showWarningMessage(`${path.basename(uri.fsPath)} is larger than 1 MB and was not attached.`);
      continue;
    }
    const buf = readFileSync(uri.fsPath);
    if (buf.includes(0)) {
      void vscode.window.showWarningMessage(`${path.basename(uri.fsPath)} is a binary file and was not attached.`);
      continue;
    }
    parts.push({ type: 'file', name: vscode.workspace.asRelativePath(uri), media_type: 'text/plain', path: uri.fsPath, content: buf.toString('utf8') });
  }
  return parts;
}
