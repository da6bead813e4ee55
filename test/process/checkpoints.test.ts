// Checkpoints through a real server and the fake model: write_file and edit_files are undoable, a restore
// skips a file the user changed since and can itself be undone, a command's changes in a git workspace are
// recorded, the CLI lists and dry-runs restores, and the blobs live in the data dir, not the workspace.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import * as P from '../../server/protocol';
import type { Chat, ChatMessage, FileChange, RestoreResult } from '../../server/protocol';
import type { FakeReply } from '../fakes/fakeOpenAI';
import { CLI_JS } from '../support/serverProcess';
import { setupEnv, text, type Env } from './helpers';

let env: Env;
beforeEach(async () => { env = await setupEnv(); });
afterEach(async () => { await env.cleanup(); });

type Server = Awaited<ReturnType<Env['start']>>;
const call = (name: string, args: unknown, id?: string): FakeReply => ({ kind: 'tools', calls: [{ id, name, args: JSON.stringify(args) }] });
const ws = (f: string) => path.join(env.workspace, f);
const read = (f: string) => readFileSync(ws(f), 'utf8');
const firstUserId = async (s: Server, chatId: string) =>
  (await s.request<unknown, P.MessagesPage>(P.GetMessages, { chat_id: chatId, limit: 50 })).messages.find((m: ChatMessage) => m.role === 'user')!.id;

async function agentEdits(s: Server): Promise<Chat> {
  writeFileSync(ws('a.txt'), 'user a\n');
  env.fake.enqueue(
    call('write_file', { path: 'a.txt', content: 'agent a\n' }, 'w1'),
    call('write_file', { path: 'sub/b.txt', content: 'agent b\n' }, 'w2'),
    call('edit_files', { edits: [{ path: 'README.md', old_text: 'hello world', new_text: 'hello agent' }] }, 'e1'),
    { kind: 'text', text: 'done' },
  );
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('change files'), permission_mode: 'bypass' });
  await s.waitForStatus(chat.id, ['waiting'], 20_000);
  return chat;
}

test('restore to a message: the agent\'s files go back, a file the user changed since is skipped, and the restore is undoable', async () => {
  const s = await env.start();
  const chat = await agentEdits(s);
  const changes = await s.request<unknown, FileChange[]>(P.ListFileChanges, { chat_id: chat.id });
  assert.deepEqual(changes.map((c) => [c.relative_path, c.source, c.before_exists, c.added, c.removed, c.state]), [
    ['a.txt', 'write_file', true, 1, 1, 'applied'], [path.join('sub', 'b.txt'), 'write_file', false, 1, 0, 'applied'], ['README.md', 'edit_files', true, 1, 1, 'applied'],
  ]);
  assert.ok(changes.every((c) => c.message_id !== null && c.tool_call_id));
  // The blobs are in the data dir beside the database; nothing was added to the workspace.
  assert.ok(readdirSync(path.join(env.dir, 'checkpoints', 'blobs')).length > 0);
  assert.deepEqual(readdirSync(env.workspace).sort(), ['README.md', 'a.txt', 'sub']);

  writeFileSync(ws('sub/b.txt'), 'the user changed b\n');
  const to = await firstUserId(s, chat.id);
  const dry = await s.request<unknown, RestoreResult>(P.RestoreCheckpoint, { chat_id: chat.id, message_id: to, dry_run: true });
  assert.equal(dry.restore_id, null);
  assert.equal(read('a.txt'), 'agent a\n', 'a dry run writes nothing');
  const restored = await s.request<unknown, RestoreResult>(P.RestoreCheckpoint, { chat_id: chat.id, message_id: to });
  assert.deepEqual(restored.restored.map((r) => [path.basename(r.path), r.action]), [['a.txt', 'restored'], ['README.md', 'restored']]);
  assert.deepEqual(restored.skipped.map((r) => [path.basename(r.path), r.reason]), [['b.txt', 'changed since the agent wrote it']]);
  assert.equal(read('a.txt'), 'user a\n');
  assert.equal(read('README.md'), '# Demo\nhello world\n');
  assert.equal(read('sub/b.txt'), 'the user changed b\n', 'never overwritten');

  const undone = await s.request<unknown, RestoreResult>(P.UndoRestore, { chat_id: chat.id, restore_id: restored.restore_id });
  assert.equal(undone.skipped.length, 0);
  assert.equal(read('a.txt'), 'agent a\n');
  assert.equal(read('README.md'), '# Demo\nhello agent\n');
  await assert.rejects(s.request(P.UndoRestore, { chat_id: chat.id, restore_id: restored.restore_id }), /already undone/);
  const after = await s.request<unknown, FileChange[]>(P.ListFileChanges, { chat_id: chat.id });
  assert.deepEqual(after.filter((c) => c.source !== 'restore').map((c) => c.state), ['applied', 'applied', 'applied'], 'the agent\'s changes count again');

  // One file's Undo, then Keep for the rest; an unknown id is a 404 naming it.
  const readme = after.find((c) => c.relative_path === 'README.md')!;
  await s.request(P.UndoFileChanges, { chat_id: chat.id, change_ids: [readme.id] });
  assert.equal(read('README.md'), '# Demo\nhello world\n');
  assert.equal(read('a.txt'), 'agent a\n');
  await s.request(P.KeepFileChanges, { chat_id: chat.id, change_ids: [after[0].id] });
  assert.equal((await s.request<unknown, FileChange[]>(P.ListFileChanges, { chat_id: chat.id }))[0].state, 'kept');
  await assert.rejects(s.request(P.UndoFileChanges, { chat_id: chat.id, change_ids: [99999] }), /File change not found/);
  await assert.rejects(s.request(P.UndoFileChanges, { chat_id: chat.id, change_ids: [] }), /At least one change id is required/);

  // Editing the first message with "restore files too" puts back what is still applied.
  env.fake.enqueue({ kind: 'text', text: 'ok' });
  const edited = await s.request<unknown, P.EditMessageResult>(P.EditMessage, { chat_id: chat.id, message_id: to, content: text('do less'), restore_files: true });
  assert.deepEqual(edited.restore?.restored.map((r) => path.basename(r.path)), ['a.txt']);
  assert.equal(read('a.txt'), 'user a\n');
  await s.waitForStatus(chat.id, ['waiting'], 15_000);
});

test('a command in a git workspace: its changes are recorded against HEAD and undone, a background one\'s at the end of the turn; archiving drops the checkpoints', async () => {
  const git = (...args: string[]) => execFileSync('git', ['-C', env.workspace, ...args], { stdio: 'pipe' });
  git('init', '-q');
  git('-c', 'user.email=t@e.st', '-c', 'user.name=t', 'add', '.');
  git('-c', 'user.email=t@e.st', '-c', 'user.name=t', 'commit', '-qm', 'init');
  writeFileSync(ws('dirty.txt'), 'dirty before\n');
  const s = await env.start();
  env.fake.enqueue(call('execute', { command: "printf 'more\\n' >> README.md && echo made > made.txt && echo changed > dirty.txt" }, 'x1'), { kind: 'text', text: 'done' });
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('run it'), permission_mode: 'bypass' });
  await s.waitForStatus(chat.id, ['waiting'], 20_000);
  const changes = await s.request<unknown, FileChange[]>(P.ListFileChanges, { chat_id: chat.id });
  assert.deepEqual(changes.map((c) => [c.relative_path, c.source, c.before_exists, c.added, c.removed]).sort(), [
    ['README.md', 'execute', true, 1, 0], ['dirty.txt', 'execute', true, 1, 1], ['made.txt', 'execute', false, 1, 0],
  ]);
  const undo = await s.request<unknown, RestoreResult>(P.UndoFileChanges, { chat_id: chat.id, change_ids: changes.map((c) => c.id) });
  assert.equal(undo.skipped.length, 0);
  assert.equal(read('README.md'), '# Demo\nhello world\n');
  assert.equal(read('dirty.txt'), 'dirty before\n', 'an uncommitted file gets its uncommitted content back');
  assert.equal(existsSync(ws('made.txt')), false);

  // Redo, then a dangling symlink where the agent's file was: undoing would follow it out of the workspace.
  await s.request(P.UndoRestore, { chat_id: chat.id, restore_id: undo.restore_id });
  assert.equal(read('made.txt'), 'made\n');
  const outside = path.join(env.dir, 'outside-target.txt');
  rmSync(ws('made.txt'));
  symlinkSync(outside, ws('made.txt'));
  const again = await s.request<unknown, FileChange[]>(P.ListFileChanges, { chat_id: chat.id });
  const made = again.filter((c) => c.relative_path === 'made.txt' && c.state === 'applied');
  const refused = await s.request<unknown, RestoreResult>(P.UndoFileChanges, { chat_id: chat.id, change_ids: made.map((c) => c.id) });
  assert.equal(refused.restored.length, 0);
  assert.equal(existsSync(outside), false, 'nothing written outside the workspace');

  // A background command still running at the end of the turn: what it changed so far belongs to the turn.
  env.fake.enqueue(call('execute', { command: 'echo early > early.txt; sleep 30', run_in_background: true }, 'bg1'), { kind: 'text', text: 'started' });
  await s.request(P.SendMessage, { chat_id: chat.id, content: text('start a server') });
  await s.waitForStatus(chat.id, ['waiting'], 20_000);
  await s.waitFor(() => existsSync(ws('early.txt')), 10_000, 'the background command wrote');
  await s.request(P.InterruptChat, { chat_id: chat.id }).catch(() => undefined);
  env.fake.enqueue({ kind: 'text', text: 'ok' });
  await s.request(P.SendMessage, { chat_id: chat.id, content: text('and now?') });
  await s.waitForStatus(chat.id, ['waiting'], 20_000);
  const bg = (await s.request<unknown, FileChange[]>(P.ListFileChanges, { chat_id: chat.id })).filter((c) => c.relative_path === 'early.txt');
  assert.equal(bg.length, 1, 'recorded once, at the end of a turn');
  assert.equal(bg[0].tool_call_id, 'bg1');

  await s.request(P.UpdateChat, { chat_id: chat.id, archived: true });
  assert.deepEqual(await s.request(P.ListFileChanges, { chat_id: chat.id }), []);
  const blobs = path.join(env.dir, 'checkpoints', 'blobs');
  assert.equal(readdirSync(blobs).flatMap((d) => readdirSync(path.join(blobs, d))).length, 0, 'blobs nobody refers to are deleted');
});

test('CLI: checkpoints list and restore --dry-run, then restore, on the same database', async () => {
  const s = await env.start();
  const chat = await agentEdits(s);
  const to = await firstUserId(s, chat.id);
  await s.stop();
  const cli = (...args: string[]) => new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI_JS, ...args, '--db', env.dbPath, '--workspace', env.workspace], { env: { ...process.env, OPENAI_BASE_URL: '', OPENAI_API_KEY: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
  const list = await cli('checkpoints', 'list', chat.id);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /applied write_file +\+1 -1 {2}a\.txt/);
  const dry = await cli('checkpoints', 'restore', chat.id, String(to), '--dry-run');
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /would restore .*a\.txt \(restored\)/);
  assert.match(dry.stdout, /would restore .*b\.txt \(deleted\)/);
  assert.equal(read('a.txt'), 'agent a\n');
  const real = await cli('checkpoints', 'restore', chat.id, String(to));
  assert.equal(real.code, 0, real.stderr);
  assert.match(real.stdout, /restore 1 \(undo: local-agents checkpoints undo/);
  assert.equal(read('a.txt'), 'user a\n');
  assert.equal(existsSync(ws('sub/b.txt')), false);
  const bad = await cli('checkpoints', 'restore', chat.id, 'abc');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /MESSAGE_ID must be a positive integer/);
});
