// Builds the server's capabilities over one database file. Every adapter (JSON-RPC over stdio, the CLI,
// tests) goes through createApp and the request handlers in handlers.ts.
import { ComputerSessions } from './computer/sessions';
import { SecretValues } from './secrets/secretValues';
import { randomUUID } from 'node:crypto';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { Worker, newWorkerId, type WorkerOptions } from './agent/worker';
import type { AppContext, ClientHooks, ServerSettings, SettingsOwner, WorkspaceState } from './context';
import { ChatEvents } from './events';
import { log } from './logger';
import { applyEnvPreset, applyKeyEnvs, envSettings, type EnvSettings } from './models/envPreset';
import { ProviderKeys } from './models/providerKeys';
import { openDb } from './store/db';
import { closeMcpRuntime, mcpRuntime } from './mcp/runtime';
import { ProcessRegistry } from './tools/processRegistry';
import { ExternalChangeFeed } from './chats/externalChanges';
import { DiffStatusService } from './git/diffStatusService';
import { recordChatChanges } from './store/chatChanges';
import { chatModelSampler } from './mcp/sampling';
import { initShellParser } from './permissions/shellCommand';
import { defaultServerSettings } from './settings/serverSettings';

export interface AppOptions {
  dbPath: string;
  workspace?: string | null;
  workspaceFolders?: string[];
  trusted?: boolean;
  env?: EnvSettings;
  /** Where `--key-env` variables are read (default: this process's environment). */
  keyEnv?: NodeJS.ProcessEnv;
  worker?: WorkerOptions;
  settings?: Partial<ServerSettings>;
  /** Default: the client (the extension hands settings over and keeps "always allow" rules). */
  settingsOwner?: SettingsOwner;
  /** Default `suspend`: a call that needs approval waits in requires_action. The CLI refuses it instead. */
  onAsk?: 'suspend' | 'deny';
  /** Default `workspace`: chat requests act on this workspace's chats only. */
  scope?: 'workspace' | 'all';
  /** false: no worker (read-only CLI commands). */
  runTurns?: boolean;
}

export interface App {
  ctx: AppContext;
  worker: Worker | undefined;
  processes: ProcessRegistry;
  setWorkspace(ws: Partial<WorkspaceState> & { folders?: string[] }): void;
  close(): Promise<void>;
}

function realFolders(folders: string[]): string[] {
  return folders.map((f) => {
    try { return realpathSync(f); } catch { return path.resolve(f); }
  });
}

export async function createApp(opts: AppOptions): Promise<App> {
  // The grammar loads beside the rest of the start (it is ~70 ms of WebAssembly); a turn waits for it before gating.
  initShellParser().catch((err: unknown) => log.error('the shell command parser did not load: commands will ask', { error: String(err) }));
  const db = openDb(opts.dbPath);
  const processes = new ProcessRegistry();
  let worker: Worker | undefined;
  const ctx: AppContext = {
    db,
    dbPath: opts.dbPath,
    events: new ChatEvents(),
    keys: new ProviderKeys(),
    secretValues: new SecretValues(),
    workspace: {
      workspace: opts.workspace ?? null,
      folders: realFolders(opts.workspaceFolders ?? (opts.workspace ? [opts.workspace] : [])),
      trusted: opts.trusted ?? true,
      scope: opts.scope ?? 'workspace',
    },
    settings: { ...defaultServerSettings(), ...opts.settings },
    settingsOwner: opts.settingsOwner ?? { kind: 'client' },
    client: {} as ClientHooks,
    onAsk: opts.onAsk ?? 'suspend',
    apiUrl: null,
    workerId: newWorkerId(randomUUID()),
    now: () => Date.now(),
    wake: () => worker?.wake(),
    computer: new ComputerSessions(),
    abortLocalRun: (chatId, reason) => {
      worker?.abortLocal(chatId, reason);
      // A chat stopped while it waits for an approval has no run to abort, but may have a browser.
      void ctx.computer?.close(chatId);
    },
  };
  recordChatChanges(db, ctx.workerId);
  mcpRuntime(ctx).sampler = chatModelSampler(ctx);
  await applyEnvPreset(ctx, opts.env ?? envSettings());
  applyKeyEnvs(ctx, opts.keyEnv ?? process.env);
  let feed: ExternalChangeFeed | undefined;
  // Read-only commands refresh a diff status on request; only a server that runs turns polls GitHub.
  ctx.diffStatus = new DiffStatusService(ctx);
  if (opts.runTurns !== false) {
    ctx.diffStatus.start();
    worker = new Worker(ctx, processes, opts.worker);
    worker.start();
    feed = new ExternalChangeFeed(ctx);
    feed.start(opts.worker?.pollMs);
  }
  log.info('server ready', { db: opts.dbPath, workspace: ctx.workspace.workspace, worker_id: ctx.workerId });
  return {
    ctx,
    worker,
    processes,
    setWorkspace(ws) {
      if (ws.workspace !== undefined) ctx.workspace.workspace = ws.workspace;
      if (ws.folders) ctx.workspace.folders = realFolders(ws.folders);
      if (ws.trusted !== undefined) ctx.workspace.trusted = ws.trusted;
      // Trust withdrawn: no browser keeps running for this workspace until its turn ends.
      if (ws.trusted === false) void ctx.computer?.closeAll();
      worker?.recoverStale();
      worker?.wake();
    },
    async close() {
      feed?.stop();
      await worker?.stop();
      await ctx.diffStatus?.stop();
      await closeMcpRuntime(ctx);
      await ctx.computer?.closeAll();
      processes.killAll();
      db.close();
    },
  };
}
