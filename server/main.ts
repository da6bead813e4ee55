// The server process: JSON-RPC over stdio (vscode-languageserver's connection), one client per process.
// It answers `initialize` like a language server so vscode-languageclient can start it.
import { spendStatus } from './usage/spendLimit';
import { throttled, type Throttled } from './util/time';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApiService } from './api/apiService';
import { createConnection, ResponseError, type InitializeParams } from 'vscode-languageserver/node';
import { createApp, type App } from './app';
import { connectMcpToRpc } from './mcp/rpcBridge';
import { fromZodError, toAppError } from './errors';
import { UpdateSettingsParams } from './protocol/requests';
import { defaultServerSettings, mergeSettings } from './settings/serverSettings';
import { dispatch } from './handlers';
import { log, setLogSink, type LogLevel } from './logger';
import { ChatStreamNotification, ChatWatchNotification, PermissionRulesAddedNotification, UsageChangedNotification, REQUESTS, type RequestName } from './protocol/methods';
import { defaultDbPath } from './util/dataDir';

export interface InitOptions {
  dbPath?: string;
  workspace?: string | null;
  workspaceFolders?: string[];
  trusted?: boolean;
  logLevel?: LogLevel;
  /** The client's settings (the same shape as localAgents/settings/update), in force before any turn runs. */
  settings?: unknown;
  /** The loopback HTTP API of this window's server (settings localAgents.api.enabled / .port; 0 = any free port). */
  api?: { enabled: boolean; port?: number };
  /** Test hooks: faster worker timers. */
  worker?: { pollMs?: number; heartbeatMs?: number; staleAfterMs?: number };
}

const APP_ERROR_CODE = -32000;

/** The status bar's spend needs no more than one update a second. */
const USAGE_NOTIFY_MS = 1000;

function main(): void {
  // Read by Node when this process started; the commands and MCP servers it starts must not write into that cache.
  delete process.env.NODE_COMPILE_CACHE;
  const connection = createConnection();
  let app: App | undefined;
  let closing: Promise<void> | undefined;
  /** Reads the database on a timer: cancelled before it closes (a late call threw and killed the server mid-shutdown). */
  let notifyUsage: Throttled | undefined;
  const close = () => (closing ??= (async () => {
    notifyUsage?.cancel();
    await app?.close();
  })());

  connection.onInitialize(async (params: InitializeParams) => {
    const opts = (params.initializationOptions ?? {}) as InitOptions;
    const folders = opts.workspaceFolders ?? params.workspaceFolders?.map((f) => fileURLToPath(f.uri)) ?? [];
    // Deny rules and modes must hold from the first turn on: bad settings fail the start, naming the field.
    const given = UpdateSettingsParams.safeParse(opts.settings ?? {});
    if (!given.success) throw new ResponseError(APP_ERROR_CODE, fromZodError(given.error, 'Invalid settings.').message);
    app = await createApp({
      settings: mergeSettings(defaultServerSettings(), given.data),
      dbPath: opts.dbPath || process.env.LOCAL_AGENTS_DB || defaultDbPath(),
      workspace: opts.workspace ?? folders[0] ?? null,
      workspaceFolders: folders,
      trusted: opts.trusted ?? true,
      worker: opts.worker,
    });
    const served = app;
    for (const [name, entry] of Object.entries(REQUESTS)) {
      const method = entry.method;
      connection.onRequest(method, async (raw: unknown) => {
        try {
          return await dispatch(served, name as RequestName, raw);
        } catch (err) {
          const e = toAppError(err);
          if (e.status >= 500) log.error(`${method} failed`, { error: e.message });
          return new ResponseError(APP_ERROR_CODE, e.message, e.toData());
        }
      });
    }
    // MCP: elicitation forms, OIDC tokens and secret changes go through the client.
    connectMcpToRpc(app.ctx, connection);
    app.ctx.client.permissionRulesAdded = (rules) => void connection.sendNotification(PermissionRulesAddedNotification.method, { rules });
    app.ctx.events.onWatch((kind, chat) => void connection.sendNotification(ChatWatchNotification.method, { kind, chat }));
    app.ctx.events.onStream((chatId, events) => void connection.sendNotification(ChatStreamNotification.method, { chat_id: chatId, events }));
    const servedCtx = app.ctx;
    notifyUsage = throttled(USAGE_NOTIFY_MS, () => void connection.sendNotification(UsageChangedNotification.method, { spend: spendStatus(servedCtx) }));
    app.ctx.events.onUsage(notifyUsage);
    if (opts.api?.enabled) {
      try {
        const service = await startApiService(app, { host: '127.0.0.1', port: opts.api.port ?? 0, dataDir: path.dirname(path.resolve(app.ctx.dbPath)) });
        const stop = app.close.bind(app);
        app.close = async () => { await service.close(); await stop(); };
      } catch (err) {
        // The chats work without it: say why the API is off, once.
        log.error('the HTTP API did not start', { error: (err as Error).message });
        void connection.window.showWarningMessage(`Local Agents: the HTTP API did not start: ${(err as Error).message}`);
      }
    }
    return { capabilities: {}, serverInfo: { name: 'local-agents-server', version: process.env.LOCAL_AGENTS_VERSION ?? '0.1.0' } };
  });
  connection.onShutdown(() => close());
  connection.onExit(() => void close().finally(() => process.exit(0)));
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => void close().finally(() => process.exit(0)));
  // Logs go to the client's output channel (stderr is kept for crashes before the connection exists).
  setLogSink((level, line) => {
    if (level === 'error') connection.console.error(line);
    else if (level === 'warn') connection.console.warn(line);
    else connection.console.log(line);
  });
  connection.listen();
}

main();
