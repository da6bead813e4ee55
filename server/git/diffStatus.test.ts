// branchDiff on real repositories made with git in a temp dir: the checked-out branch with committed, staged,
// unstaged, untracked, binary and deleted files; the base branch from origin's HEAD, a fork's upstream and the
// branch's own remote counterpart; a repository without commits; another branch from its commits only; and the
// programs a repository's config names (fsmonitor, clean filters) never started by our reads.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import type { ChatDiffFile } from '../protocol';
import { branchDiff, currentBranch, MAX_LISTED_FILES } from './diffStatus';

const tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'la-diffstatus-')));
after(() => rmSync(tmp, { recursive: true, force: true }));

// The helpers' git ignores the user's config; the code under test runs git as the server does.
const GIT_ENV = {
  ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.invalid', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.invalid',
};

interface Repo { dir: string; git(...args: string[]): string; write(rel: string, content: string | Buffer): void; commit(msg: string, ...files: string[]): string }

let repoCount = 0;
function makeRepo(name = 'repo'): Repo {
  const dir = path.join(tmp, `${name}-${++repoCount}`);
  mkdirSync(dir);
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { env: GIT_ENV, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  const write = (rel: string, content: string | Buffer) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  };
  const commit = (msg: string, ...files: string[]) => {
    git('add', '-A', '--', ...(files.length ? files : ['.']));
    git('commit', '-q', '--allow-empty', '-m', msg);
    return git('rev-parse', 'HEAD').trim();
  };
  return { dir, git, write, commit };
}

const lines = (n: number, tag = 'line') => Array.from({ length: n }, (_, i) => `${tag} ${i + 1}\n`).join('');
const byPath = (files: ChatDiffFile[]) => Object.fromEntries(files.map((f) => [f.path, [f.status, f.additions, f.deletions]]));

test('a feature branch: committed, staged, unstaged, untracked, binary and deleted files against the merge base with main', async () => {
  const r = makeRepo();
  r.write('keep.txt', lines(3));
  r.write('mod.txt', lines(3));
  r.write('del.txt', lines(2));
  r.write('gone.txt', lines(4));
  r.write('staged.txt', lines(2));
  r.commit('base');
  r.git('checkout', '-q', '-b', 'feature');
  r.write('feat.txt', lines(4, 'feat'));
  r.write('mod.txt', 'line 1\nchanged 2\nline 3\n');
  r.write('bin.dat', Buffer.from([0x89, 0x50, 0x00, 0x01, 0x02, 0x00, 0xff]));
  r.write('dir/spaced name ü.txt', 'one\n');
  r.git('rm', '-q', 'del.txt');
  r.commit('feature work');
  // main moves on after the branch point: none of it is the branch's change.
  r.git('checkout', '-q', 'main');
  r.write('main-only.txt', lines(7));
  r.write('keep.txt', lines(3) + 'main line\n');
  r.commit('main moves on');
  r.git('checkout', '-q', 'feature');
  // Uncommitted: staged, unstaged, untracked (text and binary), an unstaged deletion.
  r.write('staged.txt', lines(2) + 'staged 3\n');
  r.git('add', 'staged.txt');
  r.write('keep.txt', lines(2) + 'edited 3\nadded 4\n');
  r.write('new.txt', 'a\nb\nno newline at the end');
  r.write('new.bin', Buffer.from([0, 1, 2, 3]));
  r.write('empty.txt', '');
  rmSync(path.join(r.dir, 'gone.txt'));

  const d = await branchDiff(r.dir);
  assert.ok(d);
  assert.equal(d.root, r.dir);
  assert.equal(d.branch, 'feature');
  assert.equal(d.base_branch, 'main');
  assert.equal(d.remote, null);
  assert.equal(d.upstream, null);
  assert.deepEqual(byPath(d.files), {
    'bin.dat': ['added', null, null],
    'del.txt': ['deleted', 0, 2],
    'dir/spaced name ü.txt': ['added', 1, 0],
    'empty.txt': ['untracked', 0, 0],
    'feat.txt': ['added', 4, 0],
    'gone.txt': ['deleted', 0, 4],
    'keep.txt': ['modified', 2, 1],
    'mod.txt': ['modified', 1, 1],
    'new.bin': ['untracked', null, null],
    'new.txt': ['untracked', 3, 0],
    'staged.txt': ['modified', 1, 0],
  });
  assert.deepEqual(d.files.map((f) => f.path), [...d.files.map((f) => f.path)].sort(), 'sorted by path');
  assert.equal(d.changed_files, 11);
  assert.equal(d.additions, 1 + 4 + 2 + 1 + 3 + 1);
  assert.equal(d.deletions, 2 + 4 + 1 + 1);

  // From a subfolder the same repository is read, rooted at its top.
  const sub = await branchDiff(path.join(r.dir, 'dir'));
  assert.equal(sub?.root, r.dir);
  assert.equal(sub?.changed_files, 11);
});

test('origin\'s HEAD names the base branch: develop, not main', async () => {
  const r = makeRepo();
  r.write('a.txt', 'a\n');
  const mainTip = r.commit('base');
  r.git('checkout', '-q', '-b', 'develop');
  r.write('develop-only.txt', lines(5));
  const developTip = r.commit('develop work');
  r.git('checkout', '-q', '-b', 'feature');
  r.write('feature.txt', lines(2));
  r.commit('feature work');
  r.git('branch', '-q', '-D', 'develop');
  r.git('remote', 'add', 'origin', 'https://x-access-token:ghp_secret123@github.com/octo/demo.git');
  r.git('update-ref', 'refs/remotes/origin/main', mainTip);
  r.git('update-ref', 'refs/remotes/origin/develop', developTip);
  r.git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/develop');

  const d = await branchDiff(r.dir);
  assert.equal(d?.branch, 'feature');
  assert.equal(d?.base_branch, 'develop');
  assert.deepEqual(byPath(d!.files), { 'feature.txt': ['added', 2, 0] }, 'develop\'s own commits are not the branch\'s');
  assert.equal(d?.remote, 'https://github.com/octo/demo.git', 'stored without the token');

  // A pull request's base branch (the hint) wins over origin's HEAD.
  const hinted = await branchDiff(r.dir, { baseHint: 'main' });
  assert.equal(hinted?.base_branch, 'main');
  assert.deepEqual(Object.keys(byPath(hinted!.files)), ['develop-only.txt', 'feature.txt']);
  // A hint naming a branch that is nowhere falls back to origin's HEAD.
  assert.equal((await branchDiff(r.dir, { baseHint: 'no-such-branch' }))?.base_branch, 'develop');
});

test('a fork: the base branch is upstream\'s, and both remotes are kept without credentials', async () => {
  const r = makeRepo();
  r.write('a.txt', 'a\n');
  const old = r.commit('base');
  r.write('upstream.txt', lines(3));
  const upstreamTip = r.commit('upstream moved on');
  r.git('checkout', '-q', '-b', 'fix');
  r.write('fix.txt', lines(1));
  r.commit('fix');
  r.git('branch', '-q', '-f', 'main', old);
  r.git('remote', 'add', 'origin', 'git@github.com:forker/demo.git');
  r.git('remote', 'add', 'upstream', 'https://someone:pw@github.com/octo/demo.git');
  r.git('update-ref', 'refs/remotes/origin/main', old);
  r.git('update-ref', 'refs/remotes/upstream/main', upstreamTip);

  const d = await branchDiff(r.dir);
  assert.equal(d?.base_branch, 'main');
  assert.deepEqual(byPath(d!.files), { 'fix.txt': ['added', 1, 0] }, 'against upstream/main, not the fork\'s stale main');
  assert.equal(d?.remote, 'git@github.com:forker/demo.git');
  assert.equal(d?.upstream, 'https://github.com/octo/demo.git');
});

test('working on main itself: the commits origin/main does not have yet, plus the working tree', async () => {
  const r = makeRepo();
  r.write('a.txt', lines(2));
  const pushed = r.commit('pushed');
  r.write('b.txt', lines(3));
  r.commit('unpushed 1');
  r.write('a.txt', lines(2) + 'more\n');
  r.commit('unpushed 2');
  r.write('c.txt', 'c\n');
  r.git('remote', 'add', 'origin', 'https://github.com/octo/demo.git');
  r.git('update-ref', 'refs/remotes/origin/main', pushed);

  const d = await branchDiff(r.dir);
  assert.equal(d?.branch, 'main');
  assert.equal(d?.base_branch, 'main');
  assert.deepEqual(byPath(d!.files), { 'a.txt': ['modified', 1, 0], 'b.txt': ['added', 3, 0], 'c.txt': ['untracked', 1, 0] });
  assert.equal(d?.remote, 'https://github.com/octo/demo.git');

  // No remote and no other branch: only the uncommitted changes count, and there is no base branch.
  const lone = makeRepo();
  lone.write('a.txt', lines(2));
  lone.commit('one');
  lone.write('a.txt', lines(3));
  const l = await branchDiff(lone.dir);
  assert.equal(l?.base_branch, null);
  assert.deepEqual(byPath(l!.files), { 'a.txt': ['modified', 1, 0] });
});

test('a repository without commits: staged files are added, the rest untracked; a folder outside git is undefined', async () => {
  const r = makeRepo();
  r.write('staged.txt', lines(2));
  r.git('add', 'staged.txt');
  r.write('loose.txt', lines(3));
  const d = await branchDiff(r.dir);
  assert.equal(d?.branch, 'main');
  assert.equal(d?.base_branch, null);
  assert.deepEqual(byPath(d!.files), { 'loose.txt': ['untracked', 3, 0], 'staged.txt': ['added', 2, 0] });
  assert.equal(d?.additions, 5);

  const plain = path.join(tmp, 'not-a-repo');
  mkdirSync(plain);
  assert.equal(await branchDiff(plain), undefined);
  assert.equal(await currentBranch(plain), undefined);
});

test('another branch than the checked-out one is read from its commits only; a detached HEAD has no branch', async () => {
  const r = makeRepo();
  r.write('a.txt', 'a\n');
  r.commit('base');
  r.git('checkout', '-q', '-b', 'feature');
  r.write('f.txt', lines(2));
  r.write('a.txt', 'a\nb\n');
  r.commit('feature');
  r.git('checkout', '-q', 'main');
  r.write('untracked-on-main.txt', 'x\n');
  r.write('a.txt', 'a\nedited on main\n');

  const d = await branchDiff(r.dir, { branch: 'feature' });
  assert.equal(d?.branch, 'feature');
  assert.equal(d?.base_branch, 'main');
  assert.deepEqual(byPath(d!.files), { 'a.txt': ['modified', 1, 0], 'f.txt': ['added', 2, 0] }, 'the working tree of main is not feature\'s');
  assert.equal(await branchDiff(r.dir, { branch: 'deleted-branch' }), undefined);
  assert.equal(await branchDiff(r.dir, { branch: null }), undefined, 'a chat recorded on a detached HEAD, now on a branch');

  r.git('checkout', '-q', '-f', '--detach', 'feature');
  assert.deepEqual(await currentBranch(r.dir), { root: r.dir, branch: null });
  const detached = await branchDiff(r.dir);
  assert.equal(detached?.branch, null);
  assert.equal(detached?.base_branch, 'main');
  assert.deepEqual(Object.keys(byPath(detached!.files)), ['a.txt', 'f.txt', 'untracked-on-main.txt'], 'checked out: the working tree counts');
});

test('more files than are listed: the list is capped, the counts cover every file, untracked ones beyond the counted are listed without counts', async () => {
  const r = makeRepo();
  r.write('a.txt', 'a\n');
  r.commit('base');
  for (let i = 0; i < MAX_LISTED_FILES + 5; i++) r.write(`gen/f${String(i).padStart(3, '0')}.txt`, 'x\n');
  const d = await branchDiff(r.dir);
  assert.equal(d?.changed_files, MAX_LISTED_FILES + 5);
  assert.equal(d?.files.length, MAX_LISTED_FILES);
  assert.equal(d?.additions, 200, 'the first 200 untracked files are counted');
  assert.equal(d?.files.filter((f) => f.additions === null).length, MAX_LISTED_FILES - 200);
});

test('the repository\'s config names programs: an fsmonitor hook and a clean filter are never started by our reads', async () => {
  const r = makeRepo();
  const marker = path.join(tmp, 'fsmonitor-ran');
  const hook = path.join(tmp, 'fsmonitor-hook.sh');
  writeFileSync(hook, `#!/bin/sh\ntouch '${marker}'\nexit 1\n`);
  chmodSync(hook, 0o755);
  r.write('a.txt', 'a\n');
  r.commit('base');
  r.git('config', 'core.fsmonitor', hook);
  r.write('a.txt', 'a\nb\n');
  r.write('u.txt', 'u\n');

  const d = await branchDiff(r.dir);
  assert.deepEqual(byPath(d!.files), { 'a.txt': ['modified', 1, 0], 'u.txt': ['untracked', 1, 0] });
  assert.equal(existsSync(marker), false, 'the fsmonitor hook ran');
  // The hook is real: git itself starts it.
  r.git('status', '--short');
  assert.equal(existsSync(marker), true, 'the test\'s hook does not work');

  const filtered = makeRepo();
  const filterMarker = path.join(tmp, 'clean-filter-ran');
  filtered.write('a.txt', 'a\n');
  filtered.commit('base');
  filtered.write('.gitattributes', '*.txt filter=evil\n');
  filtered.git('config', 'filter.evil.clean', `sh -c 'touch "${filterMarker}"; cat'`);
  filtered.git('config', 'filter.evil.required', 'true');
  filtered.git('config', 'filter.other.process', `sh -c 'touch "${filterMarker}"'`);
  filtered.write('a.txt', 'a\nb\n');
  const f = await branchDiff(filtered.dir);
  assert.deepEqual(byPath(f!.files), { '.gitattributes': ['untracked', 1, 0], 'a.txt': ['modified', 1, 0] }, 'a required filter turned off does not fail the read');
  assert.equal(existsSync(filterMarker), false, 'the clean filter ran');
  filtered.git('diff', '--numstat', 'HEAD');
  assert.equal(existsSync(filterMarker), true, 'the test\'s filter does not work');
});
