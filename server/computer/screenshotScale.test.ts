import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pngSize, SCREENSHOT, SCREENSHOT_SCALE, toCssDelta, toCssPoint, VIEWPORT } from './screenshotScale';

test('the screenshot is the viewport scaled by 0.8: 1024x640', () => {
  assert.deepEqual(SCREENSHOT, { width: 1024, height: 640 });
  assert.equal(SCREENSHOT.width / VIEWPORT.width, SCREENSHOT_SCALE);
});

test('screenshot points become CSS points, clamped to the viewport', () => {
  assert.deepEqual(toCssPoint(512, 320), { x: 640, y: 400 });
  assert.deepEqual(toCssPoint(0, 0), { x: 0, y: 0 });
  assert.deepEqual(toCssPoint(1024, 640), { x: 1279, y: 799 });
  assert.deepEqual(toCssPoint(-5, 9999), { x: 0, y: 799 });
  assert.equal(toCssDelta(400), 500);
});

test('pngSize reads IHDR and refuses what is not a PNG', () => {
  const header = Buffer.alloc(24);
  header.writeUInt32BE(0x89504e47, 0); header.writeUInt32BE(0x0d0a1a0a, 4); header.writeUInt32BE(13, 8); header.write('IHDR', 12, 'ascii');
  header.writeUInt32BE(1024, 16); header.writeUInt32BE(640, 20);
  assert.deepEqual(pngSize(header), { width: 1024, height: 640 });
  assert.throws(() => pngSize(Buffer.from('GIF89a................')), /not a PNG/);
});
