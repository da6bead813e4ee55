import assert from 'node:assert/strict';
import os from 'node:os';
import { afterEach, test } from 'node:test';
import { HEAD_BYTES, MAX_FINISHED_KEPT, ProcessRegistry, TAIL_CAP_BYTES } from './processRegistry';
import { isAlive, waitUntil } from './processTestSupport';

const registries: ProcessRegistry[] = [];
function registry(): ProcessRegistry {
  const r = new ProcessRegistry();
  registries.push(r);
  return r;
}
afterEach(() => { for (const r of registries.splice(0)) r.killAll(); });

const start = (r: ProcessRegistry, command: string, chatId = 'c1') => r.start({ chatId, command, cwd: os.tmpdir(), env: process.env });

test('processes get proc_<n> ids, their pid, command, chat and start time', async () => {
  const r = registry();
  const a = start(r, 'exit 0');
  const b = start(r, 'exit 0', 'c2');
  assert.equal(a.id, 'proc_1');
  assert.equal(b.id, 'proc_2');
  assert.ok(typeof a.pid === 'number' && a.pid > 0);
  await Promise.all([a.done, b.done]);
  const info = a.info();
  assert.equal(info.command, 'exit 0');
  assert.equal(info.chat_id, 'c1');
  assert.equal(info.running, false);
  assert.equal(info.exit_code, 0);
  assert.ok(!Number.isNaN(Date.parse(info.started_at)));
  assert.deepEqual(r.listForChat('c1').map((p) => p.id), ['proc_1']);
  assert.deepEqual(r.listForChat('c2').map((p) => p.id), ['proc_2']);
  assert.equal(r.get('proc_3'), undefined);
});

test('the buffer keeps the first bytes and the last 1 MiB', async () => {
  const r = registry();
  // ~3 MiB of numbered lines, then a marker.
  const p = start(r, 'echo HEAD; i=0; while [ $i -lt 60000 ]; do printf "%052d\\n" $i; i=$((i+1)); done; echo TAIL');
  await p.done;
  assert.ok(p.totalBytes > 3 * 1024 * 1024);
  const full = p.output();
  assert.equal(full.truncated, true);
  assert.ok(full.output.startsWith('HEAD\n'));
  assert.ok(full.output.endsWith('TAIL\n'));
  assert.ok(Buffer.byteLength(full.output) <= TAIL_CAP_BYTES + 200);
  const small = p.output(1000);
  assert.ok(small.output.startsWith('HEAD\n') && small.output.endsWith('TAIL\n'));
  assert.ok(Buffer.byteLength(small.output) < 1100);
  assert.ok(HEAD_BYTES >= 500);
});

test('a process killed by a signal reports 128 + the signal number', async () => {
  const r = registry();
  const p = start(r, 'sleep 30');
  await waitUntil(() => p.pid !== undefined && isAlive(p.pid));
  r.signal(p, 'SIGTERM');
  await p.done;
  assert.equal(p.shellExitCode, 128 + os.constants.signals.SIGTERM);
  assert.equal(p.info().signal, 'SIGTERM');
});

test('a shell that exits while a child holds its output open still finishes', async () => {
  const r = registry();
  const started = Date.now();
  const p = start(r, 'sleep 30 & echo $!; echo parent done');
  await p.done;
  assert.ok(Date.now() - started < 5000);
  assert.equal(p.shellExitCode, 0);
  const childPid = Number(p.output().output.split('\n')[0]);
  assert.ok(isAlive(childPid));
  r.killAll();
  assert.ok(await waitUntil(() => !isAlive(childPid)), 'killAll reached the leftover child');
});

test('killAll SIGKILLs every running process group', async () => {
  const r = registry();
  const p = start(r, 'sleep 30 & echo $!; wait');
  await waitUntil(() => p.totalBytes > 0);
  const childPid = Number(p.output().output.trim());
  r.killAll();
  await p.done;
  assert.equal(p.info().signal, 'SIGKILL');
  assert.ok(await waitUntil(() => !isAlive(childPid)));
});

test('waitFor resolves on exit, timeout or abort', async () => {
  const r = registry();
  const quick = start(r, 'exit 0');
  assert.equal(await r.waitFor(quick, 5000), 'exited');
  const slow = start(r, 'sleep 30');
  assert.equal(await r.waitFor(slow, 50), 'timeout');
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  assert.equal(await r.waitFor(slow, 5000, controller.signal), 'aborted');
  assert.equal(slow.running, true);
});

test('live output listeners get chunks until they unsubscribe', async () => {
  const r = registry();
  const p = start(r, 'echo a; sleep 0.2; echo b');
  const seen: string[] = [];
  const stop = p.onOutput((s) => seen.push(s));
  await waitUntil(() => seen.length > 0);
  stop();
  await p.done;
  assert.deepEqual(seen, ['a\n']);
  assert.equal(p.output().output, 'a\nb\n');
});

test('only the newest finished processes are kept', async () => {
  const r = registry();
  const procs = Array.from({ length: MAX_FINISHED_KEPT + 5 }, () => start(r, 'exit 0'));
  await Promise.all(procs.map((p) => p.done));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(r.listForChat('c1').length, MAX_FINISHED_KEPT);
  assert.equal(r.get('proc_1'), undefined);
  assert.ok(r.get(`proc_${MAX_FINISHED_KEPT + 5}`));
});
