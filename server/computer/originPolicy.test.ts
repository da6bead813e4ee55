import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRules, type PermissionPolicy } from '../permissions/rules';
import { isLocalUrl, isLoopbackHost, originRule, requestVerdict } from './originPolicy';

const policy = (allow: string[] = [], deny: string[] = [], mode: PermissionPolicy['mode'] = 'default'): PermissionPolicy => ({
  mode,
  rules: compileRules([{ rules: allow, list: 'allow', source: 'user' }, { rules: deny, list: 'deny', source: 'user' }]).rules,
});

test('loopback hosts: 127/8, localhost, [::1]; nothing that merely looks like them', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', 'app.localhost', '[::1]', '::1', 'LOCALHOST']) assert.equal(isLoopbackHost(h), true, h);
  for (const h of ['128.0.0.1', '127.0.0.1.example.com', 'localhost.example.com', '10.0.0.1', '127.0.0.256', '::2', 'example.com']) assert.equal(isLoopbackHost(h), false, h);
});

test('local URLs: loopback http(s)/ws(s) and in-page schemes; file: is not', () => {
  assert.equal(isLocalUrl('http://127.0.0.1:3000/x'), true);
  assert.equal(isLocalUrl('ws://localhost:8080/socket'), true);
  assert.equal(isLocalUrl('http://[::1]:5173/'), true);
  assert.equal(isLocalUrl('data:text/html,hi'), true);
  assert.equal(isLocalUrl('about:blank'), true);
  assert.equal(isLocalUrl('https://example.com/'), false);
  assert.equal(isLocalUrl('file:///etc/passwd'), false);
  assert.equal(isLocalUrl('not a url'), false);
});

test('page requests: loopback runs, others need a rule, an approved origin or bypass; deny beats all', () => {
  assert.deepEqual(requestVerdict('http://127.0.0.1:1/a.js', policy(), new Set()), { allowed: true });
  assert.equal(requestVerdict('https://cdn.example.com/a.js', policy(), new Set()).allowed, false);
  assert.equal(requestVerdict('https://cdn.example.com/a.js', policy(['computer(https://cdn.example.com/*)']), new Set()).allowed, true);
  assert.equal(requestVerdict('https://evil.example.com/a.js', policy(['computer(https://cdn.example.com/*)']), new Set()).allowed, false);
  assert.equal(requestVerdict('https://cdn.example.com/a.js', policy(), new Set(['https://cdn.example.com'])).allowed, true);
  assert.equal(requestVerdict('wss://cdn.example.com/s', policy(), new Set(['https://cdn.example.com'])).allowed, true);
  assert.equal(requestVerdict('https://cdn.example.com/a.js', policy([], [], 'bypass'), new Set()).allowed, true);
  const denied = requestVerdict('http://127.0.0.1:1/admin', policy([], ['computer(http://127.0.0.1:1/admin*)'], 'bypass'), new Set());
  assert.equal(denied.allowed, false);
  assert.match((denied as { why: string }).why, /denied by the rule/);
  assert.equal(requestVerdict('file:///etc/passwd', policy([], [], 'bypass'), new Set()).allowed, false);
  assert.equal(requestVerdict('blob:http://127.0.0.1/abc', policy(), new Set()).allowed, true);
});

test('the rule offered for a URL covers its origin', () => {
  assert.equal(originRule('https://example.com/a/b?c=1'), 'computer(https://example.com/*)');
  assert.equal(originRule('http://example.invalid:8080/x'), 'computer(http://example.invalid:8080/*)');
});
