import assert from 'node:assert/strict';
import { test } from 'node:test';
import { joinCommandLine, parseEnvEntries, splitCommandLine } from './commandLine';

test('args split on blanks with quotes and escapes', () => {
  assert.deepEqual(splitCommandLine(`-y  @scope/pkg "two words" 'it''s' a\\ b ""`), ['-y', '@scope/pkg', 'two words', 'its', 'a b', '']);
  assert.deepEqual(splitCommandLine('   '), []);
  assert.throws(() => splitCommandLine('"open'), /Unclosed " quote/);
});

test('join is the inverse of split', () => {
  const args = ['/path/to/index.js', 'stdio', 'two words', "it's", ''];
  assert.deepEqual(splitCommandLine(joinCommandLine(args)), args);
});

test('env entries: NAME=value sets, a bare NAME keeps the stored value', () => {
  assert.deepEqual(parseEnvEntries('A=1; B = x=y\nC=; KEEP'), { names: ['A', 'B', 'C', 'KEEP'], values: { A: '1', B: ' x=y', C: '' } });
  assert.throws(() => parseEnvEntries('9BAD=1'), /"9BAD" is not a variable name/);
});
