import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { executeTool, isFileDump, OUTPUT_CAP_BYTES, READ_FILE_NOTE, splitTrailingAmpersand } from './execute';
import { processOutputTool } from './processOutput';
import { isAlive, waitUntil } from './processTestSupport';
import { makeTestWorkspace, type TestWorkspace } from './toolTestSupport';

let ws: TestWorkspace;
beforeEach(() => { ws = makeTestWorkspace(); });
afterEach(() => ws.cleanup());

interface ExecResult {
  success: boolean; output: string; exit_code?: number; wall_duration_ms: number;
  error?: string; truncated?: boolean; note?: string; background_process_id?: string;
}
interface OutputResult { output: string; running: boolean; exit_code?: number; truncated?: boolean }

const exec = async (args: Parameters<typeof executeTool.run>[0], ctx = ws.ctx) => (await executeTool.run(args, ctx)) as ExecResult;
const output = async (args: Parameters<typeof processOutputTool.run>[0], ctx = ws.ctx) => (await processOutputTool.run(args, ctx)) as OutputResult;

test('a successful command returns its output and exit code 0, run in the workspace folder', async () => {
  const r = await exec({ command: 'echo hello; pwd' });
  assert.equal(r.success, true);
  assert.equal(r.exit_code, 0);
  assert.equal(r.output, `hello\n${ws.root}\n`);
  assert.equal(r.error, undefined);
  assert.ok(r.wall_duration_ms >= 0);
  // Nobody can ask about a finished foreground command, so the registry does not keep it.
  assert.equal(ws.processes.listForChat(ws.ctx.chatId).length, 0);
});

test('a failing command reports its exit code, with stderr interleaved in the output', async () => {
  const r = await exec({ command: 'echo out; echo err >&2; exit 3' });
  assert.equal(r.success, false);
  assert.equal(r.exit_code, 3);
  assert.match(r.output, /out\n/);
  assert.match(r.output, /err\n/);
  assert.equal(r.error, 'The command exited with code 3.');
});

test('the non-interactive environment is visible to the command, and the server key is not', async () => {
  process.env.OPENAI_API_KEY = 'sk-test-secret';
  try {
    const r = await exec({ command: 'for v in GIT_EDITOR GIT_SEQUENCE_EDITOR EDITOR VISUAL GIT_TERMINAL_PROMPT NO_COLOR TERM PAGER GIT_PAGER LOCAL_AGENTS_AGENT; do printf "%s=%s\\n" "$v" "$(printenv $v)"; done; echo "key=${OPENAI_API_KEY:-unset}"' });
    assert.equal(r.output, [
      'GIT_EDITOR=true', 'GIT_SEQUENCE_EDITOR=true', 'EDITOR=true', 'VISUAL=true', 'GIT_TERMINAL_PROMPT=0', 'NO_COLOR=1',
      'TERM=dumb', 'PAGER=cat', 'GIT_PAGER=cat', 'LOCAL_AGENTS_AGENT=true', 'key=unset', '',
    ].join('\n'));
  } finally {
    delete process.env.OPENAI_API_KEY;
  }
});

test('secret-looking variables are dropped unless passed through; drop adds names', async () => {
  const names = { GITHUB_TOKEN: 'ghp_x1', AWS_SECRET_ACCESS_KEY: 'aws_x2', db_password: 'pw_x3', MY_CREDENTIALS: 'c_x4', NPM_KEY: 'k_x5', LOCAL_AGENTS_API_TOKEN: 'la_x6', PLAIN_VAR: 'plain', EXTRA: 'extra' };
  Object.assign(process.env, names);
  try {
    const show = 'for v in GITHUB_TOKEN AWS_SECRET_ACCESS_KEY db_password MY_CREDENTIALS NPM_KEY LOCAL_AGENTS_API_TOKEN PLAIN_VAR EXTRA; do printf "%s=%s\\n" "$v" "$(printenv $v)"; done';
    const byDefault = await exec({ command: show });
    assert.equal(byDefault.output, 'GITHUB_TOKEN=\nAWS_SECRET_ACCESS_KEY=\ndb_password=\nMY_CREDENTIALS=\nNPM_KEY=\nLOCAL_AGENTS_API_TOKEN=\nPLAIN_VAR=plain\nEXTRA=extra\n');
    const env = await exec({ command: 'env' });
    for (const secret of ['ghp_x1', 'aws_x2', 'pw_x3', 'c_x4', 'k_x5', 'la_x6']) assert.ok(!env.output.includes(secret), `env shows ${secret}`);
    const passed = await exec({ command: show }, { ...ws.ctx, envPolicy: { passThrough: ['GITHUB_TOKEN', 'LOCAL_AGENTS_API_TOKEN'], drop: ['EXTRA'] } });
    assert.match(passed.output, /^GITHUB_TOKEN=ghp_x1$/m, 'passed through on purpose');
    assert.match(passed.output, /^LOCAL_AGENTS_API_TOKEN=$/m, 'the server\'s own never');
    assert.match(passed.output, /^AWS_SECRET_ACCESS_KEY=$/m);
    assert.match(passed.output, /^EXTRA=$/m, 'dropped by name');
  } finally {
    for (const k of Object.keys(names)) delete process.env[k];
  }
});

test('stdin is closed: a command reading input returns at once', async () => {
  const r = await exec({ command: 'read x; echo "read returned $?"', timeout: 5 });
  assert.equal(r.output, 'read returned 1\n');
  assert.ok(r.wall_duration_ms < 2000, `took ${r.wall_duration_ms} ms`);
});

test('output beyond 32 KB is truncated, keeping its start and end', async () => {
  const r = await exec({ command: 'echo FIRST; i=0; while [ $i -lt 4000 ]; do echo "line $i xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"; i=$((i+1)); done; echo LAST' });
  assert.equal(r.success, true);
  assert.equal(r.truncated, true);
  assert.ok(r.output.startsWith('FIRST\n'));
  assert.ok(r.output.endsWith('LAST\n'));
  assert.match(r.output, /\[\d+ bytes of output omitted\]/);
  assert.ok(Buffer.byteLength(r.output) <= OUTPUT_CAP_BYTES + 100, `output is ${Buffer.byteLength(r.output)} bytes`);
});

test('on timeout the process keeps running and process_output gets the rest', async () => {
  const r = await exec({ command: 'echo start; sleep 1; echo end', timeout: '300ms' });
  assert.equal(r.success, false);
  assert.equal(r.exit_code, undefined);
  assert.equal(r.output, 'start\n');
  assert.match(r.background_process_id ?? '', /^proc_\d+$/);
  assert.match(r.note ?? '', /process_output/);
  const rest = await output({ process_id: r.background_process_id!, wait_timeout: '5s' });
  assert.deepEqual(rest, { output: 'start\nend\n', running: false, exit_code: 0 });
});

test('run_in_background returns at once; process_output snapshots with "0s" and waits otherwise', async () => {
  const started = Date.now();
  const r = await exec({ command: 'echo begin; sleep 0.5; echo done; exit 4', run_in_background: true });
  assert.ok(Date.now() - started < 400);
  assert.equal(r.success, true);
  const id = r.background_process_id!;
  await waitUntil(() => ws.processes.get(id)!.totalBytes > 0);
  const snapshot = await output({ process_id: id, wait_timeout: '0s' });
  assert.deepEqual(snapshot, { output: 'begin\n', running: true });
  const final = await output({ process_id: id });
  assert.deepEqual(final, { output: 'begin\ndone\n', running: false, exit_code: 4 });
});

test('a trailing & switches to background mode', async () => {
  assert.deepEqual(splitTrailingAmpersand('npm run dev &'), { command: 'npm run dev', background: true });
  assert.deepEqual(splitTrailingAmpersand('a && b'), { command: 'a && b', background: false });
  assert.deepEqual(splitTrailingAmpersand('a 2>&1'), { command: 'a 2>&1', background: false });
  const r = await exec({ command: 'sleep 0.2; echo bg &' });
  assert.match(r.background_process_id ?? '', /^proc_/);
  const out = await output({ process_id: r.background_process_id!, wait_timeout: 5 });
  assert.equal(out.output, 'bg\n');
});

test('output streams live through onOutput while the command runs', async () => {
  const deltas: Array<{ text: string; at: number }> = [];
  const ctx = { ...ws.ctx, onOutput: (text: string) => deltas.push({ text, at: Date.now() }) };
  const r = await exec({ command: 'echo one; sleep 0.4; echo two' }, ctx);
  const finished = Date.now();
  assert.equal(deltas.map((d) => d.text).join(''), 'one\ntwo\n');
  assert.equal(r.output, 'one\ntwo\n');
  assert.ok(finished - deltas[0].at >= 300, 'the first line arrived before the command finished');
});

test('aborting the turn kills the whole process group, children included', async () => {
  const pidFile = path.join(ws.root, 'child.pid');
  const running = exec({ command: `sleep 30 & echo $! > ${pidFile}; echo started; wait`, timeout: 60 });
  assert.ok(await waitUntil(() => { try { return readFileSync(pidFile, 'utf8').trim() !== ''; } catch { return false; } }));
  const childPid = Number(readFileSync(pidFile, 'utf8'));
  assert.ok(isAlive(childPid));
  ws.controller.abort();
  const r = await running;
  assert.equal(r.success, false);
  assert.equal(r.error, 'The command was interrupted and its processes were killed.');
  assert.ok(await waitUntil(() => !isAlive(childPid)), 'the child sleep is gone');
});

test('workdir runs the command in a folder inside the workspace and refuses folders outside', async () => {
  mkdirSync(path.join(ws.root, 'sub'));
  assert.equal((await exec({ command: 'pwd', workdir: 'sub' })).output, `${path.join(ws.root, 'sub')}\n`);
  await assert.rejects(exec({ command: 'pwd', workdir: '..' }), { message: 'workdir: ".." is outside the workspace.' });
  await assert.rejects(exec({ command: 'pwd', workdir: ws.outside }), /^Error: workdir: ".*" is outside the workspace\.$/);
  await assert.rejects(exec({ command: 'pwd', workdir: 'missing' }), { message: 'workdir: "missing" is not a folder.' });
});

test('file dumps get a note pointing to read_file', async () => {
  writeFileSync(path.join(ws.root, 'a.txt'), 'content\n');
  assert.equal((await exec({ command: 'cat a.txt' })).note, READ_FILE_NOTE);
  assert.equal((await exec({ command: 'echo hi' })).note, undefined);
  assert.equal(isFileDump('head -n 50 src/x.ts'), true);
  assert.equal(isFileDump('grep -rn foo src'), true);
  assert.equal(isFileDump('cat a.txt | wc -l'), false);
  assert.equal(isFileDump('ls -la'), false);
});

test('an untrusted workspace refuses execute and starts nothing', async () => {
  await assert.rejects(exec({ command: 'touch made' }, { ...ws.ctx, trusted: false }), {
    message: 'Workspace is not trusted: execute is disabled. Trust the workspace to allow it.',
  });
  assert.equal(ws.processes.listForChat(ws.ctx.chatId).length, 0);
});

test('process_output works in an untrusted workspace but only sees this chat\'s processes', async () => {
  const r = await exec({ command: 'echo x', run_in_background: true });
  const untrusted = { ...ws.ctx, trusted: false };
  assert.equal((await output({ process_id: r.background_process_id!, wait_timeout: 5 }, untrusted)).output, 'x\n');
  await assert.rejects(output({ process_id: r.background_process_id! }, { ...ws.ctx, chatId: 'other-chat' }), /^Error: process_id: no background process "proc_\d+" in this chat\.$/);
  await assert.rejects(output({ process_id: 'proc_999' }), /process_id: no background process "proc_999" in this chat \(known: proc_\d+\)\./);
});
