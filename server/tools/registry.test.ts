import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { builtinTools, runToolCall, toolDefinitions } from './registry';
import { makeTestWorkspace, type TestWorkspace } from './toolTestSupport';

let ws: TestWorkspace;
beforeEach(() => { ws = makeTestWorkspace(); });
afterEach(() => ws.cleanup());

const tools = builtinTools();
const errorOf = (outcome: { result: unknown }) => (outcome.result as { error: string }).error;

test('the built-in tools and their JSON Schemas, without $schema', () => {
  const defs = toolDefinitions(tools);
  assert.deepEqual(defs.map((d) => d.name), ['read_file', 'write_file', 'edit_files', 'execute', 'process_output']);
  for (const d of defs) {
    assert.equal(d.parameters.type, 'object');
    assert.equal('$schema' in d.parameters, false);
    assert.ok(d.description.length > 40, `${d.name} has a description`);
  }
  const read = defs[0].parameters as { properties: Record<string, unknown>; required: string[] };
  assert.deepEqual(Object.keys(read.properties), ['path', 'offset', 'limit']);
  assert.deepEqual(read.required, ['path']);
  const edit = defs[2].parameters as { properties: { edits: { items: { required: string[] } } }; required: string[] };
  assert.deepEqual(edit.required, ['edits']);
  assert.deepEqual(edit.properties.edits.items.required, ['path', 'old_text', 'new_text']);
  const exec = defs[3].parameters as { properties: Record<string, unknown>; required: string[] };
  assert.deepEqual(Object.keys(exec.properties), ['command', 'timeout', 'workdir', 'run_in_background', 'model_intent']);
  assert.deepEqual(exec.required, ['command']);
});

test('a call runs the tool and returns its result', async () => {
  writeFileSync(path.join(ws.root, 'a.txt'), 'hi\n');
  const outcome = await runToolCall(tools, 'read_file', JSON.stringify({ path: 'a.txt' }), ws.ctx);
  assert.deepEqual(outcome, { result: { content: '   1\thi', file_size: 3, lines_read: 1, total_lines: 1 }, is_error: false });
});

test('an unknown tool is an error result', async () => {
  const outcome = await runToolCall(tools, 'delete_everything', '{}', ws.ctx);
  assert.equal(outcome.is_error, true);
  assert.match(errorOf(outcome), /^Unknown tool "delete_everything"\. Available tools: read_file, write_file/);
});

test('arguments that are not JSON are an error result saying so', async () => {
  const outcome = await runToolCall(tools, 'read_file', '{"path": "a.txt"', ws.ctx);
  assert.equal(outcome.is_error, true);
  assert.match(errorOf(outcome), /^The arguments of read_file are not valid JSON/);
});

test('schema failures name the field', async () => {
  const missing = await runToolCall(tools, 'edit_files', JSON.stringify({ edits: [{ path: 'a.txt', new_text: 'x' }] }), ws.ctx);
  assert.equal(missing.is_error, true);
  assert.equal(errorOf(missing), 'Invalid arguments for edit_files: edits.0.old_text: Required');
  const wrongType = await runToolCall(tools, 'read_file', JSON.stringify({ path: 'a.txt', offset: 'x' }), ws.ctx);
  assert.match(errorOf(wrongType), /^Invalid arguments for read_file: offset: /);
  const legacy = await runToolCall(tools, 'edit_files', JSON.stringify({ files: [{ path: 'a.txt', edits: [] }] }), ws.ctx);
  assert.match(errorOf(legacy), /^Invalid arguments for edit_files: edits: Required: pass edits: \[\{path, old_text, new_text, replace_all\?\}\] \(the older files/);
  const notObject = await runToolCall(tools, 'read_file', '[1]', ws.ctx);
  assert.match(errorOf(notObject), /^Invalid arguments for read_file: arguments: /);
});

test('errors thrown by a tool become error results with their message', async () => {
  const outcome = await runToolCall(tools, 'edit_files', JSON.stringify({ edits: [] }), ws.ctx);
  assert.deepEqual(outcome, { result: { error: 'Add at least one edit to edits. No edits were applied.' }, is_error: true });
  const refused = await runToolCall(tools, 'write_file', JSON.stringify({ path: 'a.txt', content: 'x' }), { ...ws.ctx, trusted: false });
  assert.deepEqual(refused, { result: { error: 'Workspace is not trusted: write_file is disabled. Trust the workspace to allow it.' }, is_error: true });
});

test('empty arguments mean an empty object', async () => {
  const outcome = await runToolCall(tools, 'read_file', '', ws.ctx);
  assert.equal(errorOf(outcome), 'Invalid arguments for read_file: path: Required');
});

test('a failing command is an error result; one still running in the background is not', async () => {
  const failed = await runToolCall(tools, 'execute', JSON.stringify({ command: 'exit 2' }), ws.ctx);
  assert.equal(failed.is_error, true);
  assert.equal((failed.result as { exit_code: number }).exit_code, 2);
  const slow = await runToolCall(tools, 'execute', JSON.stringify({ command: 'sleep 2', timeout: '100ms' }), ws.ctx);
  assert.equal(slow.is_error, false);
  assert.match((slow.result as { background_process_id: string }).background_process_id, /^proc_/);
});

test('write, edit and read through runToolCall end to end', async () => {
  await runToolCall(tools, 'write_file', JSON.stringify({ path: 'src/x.ts', content: 'let a = 1;\n' }), ws.ctx);
  const edit = await runToolCall(tools, 'edit_files', JSON.stringify({ edits: [{ path: 'src/x.ts', old_text: 'a = 1', new_text: 'a = 2' }] }), ws.ctx);
  assert.equal(edit.is_error, false);
  assert.equal(readFileSync(path.join(ws.root, 'src/x.ts'), 'utf8'), 'let a = 2;\n');
});
