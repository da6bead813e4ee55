// `local-agents serve --http`, `api token|servers`, `tool-results` and `call`: the automation API from the
// command line. `serve` runs a whole server (worker, MCP, HTTP API) for one folder without VS Code.
import path from 'node:path';
import { readFileSync } from 'node:fs';
import type { App } from '../app';
import { startApiService } from '../api/apiService';
import { liveApiServers } from '../api/registry';
import { apiToken, rotateApiToken, TOKEN_ENV } from '../api/token';
import { AppError } from '../errors';
import { dispatch } from '../handlers';
import { REQUESTS, type RequestName } from '../protocol/methods';

export const DEFAULT_API_PORT = 4096;

/** `127.0.0.1:4096`, `localhost:0`, `[::1]:8080` or just a port. */
export function parseListenAddress(value: string): { host: string; port: number } {
  const m = /^(?:(\[[^\]]+\]|[^:]+):)?(\d{1,5})$/.exec(value.trim());
  const host = m?.[1]?.replace(/^\[|\]$/g, '') ?? '127.0.0.1';
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new AppError(2, `--http: "${value}" is not HOST:PORT (for example 127.0.0.1:${DEFAULT_API_PORT}).`);
  return { host, port };
}

/** Runs until SIGINT/SIGTERM; prints the URL (never the token) on stdout. */
export async function serveHttp(app: App, listen: { host: string; port: number }, out: (line: string) => void): Promise<number> {
  const dataDir = path.dirname(path.resolve(app.ctx.dbPath));
  const service = await startApiService(app, { ...listen, dataDir });
  const token = apiToken(dataDir);
  out(`Local Agents API: ${service.api.url}`);
  out(`workspace: ${app.ctx.workspace.workspace}`);
  out(`token: ${token.source === 'env' ? `from ${TOKEN_ENV}` : `${token.file} (local-agents api token)`}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await service.close();
  return 0;
}

export function runApiCommand(sub: string | undefined, dataDir: string, flags: { rotate?: boolean; json?: boolean }, out: (line: string) => void): number {
  if (sub === 'token') {
    if (flags.rotate) {
      if (process.env[TOKEN_ENV]) throw new AppError(1, `${TOKEN_ENV} is set: the servers use it, not the file; change the variable instead.`);
      out(rotateApiToken(dataDir));
      return 0;
    }
    out(apiToken(dataDir).token);
    return 0;
  }
  if (sub === 'servers') {
    const servers = liveApiServers(dataDir);
    if (flags.json) out(JSON.stringify(servers, null, 2));
    else out(servers.map((s) => `${s.url}  pid ${s.pid}  ${s.workspace ?? '(no workspace)'}`).join('\n') || '(no server has the API on)');
    return 0;
  }
  throw new AppError(2, `unknown api command "${sub ?? ''}" (token [--rotate] | servers).`);
}

/** Any request the table exposes to the CLI, by name, with JSON params: `local-agents call GetChat '{"chat_id":"…"}'`. */
export async function callRequest(app: App, name: string | undefined, json: string | undefined): Promise<unknown> {
  const names = Object.entries(REQUESTS).filter(([, e]) => e.expose.includes('cli')).map(([n]) => n);
  if (!name || !names.includes(name)) throw new AppError(2, `call: REQUEST must be one of ${names.join(', ')}.`);
  let params: unknown = {};
  if (json !== undefined) {
    try {
      params = JSON.parse(json === '-' ? readFileSync(0, 'utf8') : json);
    } catch (err) {
      throw new AppError(2, `call ${name}: the params are not JSON (${(err as Error).message}).`);
    }
  }
  return dispatch(app, name as RequestName, params);
}
