// Starts the HTTP API for a server (the extension's, one per window, or `local-agents serve`): the token
// from the environment or the data dir, a listener on a loopback address, and the entry in the data dir's
// list of live servers. The token is never logged.
import type { App } from '../app';
import { log } from '../logger';
import { startHttpApi, type HttpApi } from './httpServer';
import { registerApiServer } from './registry';
import { apiToken } from './token';

export interface ApiService { api: HttpApi; close(): Promise<void> }

/** Re-read at most once a second, so a rotation by another process takes effect within a second. */
function cachedToken(dataDir: string): () => string {
  let token = '';
  let readAt = 0;
  return () => {
    const now = Date.now();
    if (now - readAt > 1000 || !token) {
      token = apiToken(dataDir).token;
      readAt = now;
    }
    return token;
  };
}

export async function startApiService(app: App, opts: { host: string; port: number; dataDir: string }): Promise<ApiService> {
  const token = cachedToken(opts.dataDir);
  token();
  const api = await startHttpApi(app, { host: opts.host, port: opts.port, token });
  const unregister = registerApiServer(opts.dataDir, { url: api.url, workspace: app.ctx.workspace.workspace, pid: process.pid, started_at: new Date().toISOString() });
  app.ctx.apiUrl = api.url;
  log.info('HTTP API listening', { url: api.url });
  return {
    api,
    async close() {
      unregister();
      app.ctx.apiUrl = null;
      await api.close();
    },
  };
}
