// Starts the agent server with vscode-languageclient (JSON-RPC over stdio), lazily, on the Node that comes
// with the extension (serverRuntime.ts). A server that cannot start is not retried in a loop: attempts back
// off and stop after a few, with one notification, and every process of a failed attempt is ended. A server
// that crashes after it ran is restarted a few times.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import {
  ChatStreamNotification, ChatWatchNotification, type ChatStreamNotificationParams, type ChatWatchEvent, type ClientRequestEntry, type NotificationEntry,
} from '../server/protocol/methods';
import { currentWorkspace, readConfig, serverSettingsParams } from './config';
import { loadLanguageClient } from './lazyBundles';
import { checkRuntime, readNativeInfo, resolveRuntime } from './serverRuntime';
import { redactingChannel } from './traceRedaction';


const MAX_RESTARTS = 5;
/** Start attempts before giving up until the user restarts (or changes the Node setting). */
export const MAX_START_ATTEMPTS = 3;
/** Wait before the next attempt after the n-th failure. */
const START_BACKOFF_MS = [2_000, 10_000];
/** An initialize that takes longer than this is a failed start (the process is ended). */
const START_TIMEOUT_MS = 30_000;

export class ServerStartError extends Error {}

export class ServerClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  private restarts = 0;
  private failures = 0;
  private retryAt = 0;
  private lastFailure: ServerStartError | undefined;
  /** Every server process this client spawned that may still be alive. */
  private readonly processes = new Set<ChildProcess>();
  /** Server → client requests and extra notifications, registered by features before or after start. */
  private readonly requestHandlers = new Map<string, (params: unknown) => unknown>();
  private readonly notificationHandlers = new Map<string, Array<(params: unknown) => void>>();
  readonly onWatch = new vscode.EventEmitter<ChatWatchEvent>();
  readonly onStream = new vscode.EventEmitter<ChatStreamNotificationParams>();
  /** Fired after every (re)start, so keys and settings are handed over again. */
  readonly onReady = new vscode.EventEmitter<void>();

  constructor(
    private readonly extensionPath: string,
    private readonly log: vscode.OutputChannel,
    private readonly serverLog: vscode.OutputChannel,
    /** This user's storage for the extension: V8's compile cache of the server bundle lives there. */
    private readonly storagePath: string,
  ) {}

  get started(): boolean {
    return !!this.client;
  }

  get hasFailed(): boolean {
    return !!this.lastFailure;
  }

  /** How many server processes were spawned and are still running (tests count them). */
  get liveProcesses(): number {
    return [...this.processes].filter((p) => p.exitCode === null && p.signalCode === null).length;
  }

  start(): Promise<LanguageClient> {
    if (this.client) return Promise.resolve(this.client);
    if (this.lastFailure && (this.failures >= MAX_START_ATTEMPTS || Date.now() < this.retryAt)) return Promise.reject(this.lastFailure);
    this.starting ??= this.doStart().finally(() => { this.starting = undefined; });
    return this.starting;
  }

  /** After the user changed the Node setting or asked for it: forget past failures and start again. */
  async restart(): Promise<void> {
    this.failures = 0;
    this.retryAt = 0;
    this.lastFailure = undefined;
    this.restarts = 0;
    const c = this.client;
    this.client = undefined;
    if (c) await c.stop(5000).catch(() => undefined);
    this.killAll();
    await this.start();
  }

  /** Answers a request the server sends to the extension (e.g. an MCP elicitation form). */
  onServerRequest<P, R>(entry: ClientRequestEntry<P, R>, handler: (params: P) => R | Promise<R>): void {
    this.requestHandlers.set(entry.method, handler as (params: unknown) => unknown);
    this.client?.onRequest(entry.method, handler);
  }

  /** Several features may follow the same notification. */
  onServerNotification<P>(entry: NotificationEntry<P>, handler: (params: P) => void): void {
    const method = entry.method;
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

  private fail(message: string, final: boolean): ServerStartError {
    this.failures = final ? MAX_START_ATTEMPTS : this.failures + 1;
    this.retryAt = Date.now() + (START_BACKOFF_MS[this.failures - 1] ?? 0);
    const giveUp = this.failures >= MAX_START_ATTEMPTS;
    this.log.appendLine(`[${new Date().toISOString()}] server start failed (attempt ${this.failures}${giveUp ? ', not retried until "Local Agents: Restart Server" or a change of localAgents.server.nodePath' : ''}): ${message}`);
    // One notification per streak of failures, not one per attempt.
    if (!this.lastFailure) {
      void vscode.window.showErrorMessage(`Local Agents cannot start its server. ${message}`, 'Open Settings', 'Show Logs').then((a) => {
        if (a === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'localAgents.server.nodePath');
        if (a === 'Show Logs') this.serverLog.show();
      });
    }
    this.lastFailure = new ServerStartError(message);
    return this.lastFailure;
  }

  private killAll(): void {
    for (const p of this.processes) {
      if (p.exitCode !== null || p.signalCode !== null) continue;
      this.log.appendLine(`ending server process ${p.pid ?? '?'}`);
      p.kill('SIGKILL');
    }
  }

  private async doStart(): Promise<LanguageClient> {
    const cfg = readConfig();
    const runtime = resolveRuntime(cfg.nodePath, this.extensionPath);
    const check = await checkRuntime(runtime, readNativeInfo(this.extensionPath));
    // A wrong Node does not get better by retrying: no process is started, and no retry until the setting changes.
    if (!check.ok) throw this.fail(check.message, true);
    // Loaded on first use, from its own bundle (see languageClient.ts), not at activation.
    const { CloseAction, ErrorAction, LanguageClient } = loadLanguageClient();
    const ws = currentWorkspace();
    const serverModule = path.join(this.extensionPath, 'dist', 'server.js');
    // Node 22+ keeps the server bundle's compiled code between starts (~50 ms of a ~450 ms start); older Nodes
    // ignore the variable. A folder of this user's, never a shared temp dir: the cache holds code Node runs.
    const env = { ...process.env, LOCAL_AGENTS_LOG_LEVEL: cfg.logLevel, NODE_COMPILE_CACHE: path.join(this.storagePath, 'compile-cache') };
    let ran = false;
    let closedEarly: (err: Error) => void = () => undefined;
    const earlyClose = new Promise<never>((_, reject) => { closedEarly = reject; });
    earlyClose.catch(() => undefined);
    // The client spawns through this function, so every process is known and can be ended.
    const serverOptions: ServerOptions = async () => {
      const child = spawn(runtime.command, [serverModule, '--stdio'], { env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
      this.processes.add(child);
      this.log.appendLine(`server process ${child.pid ?? '?'} started`);
      child.once('exit', (code, signal) => {
        this.processes.delete(child);
        this.log.appendLine(`server process ${child.pid ?? '?'} exited (${signal ?? code})`);
      });
      return child;
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [],
      outputChannel: this.serverLog,
      traceOutputChannel: redactingChannel(this.serverLog),
      initializationOptions: {
        dbPath: cfg.dataLocation ? path.join(cfg.dataLocation, 'chats.db') : undefined,
        workspace: ws.workspace,
        workspaceFolders: ws.folders,
        trusted: vscode.workspace.isTrusted,
        // In force before the first turn; every (re)start hands the current ones over again.
        settings: serverSettingsParams(),
        api: { enabled: cfg.api.enabled, port: cfg.api.port },
      },
      errorHandler: {
        error: () => ({ action: ErrorAction.Continue }),
        closed: () => {
          // A server that never came up is a failed start (handled below), never restarted from here.
          if (!ran) {
            closedEarly(new Error('the server closed the connection before it answered'));
            return { action: CloseAction.DoNotRestart, handled: true };
          }
          if (this.restarts >= MAX_RESTARTS) {
            void vscode.window.showErrorMessage(`Local Agents server stopped ${MAX_RESTARTS} times and will not be restarted. See "Local Agents: Show Logs"; "Local Agents: Restart Server" starts it again.`);
            return { action: CloseAction.DoNotRestart, handled: true };
          }
          this.restarts++;
          if (this.restarts === 1) void vscode.window.showWarningMessage('Local Agents server stopped unexpectedly; restarting it. Running turns continue after the restart.');
          return { action: CloseAction.Restart, handled: true };
        },
      },
    };
    const client = new LanguageClient('localAgents', 'Local Agents Server', serverOptions, clientOptions);
    this.log.appendLine(`[${new Date().toISOString()}] starting server: ${runtime.command} (${runtime.source}, Node ${check.version}) ${serverModule}`);
    client.onNotification(ChatWatchNotification.method, (e: ChatWatchEvent) => this.onWatch.fire(e));
    client.onNotification(ChatStreamNotification.method, (e: ChatStreamNotificationParams) => this.onStream.fire(e));
    for (const [method, handler] of this.requestHandlers) client.onRequest(method, handler);
    for (const method of this.notificationHandlers.keys()) client.onNotification(method, (p: unknown) => this.notify(method, p));
    client.onDidChangeState((e) => {
      // State 2 = Running: after a crash restart the keys must be handed over again.
      if (e.newState === 2 && this.client) this.onReady.fire();
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.start(),
        earlyClose,
        new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`it did not answer within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS); }),
      ]);
      // The client can settle its start without a running server (a connection that closed during initialize).
      if (!client.isRunning()) throw new Error('the server stopped while starting');
    } catch (err) {
      // Every process of the failed attempt ends: none is left behind to retry on its own.
      await client.dispose(2000).catch(() => undefined);
      this.killAll();
      throw this.fail(`The server on "${runtime.command}" failed to start: ${(err as Error).message}. See "Local Agents: Show Logs".`, false);
    } finally {
      clearTimeout(timer);
    }
    ran = true;
    this.failures = 0;
    this.lastFailure = undefined;
    this.client = client;
    this.onReady.fire();
    return client;
  }

  async dispose(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (c) await c.stop(5000).catch(() => undefined);
    this.killAll();
    this.onWatch.dispose();
    this.onStream.dispose();
    this.onReady.dispose();
  }
}
