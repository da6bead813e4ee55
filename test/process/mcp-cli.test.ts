// `local-agents mcp …` as a user runs it: probe a real server over stdio and HTTP (list, call), and
// add/list/remove stored configs, with exit codes and messages for bad input.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EVERYTHING, ROOT, startEverythingHttp } from '../mcp/appHarness';
import { API_KEY, startAuthTestServer, type AuthTestServer } from '../mcp/authTestServer';

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/cli/main.ts'), ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('local-agents mcp', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'la-mcp-cli-'));
  const db = path.join(dir, 'chats.db');
  let http: Awaited<ReturnType<typeof startEverythingHttp>>;
  let auth: AuthTestServer;
  before(async () => {
    http = await startEverythingHttp('streamableHttp');
    auth = await startAuthTestServer();
  });
  after(async () => {
    await http.stop();
    await auth.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('probe over stdio lists tools and calls one', async () => {
    const r = await cli(['mcp', 'probe', '--transport', 'stdio', '--json', '--call', 'get-sum', '--args', '{"a":19,"b":23}', '--', process.execPath, EVERYTHING, 'stdio']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { server: { name: string }; tools: Array<{ name: string; exposed_name: string; input_schema: unknown }>; call: { result: string; is_error: boolean } };
    assert.equal(out.server.name, 'mcp-servers/everything');
    assert.ok(out.tools.some((t) => t.name === 'echo' && t.exposed_name === 'probe__echo' && t.input_schema));
    assert.match(out.call.result, /42/);
    assert.equal(out.call.is_error, false);
  });

  test('probe over streamable HTTP in human form; an api_key from the environment is sent', async () => {
    const r = await cli(['mcp', 'probe', http.url, '--call', 'echo', '--args', '{"message":"cli"}']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^connected to mcp-servers\/everything/m);
    assert.match(r.stdout, /^echo: Echo: cli$/m);
    const keyed = await cli(['mcp', 'probe', `${auth.base}/apikey/mcp`, '--auth', 'api_key', '--api-key-header', 'X-Api-Key'], { LOCAL_AGENTS_MCP_API_KEY: API_KEY });
    assert.equal(keyed.code, 0, keyed.stderr);
    const unkeyed = await cli(['mcp', 'probe', `${auth.base}/apikey/mcp`, '--auth', 'api_key', '--api-key-header', 'X-Api-Key'], { LOCAL_AGENTS_MCP_API_KEY: '' });
    assert.equal(unkeyed.code, 1);
    assert.match(unkeyed.stderr, /401 Unauthorized: no API key is set for header X-Api-Key/);
    assert.ok(!unkeyed.stderr.includes(API_KEY));
  });

  test('probe with oauth2 authorizes without a browser (PKCE, dynamic registration) and calls the tool', async () => {
    const r = await cli(['mcp', 'probe', `${auth.base}/oauth/mcp`, '--auth', 'oauth2', '--call', 'whoami', '--args', '{"name":"probe"}']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^whoami: hello probe$/m);
    assert.equal(auth.authorizeRequests.at(-1)?.get('code_challenge_method'), 'S256');
  });

  test('add, list and remove stored configs; a duplicate slug and bad flags are refused', async () => {
    const add = await cli(['mcp', 'add', '--db', db, '--slug', 'everything', '--name', 'Everything', '--command', process.execPath, '--arg', EVERYTHING, '--arg', 'stdio', '--enable']);
    assert.equal(add.code, 0, add.stderr);
    const dup = await cli(['mcp', 'add', '--db', db, '--slug', 'Everything', '--url', http.url]);
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /MCP server config slug already exists\./);
    const bad = await cli(['mcp', 'add', '--db', db, '--slug', 'web', '--url', 'ftp://x']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /field: url/);
    const list = await cli(['mcp', 'list', '--db', db, '--json']);
    const configs = JSON.parse(list.stdout) as Array<{ slug: string; transport: string; enabled: boolean; args: string[] }>;
    assert.deepEqual(configs.map((c) => [c.slug, c.transport, c.enabled]), [['everything', 'stdio', true]]);
    const rm = await cli(['mcp', 'remove', '--db', db, 'everything']);
    assert.equal(rm.code, 0, rm.stderr);
    assert.match((await cli(['mcp', 'list', '--db', db])).stdout, /\(no MCP servers\)/);
    const usage = await cli(['mcp', 'probe', '--transport', 'carrier-pigeon', 'x']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--transport: Transport must be "stdio", "streamable_http" or "sse"\./);
  });
});
