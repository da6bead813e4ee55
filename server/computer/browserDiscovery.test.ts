import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BrowserNotFoundError, candidatePaths, findBrowser } from './browserDiscovery';

test('the setting wins: a channel, or an executable that exists', () => {
  assert.deepEqual(findBrowser('msedge', 'linux', () => false), { channel: 'msedge' });
  assert.deepEqual(findBrowser('/opt/my/chrome', 'linux', (p) => p === '/opt/my/chrome'), { executablePath: '/opt/my/chrome' });
  assert.throws(() => findBrowser('/nope/chrome', 'linux', () => false), /localAgents\.computerUse\.browser does not exist/);
});

test('without the setting: the first usual install path that exists, by platform', () => {
  assert.deepEqual(findBrowser(null, 'linux', (p) => p === '/usr/bin/google-chrome-stable' || p === '/snap/bin/chromium'), { executablePath: '/usr/bin/google-chrome-stable' });
  assert.deepEqual(findBrowser('  ', 'linux', (p) => p === '/usr/bin/chromium'), { executablePath: '/usr/bin/chromium' });
  assert.ok(candidatePaths('darwin').includes('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'));
  assert.ok(candidatePaths('win32', { PROGRAMFILES: 'C:\\Program Files' }).includes('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe'));
  assert.ok(candidatePaths('win32', {}).some((p) => p.endsWith('msedge.exe')));
});

test('none found: an error that names the setting', () => {
  assert.throws(() => findBrowser(null, 'linux', () => false), (err: Error) => err instanceof BrowserNotFoundError && /No Chrome, Chromium or Edge[\s\S]*localAgents\.computerUse\.browser/.test(err.message));
});
