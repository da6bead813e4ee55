import assert from 'node:assert/strict';
import { test } from 'node:test';
import { absolutePath, parseArgs } from './toolArgs';

test('arguments: complete JSON parses, streaming fragments do not, model_intent wrappers unwrap', () => {
  assert.deepEqual(parseArgs('{"path":"a.ts"}'), { path: 'a.ts' });
  assert.equal(parseArgs('{"path":"a'), undefined);
  assert.equal(parseArgs('3'), undefined);
  assert.deepEqual(parseArgs('{"model_intent":"Echo","properties":{"message":"hi"}}'), { message: 'hi' });
});

test('relative paths resolve against the workspace folder, absolute ones stay', () => {
  assert.equal(absolutePath('src/a.ts', '/w/proj/'), '/w/proj/src/a.ts');
  assert.equal(absolutePath('./src/a.ts', '/w/proj'), '/w/proj/src/a.ts');
  assert.equal(absolutePath('/etc/hosts', '/w/proj'), '/etc/hosts');
  assert.equal(absolutePath('src\\a.ts', 'C:\\proj'), 'C:\\proj\\src\\a.ts');
  assert.equal(absolutePath('D:\\x.ts', 'C:\\proj'), 'D:\\x.ts');
  assert.equal(absolutePath('a.ts', null), 'a.ts');
});
