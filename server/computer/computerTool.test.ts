import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeKeyCombo, type StepReport } from './browserSession';
import { resultOf, summaryOf, toAction } from './computerTool';

const report = (o: Partial<StepReport> = {}): StepReport => ({
  action: 'click', url: 'http://127.0.0.1:3000/', title: 'App', width: 1024, height: 640, marker: { x: 10, y: 20 },
  console_errors: [], failed_requests: [], blocked_requests: [], notes: [], png: Buffer.from('png'), ...o,
});

test('arguments become one action; what an action needs is required', () => {
  assert.deepEqual(toAction({ action: 'click', x: 5, y: 6 }), { action: 'click', x: 5, y: 6, button: undefined });
  assert.deepEqual(toAction({ action: 'scroll', x: 1, y: 2, dy: 300 }), { action: 'scroll', x: 1, y: 2, dx: 0, dy: 300 });
  assert.throws(() => toAction({ action: 'click', x: 5 }), /click needs `y`/);
  assert.throws(() => toAction({ action: 'type' }), /type needs `text`/);
  assert.throws(() => toAction({ action: 'navigate', url: 'file:///etc/passwd' }), /navigate takes an http\(s\) URL/);
  assert.throws(() => toAction({ action: 'navigate', url: 'javascript:alert(1)' }), /http\(s\) URL/);
});

test('the result: a one-line text and the screenshot as an image part, plus the structured step', () => {
  const r = resultOf(report({ console_errors: ['x is undefined'] })) as { content: Array<Record<string, unknown>>; structured_content: Record<string, unknown> };
  assert.deepEqual(r.content[1], { type: 'image', mime_type: 'image/png', size_bytes: 3, data: Buffer.from('png').toString('base64') });
  assert.equal(r.content[0].type, 'text');
  assert.match(String(r.content[0].text), /^click — "App" http:\/\/127\.0\.0\.1:3000\/; 1 console error\(s\)$/);
  assert.deepEqual(r.structured_content, {
    action: 'click', url: 'http://127.0.0.1:3000/', title: 'App', width: 1024, height: 640, marker: { x: 10, y: 20 },
    console_errors: ['x is undefined'], failed_requests: [], blocked_requests: [],
  });
  assert.equal((resultOf(report({ png: null })) as { content: unknown[] }).content.length, 1, 'no page, no image');
});

test('the summary says what failed, what was blocked (with the way out) and refused downloads', () => {
  const s = summaryOf(report({ error: 'Timeout 30000ms exceeded', blocked_requests: ['GET https://cdn.example.com/a.js (no allow rule covers this origin)'], notes: ['A download (a.zip) was refused: computer use never saves files.'] }));
  assert.match(s, /^click failed: Timeout 30000ms exceeded/);
  assert.match(s, /1 blocked request\(s\)\. Requests to other origins are blocked unless allowed: navigate to the page to ask the user/);
  assert.match(s, /A download \(a\.zip\) was refused/);
});

test('key combos in the usual spellings become Playwright keys', () => {
  assert.equal(normalizeKeyCombo('ctrl+a'), 'Control+a');
  assert.equal(normalizeKeyCombo('cmd+shift+T'), 'Meta+Shift+T');
  assert.equal(normalizeKeyCombo('enter'), 'Enter');
  assert.equal(normalizeKeyCombo('f5'), 'F5');
  assert.equal(normalizeKeyCombo('Control+Enter'), 'Control+Enter');
});
