import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyMatches, findMatches } from './textMatch';

const replace = (content: string, oldText: string, newText: string) => {
  const { matches, fuzzy } = findMatches(content, oldText, newText);
  return { text: applyMatches(content, matches), count: matches.length, fuzzy };
};

test('exact matches win and are non-overlapping', () => {
  assert.deepEqual(replace('aaaa', 'aa', 'b'), { text: 'bb', count: 2, fuzzy: false });
});

test('old_text indented less than the file: new_text gains the same indentation', () => {
  const file = 'class A {\n  m() {\n    return 1;\n  }\n}\n';
  const r = replace(file, 'm() {\n  return 1;\n}', 'm() {\n  return 2;\n}');
  assert.equal(r.text, 'class A {\n  m() {\n    return 2;\n  }\n}\n');
  assert.equal(r.fuzzy, true);
});

test('old_text indented more than the file: new_text loses the surplus', () => {
  const file = 'if (x) {\n  go();\n}\n';
  const r = replace(file, '    if (x) {\n      go();\n    }', '    if (y) {\n      go();\n    }');
  assert.equal(r.text, 'if (y) {\n  go();\n}\n');
});

test('blank old_text only matches exactly; absent text finds nothing', () => {
  assert.equal(findMatches('a\n\nb\n', '\n', 'x').matches.length, 3, 'exact newlines still match');
  assert.equal(findMatches('a\nb\n', '   \n  ', 'x').matches.length, 0);
  assert.equal(findMatches('a\nb\n', 'c', 'x').matches.length, 0);
});

test('several fuzzy matches are all reported', () => {
  assert.equal(findMatches('  x = 1\n\tx = 1 \n', 'x = 1', 'y').matches.length, 2);
});
