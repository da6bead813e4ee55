import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { editFilesTool } from './editFiles';
import { makeTestWorkspace, type TestWorkspace } from './toolTestSupport';

let ws: TestWorkspace;
beforeEach(() => { ws = makeTestWorkspace(); });
afterEach(() => ws.cleanup());

const put = (name: string, text: string) => writeFileSync(path.join(ws.root, name), text);
const get = (name: string) => readFileSync(path.join(ws.root, name), 'utf8');
type EditResult = { ok: boolean; files: Array<{ path: string; diff: string }> };

test('replaces a unique exact match and returns a unified diff per file', async () => {
  put('a.ts', 'const a = 1;\nconst b = 2;\nconst c = 3;\n');
  put('b.ts', 'export {};\n');
  const r = await editFilesTool.run({
    edits: [
      { path: 'a.ts', old_text: 'const b = 2;', new_text: 'const b = 20;' },
      { path: 'b.ts', old_text: 'export {};', new_text: 'export const x = 1;' },
    ],
  }, ws.ctx) as EditResult;
  assert.equal(get('a.ts'), 'const a = 1;\nconst b = 20;\nconst c = 3;\n');
  assert.equal(get('b.ts'), 'export const x = 1;\n');
  assert.equal(r.ok, true);
  assert.deepEqual(r.files.map((f) => f.path), ['a.ts', 'b.ts']);
  assert.equal(r.files[0].diff, [
    '--- a/a.ts', '+++ b/a.ts', '@@ -1,3 +1,3 @@', ' const a = 1;', '-const b = 2;', '+const b = 20;', ' const c = 3;',
  ].join('\n'));
});

test('all or nothing: when the second edit fails the first file is unchanged', async () => {
  put('first.ts', 'one\n');
  put('second.ts', 'two\n');
  await assert.rejects(editFilesTool.run({
    edits: [
      { path: 'first.ts', old_text: 'one', new_text: 'ONE' },
      { path: 'second.ts', old_text: 'missing text', new_text: 'x' },
    ],
  }, ws.ctx), /^Error: edits\.1\.old_text: not found in "second.ts"\..* No edits were applied\.$/);
  assert.equal(get('first.ts'), 'one\n');
  assert.equal(get('second.ts'), 'two\n');
});

test('a missing file or a path outside the workspace fails the whole call', async () => {
  put('a.ts', 'x\n');
  await assert.rejects(editFilesTool.run({ edits: [{ path: 'a.ts', old_text: 'x', new_text: 'y' }, { path: 'nope.ts', old_text: 'x', new_text: 'y' }] }, ws.ctx),
    /^Error: edits\.1\.path: "nope.ts" does not exist; create new files with write_file\. No edits were applied\.$/);
  await assert.rejects(editFilesTool.run({ edits: [{ path: 'a.ts', old_text: 'x', new_text: 'y' }, { path: '../outside/a.ts', old_text: 'x', new_text: 'y' }] }, ws.ctx),
    /^Error: edits\.1\.path: "..\/outside\/a.ts" is outside the workspace\. No edits were applied\.$/);
  assert.equal(get('a.ts'), 'x\n');
});

test('several matches without replace_all is an error naming the edit; replace_all replaces each', async () => {
  put('a.ts', 'foo();\nbar();\nfoo();\n');
  await assert.rejects(editFilesTool.run({ edits: [{ path: 'a.ts', old_text: 'foo();', new_text: 'baz();' }] }, ws.ctx),
    /^Error: edits\.0\.old_text: found 2 times in "a.ts"\. Include more surrounding lines to make it unique, or set replace_all to replace every occurrence\. No edits were applied\.$/);
  assert.equal(get('a.ts'), 'foo();\nbar();\nfoo();\n');
  await editFilesTool.run({ edits: [{ path: 'a.ts', old_text: 'foo();', new_text: 'baz();', replace_all: true }] }, ws.ctx);
  assert.equal(get('a.ts'), 'baz();\nbar();\nbaz();\n');
});

test('edits to one file apply in order, each seeing the previous', async () => {
  put('a.ts', 'alpha\n');
  await editFilesTool.run({ edits: [{ path: 'a.ts', old_text: 'alpha', new_text: 'beta' }, { path: 'a.ts', old_text: 'beta', new_text: 'gamma' }] }, ws.ctx);
  assert.equal(get('a.ts'), 'gamma\n');
});

test('fuzzy match tolerates trailing whitespace and re-indents new_text like the file', async () => {
  put('a.py', 'def f():\n    if x:   \n        return 1\n    return 0\n');
  const r = await editFilesTool.run({
    edits: [{ path: 'a.py', old_text: 'if x:\n    return 1\n', new_text: 'if x and y:\n    return 2\n' }],
  }, ws.ctx) as EditResult;
  assert.equal(get('a.py'), 'def f():\n    if x and y:\n        return 2\n    return 0\n');
  assert.match(r.files[0].diff, /^- {4}if x: {3}$/m);
  assert.match(r.files[0].diff, /^\+ {4}if x and y:$/m);
});

test('fuzzy match keeps CRLF line ends', async () => {
  put('w.txt', 'one\r\ntwo\r\nthree\r\n');
  await editFilesTool.run({ edits: [{ path: 'w.txt', old_text: 'one\ntwo', new_text: 'uno\ndos' }] }, ws.ctx);
  assert.equal(get('w.txt'), 'uno\r\ndos\r\nthree\r\n');
});

test('an empty edit list is refused with the exact message', async () => {
  await assert.rejects(editFilesTool.run({ edits: [] }, ws.ctx), { message: 'Add at least one edit to edits. No edits were applied.' });
});

test('the older files: [...] shape is rejected by the schema with a clear error', () => {
  const r = editFilesTool.schema.safeParse({ files: [{ path: 'a.ts', edits: [{ old_text: 'a', new_text: 'b' }] }] });
  assert.equal(r.success, false);
  assert.deepEqual(r.error?.issues.map((i) => i.path), [['edits']]);
  assert.match(r.error?.issues[0].message ?? '', /the older files: \[\{path, edits\}\] shape is not accepted/);
});

test('refuses in an untrusted workspace', async () => {
  put('a.ts', 'x\n');
  await assert.rejects(editFilesTool.run({ edits: [{ path: 'a.ts', old_text: 'x', new_text: 'y' }] }, { ...ws.ctx, trusted: false }), {
    message: 'Workspace is not trusted: edit_files is disabled. Trust the workspace to allow it.',
  });
  assert.equal(get('a.ts'), 'x\n');
});
