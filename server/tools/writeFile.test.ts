import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { makeTestWorkspace, type TestWorkspace } from './toolTestSupport';
import { writeFileTool } from './writeFile';

let ws: TestWorkspace;
beforeEach(() => { ws = makeTestWorkspace(); });
afterEach(() => ws.cleanup());

test('creates the file and its missing parent folders', async () => {
  assert.deepEqual(await writeFileTool.run({ path: 'a/b/c/new.txt', content: 'hello\n' }, ws.ctx), { ok: true });
  assert.equal(readFileSync(path.join(ws.root, 'a/b/c/new.txt'), 'utf8'), 'hello\n');
});

test('replaces the content of an existing file', async () => {
  await writeFileTool.run({ path: 'f.txt', content: 'one' }, ws.ctx);
  await writeFileTool.run({ path: path.join(ws.root, 'f.txt'), content: 'two' }, ws.ctx);
  assert.equal(readFileSync(path.join(ws.root, 'f.txt'), 'utf8'), 'two');
});

test('refuses paths outside the workspace, including through a symlinked folder', async () => {
  symlinkSync(ws.outside, path.join(ws.root, 'out'));
  await assert.rejects(writeFileTool.run({ path: '../outside/x.txt', content: 'x' }, ws.ctx), /path: "..\/outside\/x.txt" is outside the workspace/);
  await assert.rejects(writeFileTool.run({ path: 'out/x.txt', content: 'x' }, ws.ctx), /outside the workspace/);
  assert.equal(existsSync(path.join(ws.outside, 'x.txt')), false);
});

test('refuses to overwrite a directory', async () => {
  mkdirSync(path.join(ws.root, 'd'));
  await assert.rejects(writeFileTool.run({ path: 'd', content: 'x' }, ws.ctx), /path: "d" is a directory/);
});

test('refuses in an untrusted workspace and writes nothing', async () => {
  await assert.rejects(writeFileTool.run({ path: 'f.txt', content: 'x' }, { ...ws.ctx, trusted: false }), {
    message: 'Workspace is not trusted: write_file is disabled. Trust the workspace to allow it.',
  });
  assert.equal(existsSync(path.join(ws.root, 'f.txt')), false);
});
