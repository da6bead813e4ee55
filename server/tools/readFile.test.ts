import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { MAX_LINE_CHARS, readFileTool } from './readFile';
import { makeTestWorkspace, type TestWorkspace } from './toolTestSupport';

let ws: TestWorkspace;
beforeEach(() => { ws = makeTestWorkspace(); });
afterEach(() => ws.cleanup());

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

test('returns numbered lines, file size, lines read and total lines', async () => {
  writeFileSync(path.join(ws.root, 'a.txt'), 'alpha\nbeta\n');
  const r = await readFileTool.run({ path: 'a.txt' }, ws.ctx);
  assert.deepEqual(r, { content: '   1\talpha\n   2\tbeta', file_size: 11, lines_read: 2, total_lines: 2 });
});

test('offset is 1-based and limit caps the lines read', async () => {
  writeFileSync(path.join(ws.root, 'big.txt'), lines(3000));
  const first = await readFileTool.run({ path: 'big.txt' }, ws.ctx) as { content: string; lines_read: number; total_lines: number };
  assert.equal(first.lines_read, 2000);
  assert.equal(first.total_lines, 3000);
  assert.equal(first.content.split('\n').at(-1), '2000\tline 2000');

  const page = await readFileTool.run({ path: 'big.txt', offset: 2999, limit: 10 }, ws.ctx) as { content: string; lines_read: number };
  assert.equal(page.content, '2999\tline 2999\n3000\tline 3000');
  assert.equal(page.lines_read, 2);

  const mid = await readFileTool.run({ path: 'big.txt', offset: 5, limit: 2 }, ws.ctx) as { content: string };
  assert.equal(mid.content, '   5\tline 5\n   6\tline 6');
});

test('an offset past the end is an error naming offset', async () => {
  writeFileSync(path.join(ws.root, 'a.txt'), 'one\ntwo\n');
  await assert.rejects(readFileTool.run({ path: 'a.txt', offset: 5 }, ws.ctx), /^Error: offset: 5 is past the end of "a.txt", which has 2 lines\.$/);
});

test('an empty file reads as no lines', async () => {
  writeFileSync(path.join(ws.root, 'empty.txt'), '');
  assert.deepEqual(await readFileTool.run({ path: 'empty.txt' }, ws.ctx), { content: '', file_size: 0, lines_read: 0, total_lines: 0 });
});

test('very long lines are cut; CRLF line ends are not shown', async () => {
  writeFileSync(path.join(ws.root, 'long.txt'), `${'x'.repeat(MAX_LINE_CHARS + 500)}\r\nshort\r\n`);
  const r = await readFileTool.run({ path: 'long.txt' }, ws.ctx) as { content: string };
  const [first, second] = r.content.split('\n');
  assert.equal(first, `   1\t${'x'.repeat(MAX_LINE_CHARS)}... [line cut: ${MAX_LINE_CHARS + 500} characters]`);
  assert.equal(second, '   2\tshort');
});

test('directories, binary files and missing files are refused with clear errors', async () => {
  mkdirSync(path.join(ws.root, 'dir'));
  writeFileSync(path.join(ws.root, 'bin.dat'), Buffer.from([0x89, 0x50, 0x00, 0x01, 0x02]));
  await assert.rejects(readFileTool.run({ path: 'dir' }, ws.ctx), /path: "dir" is a directory/);
  await assert.rejects(readFileTool.run({ path: 'bin.dat' }, ws.ctx), /path: "bin.dat" is a binary file/);
  await assert.rejects(readFileTool.run({ path: 'nope.txt' }, ws.ctx), /path: "nope.txt" does not exist/);
});

test('files outside the workspace cannot be read, even through a symlink', async () => {
  writeFileSync(path.join(ws.outside, 'secret.txt'), 'secret');
  symlinkSync(path.join(ws.outside, 'secret.txt'), path.join(ws.root, 'link.txt'));
  await assert.rejects(readFileTool.run({ path: '../outside/secret.txt' }, ws.ctx), /outside the workspace/);
  await assert.rejects(readFileTool.run({ path: 'link.txt' }, ws.ctx), /outside the workspace/);
});

test('reading works in an untrusted workspace', async () => {
  const untrusted = { ...ws.ctx, trusted: false };
  writeFileSync(path.join(ws.root, 'a.txt'), 'hi\n');
  const r = await readFileTool.run({ path: 'a.txt' }, untrusted) as { content: string };
  assert.equal(r.content, '   1\thi');
});
