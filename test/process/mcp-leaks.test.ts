// 100 connect/disconnect cycles with server-everything over stdio: every child process is gone after
// each close and this process's memory does not grow with the cycles.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { McpConnection } from '../../server/mcp/connection';
import type { McpServerDef } from '../../server/mcp/configStore';
import { McpSecrets } from '../../server/mcp/secrets';
import { MCP_CONFIG_DEFAULTS } from '../../server/protocol';
import { EVERYTHING } from '../mcp/appHarness';

/** Live (non-zombie) children of this process, from /proc. */
function childPids(): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === process.pid && fields[0] !== 'Z') out.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

const def: McpServerDef = {
  ...MCP_CONFIG_DEFAULTS, id: 'leak', slug: 'leak', display_name: 'Everything', transport: 'stdio',
  command: process.execPath, args: [EVERYTHING, 'stdio'], enabled: true, workspace_local: false, workspace_source: null, updated_at: 0,
};

test('100 stdio connect/disconnect cycles leave no child process and no memory growth', { timeout: 300_000 }, async () => {
  const deps = { secrets: new McpSecrets(), db: null };
  const cycle = async () => {
    const conn = await McpConnection.open(def, deps);
    assert.ok(conn.tools.length > 0);
    const pid = conn.pid;
    assert.ok(pid && childPids().includes(pid), 'the server runs as our child while connected');
    await conn.close();
    return pid as number;
  };
  // Children from before (tsx's esbuild service) are not ours to count.
  const baseline = new Set(childPids());
  const newChildren = () => childPids().filter((p) => !baseline.has(p));
  for (let i = 0; i < 5; i++) await cycle(); // warm up module caches before measuring
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const pids = new Set<number>();
  for (let i = 0; i < 100; i++) {
    pids.add(await cycle());
    assert.deepEqual(newChildren(), [], `cycle ${i}: a child process outlived close()`);
  }
  globalThis.gc?.();
  const growthMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
  assert.equal(pids.size, 100, 'each cycle started its own process');
  assert.ok(growthMb < 40, `RSS grew by ${growthMb.toFixed(1)} MB over 100 cycles`);
  process.stderr.write(`mcp leak test: RSS growth over 100 cycles ${growthMb.toFixed(1)} MB\n`);
});
