import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unifiedDiff } from './unifiedDiff';

const numbered = (n: number) => Array.from({ length: n }, (_, i) => `l${i + 1}`);

test('equal texts give an empty diff', () => {
  assert.equal(unifiedDiff('f', 'a\n', 'a\n'), '');
});

test('distant changes become separate hunks with correct ranges', () => {
  const before = numbered(30);
  const after = [...before];
  after[1] = 'CHANGED2';
  after.splice(25, 1);
  const diff = unifiedDiff('f.txt', `${before.join('\n')}\n`, `${after.join('\n')}\n`);
  assert.equal(diff, [
    '--- a/f.txt', '+++ b/f.txt',
    '@@ -1,5 +1,5 @@', ' l1', '-l2', '+CHANGED2', ' l3', ' l4', ' l5',
    '@@ -23,7 +23,6 @@', ' l23', ' l24', ' l25', '-l26', ' l27', ' l28', ' l29',
  ].join('\n'));
});

test('pure insertions and deletions at the edges', () => {
  assert.equal(unifiedDiff('f', '', 'a\nb\n'), '--- a/f\n+++ b/f\n@@ -0,0 +1,2 @@\n+a\n+b');
  assert.equal(unifiedDiff('f', 'a\nb\n', 'b\n'), '--- a/f\n+++ b/f\n@@ -1,2 +1,1 @@\n-a\n b');
});

test('large rewrites still produce a diff', () => {
  const before = numbered(5000).join('\n');
  const after = numbered(5000).map((l) => `${l}x`).join('\n');
  const diff = unifiedDiff('big', before, after);
  assert.equal(diff.split('\n').filter((l) => l.startsWith('-l')).length, 5000);
  assert.equal(diff.split('\n').filter((l) => l.startsWith('+l')).length, 5000);
});
