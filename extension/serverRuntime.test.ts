import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { bundledNode, checkRuntime, resolveRuntime } from './serverRuntime';

let dir: string;
beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'la-rt-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const native = { target: 'linux-x64', node: '24.21.0', modules: process.versions.modules };

test('the bundled runtime is used unless the setting names another; a dev checkout falls back to node on PATH', () => {
  assert.deepEqual(resolveRuntime('', dir), { command: 'node', source: 'path' });
  mkdirSync(path.join(dir, 'runtime', 'bin'), { recursive: true });
  const bin = path.join(dir, 'runtime', 'bin', 'node');
  writeFileSync(bin, '#!/bin/sh\n');
  chmodSync(bin, 0o644);
  assert.deepEqual(resolveRuntime('', dir), { command: bin, source: 'bundled' });
  assert.equal(bundledNode(dir), bin);
  assert.ok((statSync(bin).mode & 0o111) !== 0, 'a lost executable bit is restored');
  assert.deepEqual(resolveRuntime(' /opt/node/bin/node ', dir), { command: '/opt/node/bin/node', source: 'setting' });
});

test('a Node of the right ABI passes', async () => {
  const r = await checkRuntime({ command: process.execPath, source: 'bundled' }, native);
  assert.deepEqual(r, { ok: true, version: process.version, modules: process.versions.modules });
});

test('a Node of another ABI is named with what is needed and the setting that fixes it', async () => {
  const r = await checkRuntime({ command: process.execPath, source: 'setting' }, { ...native, modules: '999' });
  assert.equal(r.ok, false);
  assert.ok(!r.ok);
  assert.match(r.message, new RegExp(`is Node ${process.version.replace(/\./g, '\\.')} \\(NODE_MODULE_VERSION ${process.versions.modules}\\), but the server's SQLite module is built for NODE_MODULE_VERSION 999 \\(Node 24\\)`));
  assert.match(r.message, /Clear the setting "localAgents\.server\.nodePath" to use the Node that comes with the extension, or point it at a Node 24/);
});

test('a missing binary and a program that is not Node say so', async () => {
  const missing = await checkRuntime({ command: path.join(dir, 'nope'), source: 'setting' }, native);
  assert.ok(!missing.ok && /was not found/.test(missing.message), JSON.stringify(missing));
  const fake = path.join(dir, 'fake-node');
  writeFileSync(fake, '#!/bin/sh\necho "I am not node"\n');
  chmodSync(fake, 0o755);
  const notNode = await checkRuntime({ command: fake, source: 'setting' }, native);
  assert.ok(!notNode.ok && /is not a Node\.js \(it answered "I am not node"\)/.test(notNode.message), JSON.stringify(notNode));
});
