// The egress proxy on its own (plain HTTP and CONNECT, judged and forwarded) and under a real Chromium: a
// loopback page that redirects to another origin, which Playwright's routes alone let through.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { compileRules } from '../permissions/rules';
import { BrowserSession } from './browserSession';
import { EgressProxy, hostMapOf } from './egressProxy';
import { isLoopbackHost } from './originPolicy';

let site: http.Server;
let port = 0;
const hits: string[] = [];
before(async () => {
  site = http.createServer((req, res) => {
    hits.push(`${req.headers.host}${req.url}`);
    if (req.url === '/go') {
      res.writeHead(302, { location: `http://example.invalid:${port}/landed` }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end('<title>here</title><p>ok</p>');
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  port = (site.address() as AddressInfo).port;
});
after(() => { site.close(); });

const loopbackOnly = () => ({
  request: (url: string) => (isLoopbackHost(new URL(url).hostname) ? { allowed: true as const } : { allowed: false as const, why: 'no allow rule covers this origin' }),
  tunnel: (host: string) => (isLoopbackHost(host) ? { allowed: true as const } : { allowed: false as const, why: 'no allow rule covers this origin' }),
});

function viaProxy(proxyUrl: string, target: string): Promise<{ status: number; body: string }> {
  const p = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    http.get({ host: p.hostname, port: p.port, path: target, headers: { host: new URL(target).host } }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

test('plain HTTP: an allowed URL is forwarded (a redirect passed on, not followed); a refused one is 403 and reported', async () => {
  const blocked: string[] = [];
  const proxy = new EgressProxy({ ...loopbackOnly(), blocked: (_target, what, why) => blocked.push(`${what} (${why})`) }, hostMapOf([`--host-resolver-rules=MAP example.invalid 127.0.0.1`]));
  const url = await proxy.listen();
  try {
    const ok = await viaProxy(url, `http://127.0.0.1:${port}/page`);
    assert.equal(ok.status, 200);
    assert.match(ok.body, /<title>here<\/title>/);
    const redirect = await viaProxy(url, `http://127.0.0.1:${port}/go`);
    assert.equal(redirect.status, 302, 'the proxy does not follow redirects itself');
    const before = hits.length;
    const refused = await viaProxy(url, `http://example.invalid:${port}/landed`);
    assert.equal(refused.status, 403);
    assert.equal(hits.length, before, 'nothing reached the server for the refused host');
    assert.deepEqual(blocked, [`GET http://example.invalid:${port}/landed (no allow rule covers this origin)`]);
  } finally {
    proxy.close();
  }
});

test('CONNECT: a tunnel to a refused origin is 403; to loopback it opens', async () => {
  const blocked: string[] = [];
  const proxy = new EgressProxy({ ...loopbackOnly(), blocked: (target, what) => blocked.push(`${what} → ${target}`) });
  const url = new URL(await proxy.listen());
  const connect = (target: string) => new Promise<string>((resolve) => {
    const s = net.connect(Number(url.port), url.hostname, () => s.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`));
    s.once('data', (d) => { resolve(String(d).split('\r\n')[0]); s.destroy(); });
  });
  try {
    assert.equal(await connect('example.com:443'), 'HTTP/1.1 403 Forbidden');
    assert.equal(await connect(`127.0.0.1:${port}`), 'HTTP/1.1 200 Connection Established');
    assert.deepEqual(blocked, ['CONNECT example.com:443 → https://example.com']);
  } finally {
    proxy.close();
  }
});

test('Chromium: a loopback page redirecting to another origin never reaches it, and the step reports it blocked', { skip: !existsSync('/usr/bin/chromium') && 'no /usr/bin/chromium' }, async () => {
  const saved = process.env.LOCAL_AGENTS_BROWSER_ARGS;
  process.env.LOCAL_AGENTS_BROWSER_ARGS = JSON.stringify(['--host-resolver-rules=MAP example.invalid 127.0.0.1']);
  const { rules } = compileRules([]);
  const session = await BrowserSession.open({ browser: '/usr/bin/chromium', headless: true, policy: () => ({ mode: 'default', rules }), label: 'egress-test' });
  try {
    const before = hits.length;
    const report = await session.step({ action: 'navigate', url: `http://127.0.0.1:${port}/go` });
    const reached = hits.slice(before);
    assert.ok(reached.includes(`127.0.0.1:${port}/go`), `the loopback page was asked: ${reached.join(', ')}`);
    assert.ok(!reached.some((h) => h.startsWith('example.invalid')), `the redirect's target was never reached: ${reached.join(', ')}`);
    assert.ok(report.blocked_requests.some((b) => b.includes(`http://example.invalid:${port}/landed`)), JSON.stringify(report.blocked_requests));
  } finally {
    await session.close();
    if (saved === undefined) delete process.env.LOCAL_AGENTS_BROWSER_ARGS;
    else process.env.LOCAL_AGENTS_BROWSER_ARGS = saved;
  }
});
