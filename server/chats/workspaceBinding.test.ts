import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { chooseBinding, repairedBinding } from './workspaceBinding';

test('a chat binds inside the workspace only, and a vanished folder is repaired', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'la-bind-'));
  const sub = path.join(root, 'pkg');
  mkdirSync(sub);
  const ws = { workspace: root, folders: [root], trusted: true, scope: 'workspace' as const };
  assert.equal(chooseBinding(ws, undefined), root);
  assert.equal(chooseBinding(ws, 'pkg'), sub);
  assert.throws(() => chooseBinding(ws, '..'), /outside the workspace/);
  assert.throws(() => chooseBinding(ws, os.tmpdir()), /outside the workspace/);
  assert.equal(repairedBinding(ws, 'c', sub), sub);
  rmSync(sub, { recursive: true });
  assert.equal(repairedBinding(ws, 'c', sub), root, 'the gone folder is replaced by the workspace folder');
  assert.equal(repairedBinding({ ...ws, folders: [sub] }, 'c', root), null, 'nothing usable left');
  rmSync(root, { recursive: true });
});
