import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJsonc, stripJsonc } from './jsonc';

test('comments and trailing commas are removed, strings kept as they are', () => {
  const text = `{
    // a line comment
    "servers": { /* block */ "a": { "url": "http://x//y/*z*/", "args": ["1", "2",], }, },
    "s": "quote \\" // not a comment",
  }`;
  assert.deepEqual(parseJsonc(text), { servers: { a: { url: 'http://x//y/*z*/', args: ['1', '2'] } }, s: 'quote " // not a comment' });
  assert.equal(stripJsonc('[1, /* c */ ]').length, '[1, /* c */ ]'.length, 'offsets kept');
});

test('a trailing comma followed by a comment before the bracket goes too', () => {
  assert.deepEqual(parseJsonc('{"a": 1, // last\n}'), { a: 1 });
});

test('empty text is an empty object; a BOM is ignored', () => {
  assert.deepEqual(parseJsonc('  '), {});
  assert.deepEqual(parseJsonc('\uFEFF{"a":1}'), { a: 1 });
});
