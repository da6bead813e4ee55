// Secrets stay out of SQLite, logs and replies: MCP stdio env values (moved out of a version-6 database by
// the extension, then cleared), new env values (held in memory, handed to the extension for SecretStorage),
// and commands that never see secret-looking variables.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { randomUUID } from 'node:crypto';
import { loadMigrations, migrate, openDb } from '../../server/store/db';
import * as P from '../../server/protocol';
import type { Chat, McpServerConfig } from '../../server/protocol';
import { ClearLegacyMcpEnv, CreateMcpServer, ListLegacyMcpEnv, ListMcpServers, McpSecretChangedNotification, type LegacyMcpEnv, type McpSecretChangedParams } from '../../server/protocol';
import { EVERYTHING, startHarness } from '../mcp/appHarness';
import { mcpRuntime } from '../../server/mcp/runtime';
import { setupEnv, text, type Env } from './helpers';

let env: Env;
beforeEach(async () => { env = await setupEnv(); });
afterEach(async () => { await env.cleanup(); });

/** Every byte the database keeps on disk: the file, its WAL and shared memory. */
function dbBytes(dbPath: string): string {
  return ['', '-wal', '-shm'].map((s) => (existsSync(dbPath + s) ? readFileSync(dbPath + s).toString('latin1') : '')).join('');
}

test('stdio env values of a version-6 database move to the extension and leave the file; payloads carry names only', async () => {
  const value = `ghp_${randomUUID().replace(/-/g, '')}`;
  const db = openDb(env.dbPath, { migrate: false });
  migrate(db, loadMigrations(), 6);
  db.prepare(`INSERT INTO mcp_server_configs (id, slug, display_name, transport, command, args, env, tool_timeout_ms, created_at, updated_at)
    VALUES ('old', 'gh', 'GitHub', 'stdio', 'node', '[]', ?, 60000, 1, 1)`).run(JSON.stringify({ GITHUB_TOKEN: value, OTHER: 'x' }));
  db.close();
  assert.ok(dbBytes(env.dbPath).includes(value), 'the old database holds the value');

  const s = await env.start();
  const list = await s.request<unknown, McpServerConfig[]>(ListMcpServers, {});
  assert.deepEqual(list.map((c) => [c.env_names, c.has_env]), [[['GITHUB_TOKEN', 'OTHER'], true]]);
  assert.ok(!JSON.stringify(list).includes(value), 'the list (which the webview gets) has no value');
  // The extension reads them once, keeps them in SecretStorage, then has them cleared.
  const legacy = await s.request<unknown, LegacyMcpEnv[]>(ListLegacyMcpEnv, {});
  assert.deepEqual(legacy, [{ server_id: 'old', env: { GITHUB_TOKEN: value, OTHER: 'x' } }]);
  assert.deepEqual(await s.request(ClearLegacyMcpEnv, { server_ids: ['old'] }), { cleared: 1 });
  assert.deepEqual(await s.request(ListLegacyMcpEnv, {}), []);
  await s.stop();
  assert.ok(!dbBytes(env.dbPath).includes(value), 'the value is gone from the database file, WAL included');
  assert.ok(!s.stderr().includes(value), 'and from the log');
});

test('a new stdio env value is held in memory and handed to the extension; the server gets it, SQLite never does', async () => {
  const value = `tok_${randomUUID()}`;
  const s = await env.start();
  const announced: McpSecretChangedParams[] = [];
  s.conn.onNotification(McpSecretChangedNotification.method, (p: McpSecretChangedParams) => { announced.push(p); });
  const created = await s.request<unknown, McpServerConfig>(CreateMcpServer, {
    slug: 'everything', display_name: 'Everything', transport: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'], env: { MY_MCP_TOKEN: value },
  });
  assert.deepEqual([created.env_names, created.has_env], [['MY_MCP_TOKEN'], true]);
  assert.ok(!JSON.stringify(created).includes(value));
  await s.waitFor(() => announced.length > 0, 5000, 'secretChanged');
  assert.deepEqual(announced, [{ server_id: created.id, kind: 'stdio_env', value: JSON.stringify({ MY_MCP_TOKEN: value }) }]);
  await s.stop();
  assert.ok(!dbBytes(env.dbPath).includes(value));
  assert.ok(!s.stderr().includes(value));

  // The stdio server itself is started with it (server-everything's get-env tool shows its environment).
  const h = await startHarness();
  try {
    const cfg = await h.addServer({ slug: 'everything', display_name: 'Everything', transport: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'], env: { MY_MCP_TOKEN: value }, enabled: true });
    const rt = mcpRuntime(h.app.ctx);
    const { defFromRow, requireConfigRow } = await import('../../server/mcp/configStore');
    const def = defFromRow(requireConfigRow(h.app.ctx.db, cfg.id));
    const conn = await rt.pool.acquire(def, rt.authIdentity(def));
    const out = await conn.callTool('get-env', {}, { timeoutMs: 15_000 });
    assert.match(JSON.stringify(out), new RegExp(value));
  } finally {
    await h.close();
  }
});

test('execute: `env` shows no secret-looking variable of the server, unless passed through on purpose', async () => {
  // NODE_COMPILE_CACHE as the extension sets it: the server's own cache, never handed to the commands it runs.
  const s = await env.start({}, { GITHUB_TOKEN: 'ghp_leak1', AWS_SECRET_ACCESS_KEY: 'aws_leak2', SAFE_NAME: 'visible', NODE_COMPILE_CACHE: path.join(env.dir, 'compile-cache') });
  env.fake.enqueue({ kind: 'tools', calls: [{ name: 'execute', args: JSON.stringify({ command: 'env' }) }] }, { kind: 'text', text: 'done' });
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('show env'), permission_mode: 'bypass' });
  await s.waitForStatus(chat.id, ['waiting']);
  const page = await s.request<unknown, P.MessagesPage>(P.GetMessages, { chat_id: chat.id });
  const tool = JSON.stringify(page.messages.find((m) => m.role === 'tool'));
  assert.match(tool, /SAFE_NAME=visible/);
  assert.doesNotMatch(tool, /NODE_COMPILE_CACHE/);
  for (const leak of ['ghp_leak1', 'aws_leak2', 'test-key']) assert.ok(!tool.includes(leak), `${leak} reached the chat`);
  const sent = JSON.stringify(env.fake.requests.at(-1)?.body);
  assert.ok(!sent.includes('ghp_leak1'), 'nor the provider');
  // Passed through by the settings: the user chose to.
  await s.request(P.UpdateSettings, { command_env: { pass_through: ['GITHUB_TOKEN'] } });
  env.fake.enqueue({ kind: 'tools', calls: [{ name: 'execute', args: JSON.stringify({ command: 'printenv GITHUB_TOKEN' }) }] }, { kind: 'text', text: 'done' });
  await s.request(P.SendMessage, { chat_id: chat.id, content: text('again') });
  await s.waitFor(() => (s.events.get(chat.id) ?? []).filter((e) => e.type === 'status' && e.status === 'waiting').length >= 2, 15_000, 'second turn');
  const again = await s.request<unknown, P.MessagesPage>(P.GetMessages, { chat_id: chat.id });
  assert.match(JSON.stringify(again.messages.filter((m) => m.role === 'tool').at(-1)), /ghp_leak1/);
  await s.stop();
});
