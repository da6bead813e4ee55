import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dedupeToolNames, exposedToolName, isToolExposed, tooManyToolsWarning } from './toolNames';

test('exposed names join sanitized slug and tool with "__" and are cut to 64 characters', () => {
  assert.equal(exposedToolName('github', 'search_issues'), 'github__search_issues');
  assert.equal(exposedToolName('my.server', 'get file/contents'), 'my_server__get_file_contents');
  assert.equal(exposedToolName('s', 'ü-ok_1'), 's___-ok_1');
  const long = exposedToolName('slug', 'x'.repeat(100));
  assert.equal(long.length, 64);
  assert.ok(long.startsWith('slug__xxx'));
});

test('allow list wins over deny list; otherwise deny excludes', () => {
  assert.equal(isToolExposed('a', { tool_allow_list: ['a'], tool_deny_list: ['a'] }), true);
  assert.equal(isToolExposed('b', { tool_allow_list: ['a'], tool_deny_list: [] }), false);
  assert.equal(isToolExposed('a', { tool_allow_list: [], tool_deny_list: ['a'] }), false);
  assert.equal(isToolExposed('b', { tool_allow_list: [], tool_deny_list: ['a'] }), true);
});

test('duplicates are sorted by name then config id, the first kept and the rest warned about', () => {
  const r = dedupeToolNames([
    { name: 'x__t', configId: 'c2' },
    { name: 'a__t', configId: 'c9' },
    { name: 'x__t', configId: 'c1' },
  ]);
  assert.deepEqual(r.tools, [{ name: 'a__t', configId: 'c9' }, { name: 'x__t', configId: 'c1' }]);
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0]!, /"x__t".*c2/);
});

test('more than 128 tools gives a warning listing them; 128 does not', () => {
  const names = Array.from({ length: 129 }, (_, i) => `s__t${i}`);
  assert.equal(tooManyToolsWarning(names.slice(0, 128)), null);
  const w = tooManyToolsWarning(names);
  assert.match(w ?? '', /^129 MCP tools are offered, more than 128/);
  assert.match(w ?? '', /s__t0, s__t1/);
  assert.match(w ?? '', /s__t128$/);
});
