import assert from 'node:assert/strict';
import { test } from 'node:test';
import { convertToolResult, MAX_RESULT_BYTES } from './resultConversion';

test('text-only results become the joined text', () => {
  assert.deepEqual(convertToolResult({ content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }), { result: 'a\nb', is_error: false });
  assert.deepEqual(convertToolResult({ content: [{ type: 'text', text: 'boom' }], isError: true }), { result: 'boom', is_error: true });
});

test('image, audio, embedded resources, resource links and structured content keep their shape', () => {
  const png = Buffer.from('pngbytes').toString('base64');
  const r = convertToolResult({
    content: [
      { type: 'image', data: png, mimeType: 'image/png' },
      { type: 'audio', data: png, mimeType: 'audio/wav' },
      { type: 'resource', resource: { uri: 'file:///a.txt', mimeType: 'text/plain', text: 'hello' } },
      { type: 'resource', resource: { uri: 'file:///b.bin', blob: png } },
      { type: 'resource_link', uri: 'file:///c', name: 'c', description: 'the c file' },
    ],
    structuredContent: { n: 1 },
  });
  assert.deepEqual(r.result, {
    content: [
      { type: 'image', mime_type: 'image/png', size_bytes: 8, data: png },
      { type: 'audio', mime_type: 'audio/wav', size_bytes: 8, data: png },
      { type: 'resource', uri: 'file:///a.txt', mime_type: 'text/plain', text: 'hello' },
      { type: 'resource', uri: 'file:///b.bin', mime_type: undefined, size_bytes: 8, data: png },
      { type: 'resource_link', uri: 'file:///c', name: 'c', description: 'the c file', mime_type: undefined },
    ],
    structured_content: { n: 1 },
  });
});

test('oversized results drop binary data first, then cut text, to fit the cap', () => {
  const big = 'x'.repeat(MAX_RESULT_BYTES);
  const r = convertToolResult({ content: [{ type: 'image', data: Buffer.alloc(200_000).toString('base64'), mimeType: 'image/png' }, { type: 'text', text: big }] });
  const json = JSON.stringify(r.result);
  assert.ok(Buffer.byteLength(json) <= MAX_RESULT_BYTES + 200, `result is ${json.length} bytes`);
  assert.match(json, /binary data omitted/);
  assert.match(json, /characters cut/);
});

test('legacy toolResult answers are passed as JSON text', () => {
  assert.deepEqual(convertToolResult({ toolResult: { ok: true } }), { result: { content: [{ type: 'text', text: '{"ok":true}' }] }, is_error: false });
});
