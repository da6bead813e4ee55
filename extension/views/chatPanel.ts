// The chat views: one in the Local Agents sidebar container, plus any number of editor tabs.
import * as vscode from 'vscode';
import type { HostToWebview } from '../../server/protocol/webview';
import type { AgentsContext } from '../context';
import { ChatWebviewHost } from './chatWebviewHost';

export const CHAT_VIEW_ID = 'localAgents.chatView';

export class ChatPanels implements vscode.WebviewViewProvider, vscode.Disposable {
  private sidebar: ChatWebviewHost | undefined;
  private sidebarView: vscode.WebviewView | undefined;
  private readonly editors = new Set<{ host: ChatWebviewHost; panel: vscode.WebviewPanel }>();
  /** The chat view the user touched last: commands like Stop act on it. */
  private active: ChatWebviewHost | undefined;
  private pendingChat: string | null = null;
  private pendingMessageId: number | undefined;

  constructor(private readonly ctx: AgentsContext) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.sidebarView = view;
    this.sidebar = new ChatWebviewHost(this.ctx, view.webview, this.pendingChat, () => view.visible);
    this.sidebar.pendingMessageId = this.pendingMessageId;
    this.active = this.sidebar;
    view.onDidChangeVisibility(() => {
      if (view.visible) this.active = this.sidebar;
      else if (this.sidebar?.chatId) void this.sidebar.markRead(this.sidebar.chatId); // leaving
    });
    view.onDidDispose(() => {
      this.sidebar?.dispose();
      this.sidebar = undefined;
      this.sidebarView = undefined;
    });
  }

  /** Shows a chat (or a new, empty one) in the sidebar view; `messageId`: at that message (a search hit). */
  async showInSidebar(chatId: string | null, messageId?: number): Promise<void> {
    this.pendingChat = chatId;
    this.pendingMessageId = messageId;
    const existed = !!this.sidebar;
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
    this.pendingMessageId = undefined;
    if (this.sidebar) {
      // A view resolved just now opens the chat itself when its webview is ready.
      if (existed || messageId === undefined) this.sidebar.show(chatId, messageId);
      this.active = this.sidebar;
    }
    this.sidebarView?.show?.(false);
  }

  openInEditor(chatId: string | null, title = 'Local Agents'): void {
    const panel = vscode.window.createWebviewPanel('localAgents.chatEditor', title, vscode.ViewColumn.Active, { retainContextWhenHidden: true });
    panel.iconPath = vscode.Uri.joinPath(this.ctx.ext.extensionUri, 'media', 'icon.svg');
    const host = new ChatWebviewHost(this.ctx, panel.webview, chatId, () => panel.visible);
    const entry = { host, panel };
    this.editors.add(entry);
    this.active = host;
    panel.onDidChangeViewState(() => {
      if (panel.active) this.active = host;
      else if (host.chatId) void host.markRead(host.chatId);
    });
    panel.onDidDispose(() => {
      host.dispose();
      this.editors.delete(entry);
      if (this.active === host) this.active = this.sidebar;
    });
  }

  /** Chats a visible view shows now (the sidebar when open, editor tabs in front). */
  visibleChatIds(): string[] {
    const ids: string[] = [];
    if (this.sidebarView?.visible && this.sidebar?.chatId) ids.push(this.sidebar.chatId);
    for (const e of this.editors) if (e.panel.visible && e.host.chatId) ids.push(e.host.chatId);
    return ids;
  }

  get activeHost(): ChatWebviewHost | undefined {
    return this.active ?? this.sidebar;
  }

  broadcast(msg: HostToWebview): void {
    this.sidebar?.post(msg);
    for (const e of this.editors) e.host.post(msg);
    // The management panel lists providers too.
    if (msg.type === 'providersChanged') this.ctx.manage?.post(msg);
  }

  dispose(): void {
    this.sidebar?.dispose();
    for (const e of this.editors) e.panel.dispose();
  }
}
