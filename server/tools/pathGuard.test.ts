import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { resolveInWorkspace } from './pathGuard';
import { makeTestWorkspace, type TestWorkspace } from './toolTestSupport';

let ws: TestWorkspace;
beforeEach(() => { ws = makeTestWorkspace(); });
afterEach(() => ws.cleanup());

test('relative paths resolve against the workspace folder, absolute ones inside it are accepted', async () => {
  mkdirSync(path.join(ws.root, 'src'));
  writeFileSync(path.join(ws.root, 'src', 'a.ts'), 'x');
  assert.equal(await resolveInWorkspace(ws.ctx, 'src/a.ts', 'path'), path.join(ws.root, 'src', 'a.ts'));
  assert.equal(await resolveInWorkspace(ws.ctx, path.join(ws.root, 'src', 'a.ts'), 'path'), path.join(ws.root, 'src', 'a.ts'));
  assert.equal(await resolveInWorkspace(ws.ctx, '.', 'workdir'), ws.root);
  // Files that do not exist yet, even under folders that do not exist yet.
  assert.equal(await resolveInWorkspace(ws.ctx, 'new/dir/b.ts', 'path'), path.join(ws.root, 'new', 'dir', 'b.ts'));
  // `..` that stays inside is fine.
  assert.equal(await resolveInWorkspace(ws.ctx, 'src/../src/a.ts', 'path'), path.join(ws.root, 'src', 'a.ts'));
});

test('.. escaping the workspace is refused with the field named', async () => {
  await assert.rejects(resolveInWorkspace(ws.ctx, '../x', 'path'), { message: 'path: "../x" is outside the workspace.' });
  await assert.rejects(resolveInWorkspace(ws.ctx, 'src/../../outside/y', 'edits.2.path'), { message: 'edits.2.path: "src/../../outside/y" is outside the workspace.' });
});

test('absolute paths outside the workspace are refused', async () => {
  await assert.rejects(resolveInWorkspace(ws.ctx, '/etc/passwd', 'path'), /path: "\/etc\/passwd" is outside the workspace/);
  await assert.rejects(resolveInWorkspace(ws.ctx, path.join(ws.outside, 'z'), 'workdir'), /^Error: workdir: ".*" is outside the workspace\.$/);
  // A sibling whose name starts with the root's name is not inside it.
  mkdirSync(`${ws.root}-other`);
  await assert.rejects(resolveInWorkspace(ws.ctx, `${ws.root}-other/f`, 'path'), /outside the workspace/);
});

test('symlinks pointing outside are refused, for existing and not-yet-existing targets', async () => {
  writeFileSync(path.join(ws.outside, 'secret.txt'), 'secret');
  symlinkSync(path.join(ws.outside, 'secret.txt'), path.join(ws.root, 'link.txt'));
  symlinkSync(ws.outside, path.join(ws.root, 'linkdir'));
  symlinkSync(path.join(ws.outside, 'not-yet.txt'), path.join(ws.root, 'dangling.txt'));
  await assert.rejects(resolveInWorkspace(ws.ctx, 'link.txt', 'path'), /path: "link.txt" is outside the workspace/);
  await assert.rejects(resolveInWorkspace(ws.ctx, 'linkdir/secret.txt', 'path'), /outside the workspace/);
  await assert.rejects(resolveInWorkspace(ws.ctx, 'linkdir/new/file.txt', 'path'), /outside the workspace/);
  // Writing through a dangling link would create the file outside.
  await assert.rejects(resolveInWorkspace(ws.ctx, 'dangling.txt', 'path'), /outside the workspace/);
});

test('symlinks staying inside resolve to their real target', async () => {
  mkdirSync(path.join(ws.root, 'real'));
  writeFileSync(path.join(ws.root, 'real', 'f.txt'), 'x');
  symlinkSync(path.join(ws.root, 'real'), path.join(ws.root, 'alias'));
  assert.equal(await resolveInWorkspace(ws.ctx, 'alias/f.txt', 'path'), path.join(ws.root, 'real', 'f.txt'));
});

test('any of several allowed roots is accepted', async () => {
  const ctx = { ...ws.ctx, allowedRoots: [ws.root, ws.outside] };
  assert.equal(await resolveInWorkspace(ctx, path.join(ws.outside, 'f'), 'path'), path.join(ws.outside, 'f'));
  assert.equal(await resolveInWorkspace(ctx, '../outside/f', 'path'), path.join(ws.outside, 'f'));
});

test('empty paths are refused', async () => {
  await assert.rejects(resolveInWorkspace(ws.ctx, '', 'path'), { message: 'path: a path is required.' });
});
