// Shared setup of process tests: a fake OpenAI server, a temp workspace and DB, a running server.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/fakeOpenAI';
import { startServer, type ServerHandle } from '../support/serverProcess';
import type { InitOptions } from '../../server/main';

export interface Env {
  fake: FakeOpenAI;
  dir: string;
  workspace: string;
  dbPath: string;
  start(extra?: Partial<InitOptions>, env?: NodeJS.ProcessEnv): Promise<ServerHandle>;
  cleanup(): Promise<void>;
}

export async function setupEnv(): Promise<Env> {
  const fake = await startFakeOpenAI({ apiKey: 'test-key' });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'la-proc-'));
  const workspace = path.join(dir, 'ws');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(workspace);
  writeFileSync(path.join(workspace, 'README.md'), '# Demo\nhello world\n');
  const dbPath = path.join(dir, 'chats.db');
  const servers: ServerHandle[] = [];
  return {
    fake, dir, workspace, dbPath,
    async start(extra = {}, env = {}) {
      const s = await startServer(
        { dbPath, workspace, workspaceFolders: [workspace], worker: { pollMs: 100, heartbeatMs: 500, staleAfterMs: 3000 }, ...extra },
        { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'test-key', OPENAI_MODEL: 'fake-model', ...env },
      );
      servers.push(s);
      return s;
    },
    async cleanup() {
      for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) await s.kill();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const text = (t: string) => [{ type: 'text' as const, text: t }];
