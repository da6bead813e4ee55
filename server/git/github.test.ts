// lookUpPullRequest against the fake GitHub Enterprise server (a real HTTP server), and where tokens come from.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { startFakeGitHub, type FakeGitHub } from '../../test/fakes/fakeGitHub';
import { gitHubHosts, lookUpPullRequest, queryKey, type PullRequestQuery } from './github';
import { GitHubTokens } from './githubToken';

let fake: FakeGitHub;
before(async () => { fake = await startFakeGitHub(); });
after(() => fake.close());

const NOW = Date.parse('2026-03-01T12:00:00Z');
const query = (over: Partial<PullRequestQuery> = {}): PullRequestQuery => ({
  apiBase: gitHubHosts(fake.url).apiBaseFor(fake.host)!, repo: { host: fake.host, owner: 'octo', repo: 'demo' }, headOwner: 'octo', branch: 'feature/x', ...over,
});

test('the branch\'s newest pull request with state, title, draft, branches, author and URL; the ETag makes the next lookup a 304', async () => {
  fake.setPulls('octo', 'demo', 'octo:feature/x', [
    { number: 3, title: 'Old attempt', state: 'closed', head: 'feature/x', base: 'main' },
    { number: 7, title: 'Add the thing', state: 'open', head: 'feature/x', base: 'develop', user: 'mona' },
  ]);
  const before = fake.requests.length;
  const r = await lookUpPullRequest(query(), 'tok-123', null, NOW);
  assert.equal(r.outcome.kind, 'found');
  assert.ok(r.outcome.kind === 'found');
  assert.deepEqual(r.outcome.pr, {
    url: `${fake.url}/octo/demo/pull/7`, pr_number: 7, pull_request_state: 'open', pull_request_title: 'Add the thing', pull_request_draft: false,
    head_branch: 'feature/x', base_branch: 'develop', author_login: 'mona',
  });
  assert.match(r.outcome.etag ?? '', /^W\/"/);
  const req = fake.requests[before];
  assert.equal(req.path, '/api/v3/repos/octo/demo/pulls');
  assert.equal(req.query.head, 'octo:feature/x');
  assert.equal(req.query.state, 'all');
  assert.equal(req.headers.authorization, 'Bearer tok-123');
  assert.equal(req.headers['if-none-match'], undefined);
  assert.equal(req.headers.accept, 'application/vnd.github+json');

  const again = await lookUpPullRequest(query(), 'tok-123', r.outcome.etag, NOW);
  assert.deepEqual(again.outcome, { kind: 'unchanged' });
  assert.equal(fake.requests.at(-1)?.headers['if-none-match'], r.outcome.etag);
  assert.equal(fake.requests.at(-1)?.status, 304);

  // Draft, then merged: a changed list is a 200 despite the old ETag.
  fake.updatePull('octo', 'demo', 7, { draft: true });
  const draft = await lookUpPullRequest(query(), 'tok-123', r.outcome.etag, NOW);
  assert.ok(draft.outcome.kind === 'found' && draft.outcome.pr);
  assert.equal(draft.outcome.pr.pull_request_draft, true);
  assert.notEqual(draft.outcome.etag, r.outcome.etag);
  fake.updatePull('octo', 'demo', 7, { draft: false, state: 'closed', merged_at: '2026-03-01T11:00:00Z' });
  const merged = await lookUpPullRequest(query(), 'tok-123', draft.outcome.etag, NOW);
  assert.ok(merged.outcome.kind === 'found' && merged.outcome.pr);
  assert.equal(merged.outcome.pr.pull_request_state, 'merged');
  fake.updatePull('octo', 'demo', 7, { merged_at: null });
  const closed = await lookUpPullRequest(query(), 'tok-123', null, NOW);
  assert.equal(closed.outcome.kind === 'found' && closed.outcome.pr?.pull_request_state, 'closed');
});

test('a fork asks the upstream repository for the fork owner\'s branch; a branch without a pull request is found as none', async () => {
  fake.setPulls('octo', 'demo', 'forker:fix', [{ number: 9, title: 'Fix', state: 'open', head: 'fix', base: 'main' }]);
  const q = query({ headOwner: 'forker', branch: 'fix' });
  const r = await lookUpPullRequest(q, undefined, null, NOW);
  assert.equal(r.outcome.kind === 'found' && r.outcome.pr?.pr_number, 9);
  assert.equal(fake.requests.at(-1)?.query.head, 'forker:fix');
  assert.equal(fake.requests.at(-1)?.headers.authorization, undefined, 'no token: no Authorization header');
  assert.equal(queryKey(q), `${fake.url}/api/v3 octo/demo forker:fix`);

  const none = await lookUpPullRequest(query({ branch: 'no-pr-yet' }), undefined, null, NOW);
  assert.equal(none.outcome.kind, 'found');
  assert.equal(none.outcome.kind === 'found' && none.outcome.pr, null);
});

test('a rate limit says so and when to come back; a 404 names the repository; a dead server is "did not answer"', async () => {
  const reset = Math.floor(NOW / 1000) + 1800;
  fake.rateLimit(reset);
  try {
    const limited = await lookUpPullRequest(query(), undefined, null, NOW);
    assert.equal(limited.retryAt, reset * 1000);
    assert.ok(limited.outcome.kind === 'failed');
    assert.match(limited.outcome.error, /rate limit/);
    assert.match(limited.outcome.error, /no token/);
    assert.match(limited.outcome.error, new RegExp(new Date(reset * 1000).toISOString().replace(/[.]/g, '\\.')));
    const withToken = await lookUpPullRequest(query(), 'tok', null, NOW);
    assert.ok(withToken.outcome.kind === 'failed' && !/no token/.test(withToken.outcome.error));
  } finally {
    fake.rateLimit(null);
  }

  const missing = await lookUpPullRequest(query({ repo: { host: fake.host, owner: 'octo', repo: 'private' } }), undefined, null, NOW);
  assert.ok(missing.outcome.kind === 'failed');
  assert.match(missing.outcome.error, /octo\/private was not found/);
  assert.match(missing.outcome.error, /sign-in or GH_TOKEN/);
  assert.equal(missing.retryAt, undefined);

  // A port nothing listens on.
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const dead = await lookUpPullRequest(query({ apiBase: `http://127.0.0.1:${port}/api/v3` }), undefined, null, NOW);
  assert.deepEqual(dead.outcome, { kind: 'failed', error: 'GitHub did not answer (ECONNREFUSED).' });
});

test('tokens: the VS Code session first, then GH_TOKEN for github.com and GH_ENTERPRISE_TOKEN for an Enterprise host, then gh (cached)', async () => {
  const asked: string[] = [];
  const gh = async (host: string) => { asked.push(host); return host === 'ghe.example:8443' ? 'from-gh' : undefined; };
  const t = new GitHubTokens({ GH_TOKEN: 'env-com', GITHUB_TOKEN: 'env-com-2', GITHUB_ENTERPRISE_TOKEN: 'env-ghe' }, gh);
  assert.deepEqual(await t.tokenFor('github.com', NOW), { token: 'env-com', source: 'env' });
  assert.deepEqual(await t.tokenFor('GHE.example', NOW), { token: 'env-ghe', source: 'env' }, 'never the github.com token for another host');
  t.setClientToken('GitHub.com', 'vscode-session');
  assert.equal(t.clientToken('github.com'), 'vscode-session');
  assert.deepEqual(await t.tokenFor('github.com', NOW), { token: 'vscode-session', source: 'vscode' });
  t.setClientToken('github.com', null);
  assert.equal(t.clientToken('github.com'), undefined);
  assert.deepEqual(await t.tokenFor('github.com', NOW), { token: 'env-com', source: 'env' });

  const bare = new GitHubTokens({ GITHUB_TOKEN: 'only-github-token' }, gh);
  assert.deepEqual(await bare.tokenFor('github.com', NOW), { token: 'only-github-token', source: 'env' });
  assert.deepEqual(await bare.tokenFor('ghe.example:8443', NOW), { token: 'from-gh', source: 'gh' });
  assert.equal(await bare.tokenFor('other.example', NOW), undefined);
  assert.deepEqual(asked, ['ghe.example:8443', 'other.example']);
  // gh's answer (even "none") is kept for a while, then asked again.
  await bare.tokenFor('ghe.example:8443', NOW + 60_000);
  await bare.tokenFor('other.example', NOW + 60_000);
  assert.equal(asked.length, 2);
  await bare.tokenFor('other.example', NOW + 11 * 60_000);
  assert.deepEqual(asked, ['ghe.example:8443', 'other.example', 'other.example']);
});
