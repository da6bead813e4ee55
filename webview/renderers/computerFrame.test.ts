import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatMessage } from '../../server/protocol';
import { computerFrame, describeAction, latestFrame, markerPercent, pendingAction, pngSize, scalePoint } from './computerFrame';
import { prettyWithoutBinary, withoutBinaryData } from './imagePlaceholders';

/** The start of a PNG (signature and IHDR) with some padding: all that pngSize reads. */
function pngBase64(width: number, height: number, padding = 0): string {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr, Buffer.alloc(padding)]).toString('base64');
}

function result(action: string, marker: { x: number; y: number } | null, data = pngBase64(1024, 640)) {
  return {
    content: [{ type: 'text', text: `${action} done` }, { type: 'image', mime_type: 'image/png', size_bytes: 100, data }],
    structured_content: { action, url: 'http://127.0.0.1:1/', title: 'Form', width: 1024, height: 640, marker, console_errors: ['boom'], failed_requests: [], blocked_requests: ['http://evil/'] },
  };
}

let nextId = 1;
const assistant = (calls: Array<{ id: string; action: Record<string, unknown> }>): ChatMessage =>
  ({ id: nextId++, role: 'assistant', content: calls.map((c) => ({ type: 'tool-call', tool_call_id: c.id, tool_name: 'computer', args: JSON.stringify(c.action) })) }) as unknown as ChatMessage;
const tool = (id: string, r: unknown, name = 'computer', isError = false): ChatMessage =>
  ({ id: nextId++, role: 'tool', content: [{ type: 'tool-result', tool_call_id: id, tool_name: name, result: r, is_error: isError }] }) as unknown as ChatMessage;

test('pngSize reads the IHDR; anything else is not a PNG', () => {
  assert.deepEqual(pngSize(pngBase64(1024, 640)), { width: 1024, height: 640 });
  assert.deepEqual(pngSize(pngBase64(1, 70000)), { width: 1, height: 70000 });
  assert.equal(pngSize('aGVsbG8gd29ybGQgaGVsbG8gd29ybGQgaGVsbG8='), null);
  assert.equal(pngSize('!!!'), null);
  assert.equal(pngSize(''), null);
});

test('a computer result becomes a frame: data URL, size from the PNG, marker, page and problems', () => {
  const f = computerFrame('c1', result('click', { x: 512, y: 320 }, pngBase64(800, 500)));
  assert.ok(f);
  assert.equal(f.src?.startsWith('data:image/png;base64,iVBORw0KGgo'), true);
  assert.deepEqual([f.width, f.height], [800, 500], 'the PNG wins over structured_content');
  assert.deepEqual(f.marker, { x: 512, y: 320 });
  assert.equal(f.action, 'click');
  assert.equal(f.summary, 'click done');
  assert.deepEqual([f.consoleErrors, f.failedRequests, f.blockedRequests], [['boom'], [], ['http://evil/']]);
});

test('frames without a usable image: no src, sizes from structured_content; odd shapes are not frames', () => {
  const noImage = computerFrame('c', { content: [{ type: 'text', text: 'Error: no page' }], structured_content: { action: 'click', width: 10, height: 20, marker: null } }, true);
  assert.equal(noImage?.src, null);
  assert.equal(noImage?.isError, true);
  assert.deepEqual([noImage?.width, noImage?.height], [10, 20]);
  const evilMime = computerFrame('c', { content: [{ type: 'image', mime_type: 'text/html', data: 'PHNjcmlwdD4=' }] });
  assert.equal(evilMime?.src, null, 'only raster image types reach a src');
  const notBase64 = computerFrame('c', { content: [{ type: 'image', mime_type: 'image/png', data: '"><script>' }] });
  assert.equal(notBase64?.src, null);
  assert.equal(computerFrame('c', 'text'), null);
  assert.equal(computerFrame('c', { error: 'x' }), null);
});

test('the latest frame is the newest computer result that has a screenshot', () => {
  const messages = [
    assistant([{ id: 'a', action: { action: 'navigate', url: 'http://x/' } }]),
    tool('a', result('navigate', null)),
    assistant([{ id: 'b', action: { action: 'click', x: 1, y: 2 } }]),
    tool('b', result('click', { x: 1, y: 2 })),
    assistant([{ id: 'c', action: { action: 'key', key: 'Enter' } }]),
    tool('c', { content: [{ type: 'text', text: 'Error' }], structured_content: { action: 'key', marker: null } }, 'computer', true),
    tool('x', { content: [{ type: 'image', mime_type: 'image/png', data: pngBase64(5, 5) }] }, 'read_file'),
  ];
  assert.equal(latestFrame(messages)?.toolCallId, 'b');
  assert.equal(latestFrame(messages.slice(0, 2))?.toolCallId, 'a');
  assert.equal(latestFrame([]), null);
});

test('the pending action: a streamed computer call, else a stored one still without its result', () => {
  const call = assistant([{ id: 'p', action: { action: 'click', x: 10.4, y: 20.6 } }]);
  assert.equal(pendingAction([call], null), 'click (10, 21)');
  assert.equal(pendingAction([call, tool('p', result('click', null))], null), null);
  assert.equal(pendingAction([], { text: '', reasoning: '', toolCalls: [{ id: 's', name: 'computer', args: '{"action":"navigate","url":"http://a/"}' }] }), 'navigate http://a/');
  assert.equal(pendingAction([], { text: '', reasoning: '', toolCalls: [{ id: 's', name: 'computer', args: '{"action":"nav' }] }), 'computer', 'half-streamed arguments');
});

test('the marker scales with the displayed image: percentages, clamped; pixels for another size', () => {
  assert.deepEqual(markerPercent({ x: 512, y: 160 }, 1024, 640), { left: 50, top: 25 });
  assert.deepEqual(markerPercent({ x: -5, y: 700 }, 1024, 640), { left: 0, top: 100 });
  assert.equal(markerPercent(null, 1024, 640), null);
  assert.equal(markerPercent({ x: 1, y: 1 }, 0, 640), null);
  assert.deepEqual(scalePoint({ x: 512, y: 320 }, { width: 1024, height: 640 }, { width: 300, height: 187.5 }), { x: 150, y: 93.75 });
  assert.deepEqual(scalePoint({ x: 5, y: 5 }, { width: 0, height: 0 }, { width: 300, height: 200 }), { x: 0, y: 0 });
});

test('action lines', () => {
  assert.equal(describeAction({ action: 'navigate', url: 'http://127.0.0.1:5/form' }), 'navigate http://127.0.0.1:5/form');
  assert.equal(describeAction({ action: 'click', x: 3, y: 4 }), 'click (3, 4)');
  assert.equal(describeAction({ action: 'click', x: 3, y: 4, button: 'right' }), 'right click (3, 4)');
  assert.equal(describeAction({ action: 'double_click', x: 3, y: 4 }), 'double-click (3, 4)');
  assert.equal(describeAction({ action: 'type', text: 'x'.repeat(50) }), `type "${'x'.repeat(40)}…"`);
  assert.equal(describeAction({ action: 'key', key: 'Enter' }), 'key Enter');
  assert.equal(describeAction({ action: 'key', combo: 'Control+a' }), 'key Control+a');
  assert.equal(describeAction({ action: 'scroll', x: 1, y: 2, dy: 300 }), 'scroll (1, 2) dy 300');
  assert.equal(describeAction({ action: 'wait', ms: 500 }), 'wait 500 ms');
  assert.equal(describeAction({ action: 'back' }), 'back');
  assert.equal(describeAction(undefined), 'computer');
});

test('results shown as JSON carry placeholders, never base64', () => {
  const big = pngBase64(1024, 640, 100_000);
  const shown = prettyWithoutBinary(result('click', { x: 1, y: 2 }, big));
  assert.ok(!shown.includes(big.slice(0, 64)), 'no base64 in the text');
  assert.ok(shown.includes('"[image 1024×640]"'));
  assert.ok(shown.includes('"console_errors"'), 'the rest stays');
  assert.ok(shown.length < 2000);
  assert.deepEqual(withoutBinaryData({ type: 'audio', mime_type: 'audio/wav', data: 'AAAA'.repeat(1024) }), { type: 'audio', mime_type: 'audio/wav', data: '[audio audio/wav, 3 KB]' });
  assert.equal(withoutBinaryData('QUFB'.repeat(300)), '[base64, 1 KB]');
  assert.equal(withoutBinaryData(`data:image/jpeg;base64,${'QUFB'.repeat(300)}`), '[data URL image/jpeg, 1 KB]');
  assert.equal(withoutBinaryData('short words stay'), 'short words stay');
  const prose = 'word '.repeat(200);
  assert.equal(withoutBinaryData(prose), prose, 'long text that is not base64 stays');
  assert.deepEqual(withoutBinaryData({ type: 'text', data: 'kept' }), { type: 'text', data: 'kept' });
});
