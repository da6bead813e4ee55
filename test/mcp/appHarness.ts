// An in-process app over a temp database for MCP process tests: JSON-RPC handlers by method name, chats
// with MCP selections, and where the real MCP servers from npm live.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../server/app';
import { dispatch, requestNamed } from '../../server/handlers';
import type { RequestName } from '../../server/protocol/methods';
import { closeMcpRuntime } from '../../server/mcp/runtime';
import type { Chat, ChatMode, McpServerConfig } from '../../server/protocol';
import * as M from '../../server/protocol';
import * as P from '../../server/protocol';

export const ROOT = path.resolve(__dirname, '..', '..');
export const EVERYTHING = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
export const FILESYSTEM = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js');

export interface Harness {
  app: App;
  dir: string;
  call<T>(method: string, params: unknown): Promise<T>;
  addServer(p: M.CreateMcpServerInput): Promise<McpServerConfig>;
  createChat(o?: { mode?: ChatMode; mcp_server_ids?: string[] }): Promise<Chat>;
  close(): Promise<void>;
}

/** `model`: the provider the app's default model uses (sampling runs on it); unused by default. */
export async function startHarness(model: { baseUrl: string; apiKey: string } = { baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'unused' }): Promise<Harness> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'la-mcp-'));
  const app = await createApp({
    dbPath: path.join(dir, 'chats.db'),
    workspace: dir,
    workspaceFolders: [dir],
    runTurns: false,
    env: { ...model, model: 'fake-model' },
  });
  const call = async <T>(method: string, params: unknown) => (await dispatch(app, requestNamed(method) ?? (method as RequestName), params)) as T;
  return {
    app,
    dir,
    call,
    addServer: (p) => call<McpServerConfig>(M.CreateMcpServer.method, p),
    createChat: (o = {}) => call<Chat>(P.CreateChat.method, { content: [{ type: 'text', text: 'hi' }], mode: o.mode, mcp_server_ids: o.mcp_server_ids }),
    async close() {
      await closeMcpRuntime(app.ctx);
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Starts server-everything over HTTP (`streamableHttp` or `sse`) and waits until it listens. */
export async function startEverythingHttp(mode: 'streamableHttp' | 'sse'): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [EVERYTHING, mode], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let err = '';
    const t = setTimeout(() => reject(new Error(`server-everything ${mode} did not start: ${err}`)), 15_000);
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      if (/(listening|running) on port/i.test(err)) {
        clearTimeout(t);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`server-everything exited ${code}: ${err}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/${mode === 'sse' ? 'sse' : 'mcp'}`,
    child,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
