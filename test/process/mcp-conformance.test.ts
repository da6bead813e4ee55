// Drives the official MCP conformance runner (client mode) against `local-agents mcp probe`: every
// required scenario must pass, with an empty baseline of expected failures. The runner needs Node 22,
// installed apart from the project (test/mcp/node22) so npm scripts keep the project's Node.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';

const root = path.resolve(__dirname, '..', '..');
const node22 = path.join(root, 'test/mcp/node22/node_modules/node/bin/node');
const runner = path.join(root, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
const baseline = path.join(root, 'test/mcp/conformance-baseline.yml');
const client = `${process.execPath} ${path.join(root, 'test/mcp/conformanceClient.mjs')}`;

export const REQUIRED_SCENARIOS = [
  'initialize', 'tools_call', 'elicitation-sep1034-client-defaults', 'sse-retry',
  // every auth/* scenario of spec versions 2025-06-18 and 2025-11-25
  'auth/metadata-default', 'auth/metadata-var1', 'auth/metadata-var2', 'auth/metadata-var3', 'auth/basic-cimd',
  'auth/scope-from-www-authenticate', 'auth/scope-from-scopes-supported', 'auth/scope-omitted-when-undefined',
  'auth/scope-step-up', 'auth/scope-retry-limit',
  'auth/token-endpoint-auth-basic', 'auth/token-endpoint-auth-post', 'auth/token-endpoint-auth-none', 'auth/pre-registration',
  // 2025-03-26 back-compat
  'auth/2025-03-26-oauth-metadata-backcompat', 'auth/2025-03-26-oauth-endpoint-fallback',
];

function run(args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(node22, [runner, ...args], { cwd, env: { ...process.env, LOCAL_AGENTS_NODE: process.execPath } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('MCP conformance (client mode) against mcp probe', { concurrency: 4 }, () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'la-mcp-conf-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  test('Node 22 for the runner is installed and the baseline is empty', () => {
    assert.ok(existsSync(node22), `Node 22 missing: run \`npm --prefix test/mcp/node22 install\` (see test/mcp/node22/package.json)`);
    assert.match(readFileSync(baseline, 'utf8'), /^client: \[\]$/m);
  });

  test('the runner lists every required scenario (the suite did not rename them)', async () => {
    const listed = await run(['list'], work);
    for (const s of REQUIRED_SCENARIOS) assert.ok(listed.out.includes(`- ${s} `), `scenario ${s} not offered by the runner:\n${listed.out}`);
  });

  for (const scenario of REQUIRED_SCENARIOS) {
    test(`scenario ${scenario} passes`, { timeout: 90_000 }, async () => {
      const r = await run(['client', '--command', client, '--scenario', scenario, '--expected-failures', baseline, '-o', path.join(work, scenario.replace(/\//g, '_'))], work);
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, /OVERALL: PASSED/, r.out);
      assert.match(r.out, /Passed: (\d+)\/\1, 0 failed/, r.out);
    });
  }
});
