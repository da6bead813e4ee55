import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { MCP_CONFIG_DEFAULTS } from '../protocol/mcp';
import type { McpServerDef } from './configStore';
import { McpConnectionPool, McpConnectTimeoutError } from './pool';
import { McpSecrets } from './secrets';

const stdio = (id: string, script: string): McpServerDef => ({
  ...MCP_CONFIG_DEFAULTS, id, slug: id, display_name: id, transport: 'stdio', command: process.execPath, args: ['-e', script],
  enabled: true, workspace_local: false, workspace_source: null, updated_at: 0,
});
// A minimal stdio MCP server: answers initialize and tools/list.
const TINY_SERVER = `
const rl = require('readline').createInterface({ input: process.stdin });
rl.on('line', (l) => { const m = JSON.parse(l); if (m.id === undefined) return;
  const result = m.method === 'initialize' ? { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'tiny', version: '1' } }
    : m.method === 'tools/list' ? { tools: [{ name: 't', inputSchema: { type: 'object' } }] } : {};
  process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, result }) + '\\n'); });`;

/** Children of this process whose command line contains the text. */
function childrenRunning(text: string): number[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).flatMap((e) => {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return ppid === process.pid && readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(text) ? [Number(e)] : [];
    } catch {
      return [];
    }
  });
}

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

test('a server that never answers times out within the budget, its process is ended, and retries back off', async () => {
  let now = 1_000_000;
  const pool = new McpConnectionPool(() => ({ secrets: new McpSecrets(), db: null }), { connectBudgetMs: 400, now: () => now });
  const hang = stdio('hang', 'setInterval(() => {}, 1000)');
  const started = Date.now();
  await assert.rejects(pool.acquire(hang, 'a'), (e: Error) => e instanceof McpConnectTimeoutError && /did not connect and list its tools within 0.4 s/.test(e.message));
  assert.ok(Date.now() - started < 3000);
  await assert.rejects(pool.acquire(hang, 'a'), /next attempt in 1 s/, 'a retry right away fails fast');
  now += 1_001;
  await assert.rejects(pool.acquire(hang, 'a'), McpConnectTimeoutError, 'after the backoff it tries again');
  await assert.rejects(pool.acquire(hang, 'a'), /next attempt in 2 s/, 'the backoff doubles');
  await pool.closeAll();
  assert.deepEqual(childrenRunning('setInterval(() => {}, 1000)'), [], 'the timed-out server processes were ended');
});

test('sessions are shared, replaced when the auth identity changes, dropped on demand and closed when idle', async () => {
  let now = 0;
  const pool = new McpConnectionPool(() => ({ secrets: new McpSecrets(), db: null }), { idleMs: 60_000, now: () => now });
  const tiny = stdio('tiny', TINY_SERVER);
  const [a, b] = await Promise.all([pool.acquire(tiny, 'id1'), pool.acquire(tiny, 'id1')]);
  assert.equal(a, b, 'concurrent acquires share one connect');
  assert.deepEqual(a.tools.map((t) => t.name), ['t']);
  const c = await pool.acquire(tiny, 'id2');
  assert.notEqual(c, a, 'a changed credential gets a fresh session');
  assert.equal(a.closed, true);
  assert.equal(pool.size, 1);
  now = 30_000;
  assert.equal(await pool.closeIdle(), 0);
  now = 61_000;
  const pid = c.pid as number;
  assert.equal(await pool.closeIdle(), 1);
  assert.equal(c.closed, true);
  for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(alive(pid), false, 'the idle server process ended');
  const d = await pool.acquire(tiny, 'id2');
  await pool.drop('tiny');
  assert.equal(d.closed, true);
  assert.equal(pool.size, 0);
  await pool.closeAll();
});
