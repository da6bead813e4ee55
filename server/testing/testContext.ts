// An AppContext over a real SQLite file in a temp dir, without a worker, for rule tests.
import { SecretValues } from '../secrets/secretValues';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppContext } from '../context';
import { ChatEvents } from '../events';
import { createModelConfig } from '../models/modelConfigs';
import { ProviderKeys } from '../models/providerKeys';
import { createProvider } from '../models/providers';
import type { ChatStreamEvent, ChatWatchKind } from '../protocol';
import { openDb } from '../store/db';
import { defaultServerSettings } from '../settings/serverSettings';

export interface TestContext extends AppContext {
  dir: string;
  woken: number;
  aborted: Array<{ chatId: string; reason: string }>;
  watched: Array<{ kind: ChatWatchKind; chatId: string }>;
  streamed: Array<{ chatId: string; event: ChatStreamEvent }>;
  modelId: string;
  providerId: string;
  close(): void;
}

export function makeTestContext(opts: { withModel?: boolean } = {}): TestContext {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'la-test-'));
  const dbPath = path.join(dir, 'chats.db');
  const db = openDb(dbPath);
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const ctx: TestContext = {
    db,
    dbPath,
    dir,
    events: new ChatEvents(),
    keys: new ProviderKeys(),
    secretValues: new SecretValues(),
    workspace: { workspace: dir, folders: [dir], trusted: true, scope: 'workspace' },
    settings: defaultServerSettings(), settingsOwner: { kind: 'client' }, client: {}, onAsk: 'suspend', apiUrl: null,
    workerId: 'test-host:1:test',
    // A clock that always moves forward, so updated_at ordering is deterministic.
    now: () => (clock += 1000),
    woken: 0,
    wake: () => { ctx.woken++; },
    aborted: [],
    abortLocalRun: (chatId, reason) => { ctx.aborted.push({ chatId, reason }); },
    watched: [],
    streamed: [],
    modelId: '',
    providerId: '',
    close: () => { db.close(); rmSync(dir, { recursive: true, force: true }); },
  };
  ctx.events.onWatch((kind, chat) => ctx.watched.push({ kind, chatId: chat.id }));
  ctx.events.onStream((chatId, events) => { for (const event of events) ctx.streamed.push({ chatId, event }); });
  if (opts.withModel !== false) {
    const provider = createProvider(db, { provider: 'openai-compat', base_url: 'http://127.0.0.1:9/v1' }, ctx.now());
    ctx.providerId = provider.id;
    ctx.modelId = createModelConfig(db, { provider_id: provider.id, model: 'm1', context_limit: 1000 }, ctx.now()).id;
  }
  return ctx;
}

export const text = (t: string) => [{ type: 'text' as const, text: t }];
