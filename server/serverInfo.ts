// What a client learns about the server it talks to, and the workspace the editor hands over.
import type { App } from './app';
import type { ServerInfo } from './protocol';
import type { ParsedParams } from './protocol/schemas';
import { schemaVersion } from './store/db';

export function serverInfo(app: App): ServerInfo {
  const { ctx } = app;
  return {
    version: process.env.LOCAL_AGENTS_VERSION ?? '0.1.0',
    pid: process.pid,
    worker_id: ctx.workerId,
    db_path: ctx.dbPath,
    schema_version: schemaVersion(ctx.db),
    workspace: ctx.workspace.workspace,
    workspace_folders: ctx.workspace.folders,
    trusted: ctx.workspace.trusted,
    api_url: ctx.apiUrl,
  };
}

export function setWorkspace(app: App, p: ParsedParams<'SetWorkspace'>): ServerInfo {
  app.setWorkspace({ workspace: p.workspace, folders: p.folders, trusted: p.trusted });
  return serverInfo(app);
}
