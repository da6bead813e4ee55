// Starts the agent server with vscode-languageclient (JSON-RPC over stdio), lazily, restarts it when it
// crashes, and hands notifications to the rest of the extension.
import path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import type { ChatStreamNotificationParams, ChatWatchEvent } from '../server/protocol/requests';
import { ChatStreamNotification, ChatWatchNotification } from '../server/protocol/methods';
import { currentWorkspace, readConfig, serverSettingsParams } from './config';
import { loadLanguageClient } from './lazyBundles';

export interface RequestDef<P, R> { method: string; _p?: P; _r?: R }

const MAX_RESTARTS = 5;

export class ServerClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  private restarts = 0;
  /** Server → client requests and extra notifications, registered by features before or after start. */
  private readonly requestHandlers = new Map<string, (params: unknown) => unknown>();
  private readonly notificationHandlers = new Map<string, Array<(params: unknown) => void>>();
  readonly onWatch = new vscode.EventEmitter<ChatWatchEvent>();
  readonly onStream = new vscode.EventEmitter<ChatStreamNotificationParams>();
  /** Fired after every (re)start, so keys and settings are handed over again. */
  readonly onReady = new vscode.EventEmitter<void>();

  constructor(private readonly extensionPath: string, private readonly log: vscode.OutputChannel, private readonly serverLog: vscode.OutputChannel) {}

  get started(): boolean {
    return !!this.client;
  }

  start(): Promise<LanguageClient> {
    if (this.client) return Promise.resolve(this.client);
    this.starting ??= this.doStart().finally(() => { this.starting = undefined; });
    return this.starting;
  }

  /** Answers a request the server sends to the extension (e.g. an MCP elicitation form). */
  onServerRequest<P, R>(method: string, handler: (params: P) => R | Promise<R>): void {
    this.requestHandlers.set(method, handler as (params: unknown) => unknown);
    this.client?.onRequest(method, handler);
  }

  /** Several features may follow the same notification. */
  onServerNotification<P>(method: string, handler: (params: P) => void): void {
    const list = this.notificationHandlers.get(method);
    if (list) {
      list.push(handler as (params: unknown) => void);
      return;
    }
    this.notificationHandlers.set(method, [handler as (params: unknown) => void]);
    this.client?.onNotification(method, (p: unknown) => this.notify(method, p));
  }

  private notify(method: string, params: unknown): void {
    for (const h of this.notificationHandlers.get(method) ?? []) h(params);
  }

  async request<R>(method: string, params: unknown): Promise<R> {
    const client = await this.start();
    return client.sendRequest<R>(method, params);
  }

  private async doStart(): Promise<LanguageClient> {
    // Loaded on first use, from its own bundle (see languageClient.ts), not at activation.
    const { CloseAction, ErrorAction, LanguageClient } = loadLanguageClient();
    const cfg = readConfig();
    const ws = currentWorkspace();
    const serverModule = path.join(this.extensionPath, 'dist', 'server.js');
    const env = { ...process.env, LOCAL_AGENTS_LOG_LEVEL: cfg.logLevel };
    const serverOptions: ServerOptions = {
      run: { command: cfg.nodePath, args: [serverModule, '--stdio'], options: { env } },
      debug: { command: cfg.nodePath, args: ['--inspect=6019', serverModule, '--stdio'], options: { env } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [],
      outputChannel: this.serverLog,
      initializationOptions: {
        dbPath: cfg.dataLocation ? path.join(cfg.dataLocation, 'chats.db') : undefined,
        workspace: ws.workspace,
        workspaceFolders: ws.folders,
        trusted: vscode.workspace.isTrusted,
        // In force before the first turn; every (re)start hands the current ones over again.
        settings: serverSettingsParams(),
      },
      errorHandler: {
        error: () => ({ action: ErrorAction.Continue }),
        closed: () => {
          if (this.restarts >= MAX_RESTARTS) {
            void vscode.window.showErrorMessage(`Local Agents server stopped ${MAX_RESTARTS} times and will not be restarted. See "Local Agents: Show Logs".`);
            return { action: CloseAction.DoNotRestart, handled: true };
          }
          this.restarts++;
          void vscode.window.showWarningMessage('Local Agents server stopped unexpectedly; restarting it. Running turns continue after the restart.');
          return { action: CloseAction.Restart, handled: true };
        },
      },
    };
    const client = new LanguageClient('localAgents', 'Local Agents Server', serverOptions, clientOptions);
    this.log.appendLine(`[${new Date().toISOString()}] starting server: ${cfg.nodePath} ${serverModule}`);
    client.onNotification(ChatWatchNotification.method, (e: ChatWatchEvent) => this.onWatch.fire(e));
    client.onNotification(ChatStreamNotification.method, (e: ChatStreamNotificationParams) => this.onStream.fire(e));
    for (const [method, handler] of this.requestHandlers) client.onRequest(method, handler);
    for (const method of this.notificationHandlers.keys()) client.onNotification(method, (p: unknown) => this.notify(method, p));
    client.onDidChangeState((e) => {
      // State 2 = Running: after a crash restart the keys must be handed over again.
      if (e.newState === 2 && this.client) this.onReady.fire();
    });
    try {
      await client.start();
    } catch (err) {
      const msg = `Local Agents server failed to start with "${cfg.nodePath}": ${(err as Error).message}. If better-sqlite3 reports a NODE_MODULE_VERSION mismatch, set "localAgents.server.nodePath" to the Node it was built for.`;
      this.log.appendLine(msg);
      void vscode.window.showErrorMessage(msg, 'Show Logs').then((a) => { if (a) this.serverLog.show(); });
      throw err;
    }
    this.client = client;
    this.onReady.fire();
    return client;
  }

  async dispose(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (c) await c.stop(5000).catch(() => undefined);
    this.onWatch.dispose();
    this.onStream.dispose();
    this.onReady.dispose();
  }
}
