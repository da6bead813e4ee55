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

test('chats diff: the branch the chat ended its turn on and the changed files, as text and JSON; --refresh reads git again', async () => {
  const { execFileSync } = await import('node:child_process');
  const { appendFileSync, writeFileSync } = await import('node:fs');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: env.workspace, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  git('checkout', '-q', '-b', 'feature/cli');
  appendFileSync(path.join(env.workspace, 'README.md'), 'one more line\n');
  env.fake.enqueue({ kind: 'text', text: 'Looked.' });
  const db = ['--db', env.dbPath, '--workspace', env.workspace];
  const r = await cli(['chat', ...db, '--base-url', env.fake.url, '--model', 'fake-model', 'look']);
  assert.equal(r.code, 0, r.stderr);
  const id = /chat ([0-9a-f-]{36})/.exec(r.stderr)?.[1];
  assert.ok(id, r.stderr);

  const text = await cli(['chats', 'diff', id, ...db]);
  assert.equal(text.code, 0, text.stderr);
  // No GitHub remote: no pull request, and nothing was asked of the network.
  assert.match(text.stdout, /^branch feature\/cli → main$/m);
  assert.match(text.stdout, /^no pull request$/m);
  assert.match(text.stdout, /^1 changed file \(\+1 −0\)$/m);
  assert.match(text.stdout, /modified\s+\+1 −0\s+README\.md/);
  const shown = JSON.parse((await cli(['chats', 'show', id, ...db, '--json'])).stdout) as { chat: { diff_status: { git_branch: string; changed_files: number } } };
  assert.equal(shown.chat.diff_status.git_branch, 'feature/cli');
  assert.equal(shown.chat.diff_status.changed_files, 1);

  writeFileSync(path.join(env.workspace, 'NEW.md'), 'a\nb\n');
  const refreshed = await cli(['chats', 'diff', id, '--refresh', ...db, '--json']);
  assert.equal(refreshed.code, 0, refreshed.stderr);
  const diff = JSON.parse(refreshed.stdout) as { diff_status: { changed_files: number; additions: number }; files: Array<{ path: string; status: string }> };
  assert.equal(diff.diff_status.changed_files, 2);
  assert.equal(diff.diff_status.additions, 3);
  assert.deepEqual(diff.files.map((f) => [f.path, f.status]), [['NEW.md', 'untracked'], ['README.md', 'modified']]);
  const missing = await cli(['chats', 'diff', ...db]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /chats diff: CHAT_ID is required/);
});
