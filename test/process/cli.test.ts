// The CLI as a user runs it: a real process on a real database against the fake provider.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { CLI_JS } from '../support/serverProcess';
import { setupEnv, type Env } from './helpers';

let env: Env;
beforeEach(async () => { env = await setupEnv(); });
afterEach(async () => { await env.cleanup(); });

function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_JS, ...args], {
      env: { ...process.env, OPENAI_BASE_URL: '', OPENAI_API_KEY: 'test-key', OPENAI_MODEL: '', LOCAL_AGENTS_DATA_DIR: path.join(env.dir, 'data'), ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('chat streams the answer, exits 0, and chats list/show/pin/label/archive work on the same DB', async () => {
  env.fake.enqueue({ kind: 'text', text: 'Hello from the CLI run.' });
  // Chat commands act on one workspace's chats (here the test workspace; by default the current folder).
  const db = ['--db', env.dbPath, '--workspace', env.workspace];
  const r = await cli(['chat', ...db, '--base-url', env.fake.url, '--model', 'fake-model', 'hello', 'cli']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Hello from the CLI run\./);
  const id = /chat ([0-9a-f-]{36})/.exec(r.stderr)?.[1];
  assert.ok(id, r.stderr);

  const list = await cli(['chats', 'list', ...db, '--json']);
  assert.equal(list.code, 0, list.stderr);
  const elsewhere = await cli(['chats', 'show', id, '--db', env.dbPath, '--workspace', env.dir]);
  assert.equal(elsewhere.code, 1, 'another workspace does not see the chat');
  assert.match(elsewhere.stderr, /Chat not found/);
  const all = await cli(['chats', 'list', '--db', env.dbPath, '--workspace', env.dir, '--all-workspaces', '--json']);
  assert.equal(JSON.parse(all.stdout).chats.length, 0, '--workspace with --all-workspaces filters by that workspace');
  assert.equal(JSON.parse((await cli(['chats', 'list', '--db', env.dbPath, '--all-workspaces', '--json'])).stdout).chats.length, 1, 'every workspace, asked explicitly');
  const chats = JSON.parse(list.stdout).chats as Array<{ id: string; client_type: string; status: string }>;
  assert.equal(chats.length, 1);
  assert.equal(chats[0].client_type, 'api');
  assert.equal(chats[0].status, 'waiting');

  assert.equal((await cli(['chats', 'pin', id, ...db])).code, 0);
  const labelled = await cli(['chats', 'label', id, 'env=prod', 'team=core', ...db, '--json']);
  assert.deepEqual(JSON.parse(labelled.stdout).labels, { env: 'prod', team: 'core' });
  const filtered = JSON.parse((await cli(['chats', 'list', ...db, '--label', 'env:prod', '--json'])).stdout).chats;
  assert.equal(filtered[0].pin_order, 1);
  const bad = await cli(['chats', 'label', id, '.x=1', ...db]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /label key ".x" contains invalid characters/);
  assert.match(bad.stderr, /field: labels/);

  const show = await cli(['chats', 'show', id, ...db]);
  assert.match(show.stdout, /Hello from the CLI run\./);
  assert.equal((await cli(['chats', 'archive', id, ...db])).code, 0);
  assert.equal(JSON.parse((await cli(['chats', 'list', ...db, '--json'])).stdout).chats.length, 0);
  assert.equal(JSON.parse((await cli(['chats', 'list', ...db, '--archived', '--json'])).stdout).chats.length, 1);
});

test('--json prints one event per line; a failing turn exits non-zero with the reason', async () => {
  env.fake.enqueue({ kind: 'text', text: 'json mode' });
  const base = ['--db', env.dbPath, '--workspace', env.workspace, '--base-url', env.fake.url, '--model', 'fake-model'];
  const r = await cli(['chat', ...base, '--json', 'hi']);
  assert.equal(r.code, 0, r.stderr);
  const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
  assert.ok(events.some((e) => e.type === 'message_part'));
  assert.ok(events.some((e) => e.type === 'message'));
  const failed = await cli(['chat', ...base, 'hi'], { OPENAI_API_KEY: 'wrong' });
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /error: .*401/);
  const usage = await cli(['chat']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /MESSAGE is required/);
});

test('context add / clear over the CLI', async () => {
  const { writeFileSync, mkdirSync } = await import('node:fs');
  env.fake.enqueue({ kind: 'text', text: 'ok' });
  const db = ['--db', env.dbPath, '--workspace', env.workspace];
  const r = await cli(['chat', ...db, '--base-url', env.fake.url, '--model', 'fake-model', 'hi']);
  const id = /chat ([0-9a-f-]{36})/.exec(r.stderr)![1];
  mkdirSync(path.join(env.workspace, 'pkg'));
  writeFileSync(path.join(env.workspace, 'pkg', 'AGENTS.md'), 'pkg rules');
  const added = await cli(['context', 'add', id, path.join(env.workspace, 'pkg'), ...db]);
  assert.equal(added.code, 0, added.stderr);
  assert.match(added.stdout, /file {2}.*pkg\/AGENTS\.md/);
  const outside = await cli(['context', 'add', id, env.dir, ...db]);
  assert.equal(outside.code, 1);
  assert.match(outside.stderr, /outside the workspace/);
  const cleared = await cli(['context', 'clear', id, ...db]);
  assert.equal(cleared.code, 0, cleared.stderr);
  assert.match(cleared.stdout, /cleared [1-9]\d* context message/);
});
