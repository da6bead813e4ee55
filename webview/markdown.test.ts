import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JSDOM } from 'jsdom';
import { renderMarkdown, setWindow } from './markdown';

setWindow(new JSDOM('').window);

test('model markdown is rendered and nothing executable survives', () => {
  const html = renderMarkdown([
    '# Title',
    '<script>alert(1)</script>',
    '<img src="x" onerror="alert(2)">',
    '[click](javascript:alert(3)) and [docs](https://example.com)',
    '<iframe src="https://evil"></iframe>',
    '<p style="background:url(x)">styled</p>',
    '```ts\nconst x: number = 1;\n```',
  ].join('\n\n'));
  assert.match(html, /<h1[^>]*>Title<\/h1>/);
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /onerror/i);
  assert.doesNotMatch(html, /javascript:/i);
  assert.doesNotMatch(html, /<iframe/i);
  assert.doesNotMatch(html, /style=/i);
  assert.match(html, /href="https:\/\/example.com"/);
  assert.match(html, /class="hljs language-ts"/);
  assert.match(html, /<span class="hljs-keyword">const<\/span>/);
  assert.match(html, /class="copy-code/);
});
