// DiffStatusService over a real SQLite file, a real git checkout and the fake GitHub Enterprise server, on a
// clock the test moves: the branch a turn ends on is the chat's, the pull request's lookup schedule (open,
// none, failures doubling, a rate limit's reset), a branch change dropping the old pull request, and two
// servers on one database not looking up the same branch twice.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { startFakeGitHub, type FakeGitHub } from '../../test/fakes/fakeGitHub';
import { createChat } from '../chats/lifecycle';
import { getChat } from '../store/chats';
import { claimDuePullRequests, getDiffStatusRow, savePullRequest } from '../store/diffStatuses';
import { updateSettings } from '../settings/serverSettings';
import { makeTestContext, text, type TestContext } from '../testing/testContext';
import { DiffStatusService } from './diffStatusService';

let ctx: TestContext;
let fake: FakeGitHub;
let svc: DiffStatusService;
let repo: string;
let clock: number;
const T0 = Date.parse('2026-03-01T12:00:00Z');

const GIT_ENV = {
  ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.invalid', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.invalid',
};
const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { env: GIT_ENV, encoding: 'utf8' });

beforeEach(async () => {
  ctx = makeTestContext();
  fake = await startFakeGitHub();
  repo = realpathSync(ctx.dir) + '/ws';
  mkdirSync(repo);
  git('init', '-q', '-b', 'main');
  writeFileSync(path.join(repo, 'a.txt'), 'a\n');
  git('add', '.');
  git('commit', '-qm', 'base');
  git('remote', 'add', 'origin', `${fake.url}/octo/demo.git`);
  git('checkout', '-q', '-b', 'feature');
  clock = T0;
  ctx.now = () => clock;
  ctx.workspace = { workspace: repo, folders: [repo], trusted: true, scope: 'workspace' };
  ctx.settings = { ...ctx.settings, github: { enterpriseUrl: fake.url, pullRequests: true, pollSeconds: 60 } };
  svc = new DiffStatusService(ctx, { GH_ENTERPRISE_TOKEN: 'ghe-token' });
});
afterEach(async () => {
  await svc.stop();
  await fake.close();
  ctx.close();
});

const newChat = () => createChat(ctx, { content: text('work') }).id;
const row = (id: string) => getDiffStatusRow(ctx.db, id)!;
const diffWatches = (id: string) => ctx.watched.filter((w) => w.kind === 'diff_status_change' && w.chatId === id).length;

test('the branch a turn ends on is the chat\'s: a git change afterwards reads that branch, even when a turn ends while it runs', async () => {
  const id = newChat();
  fake.addRepo('octo', 'demo');
  svc.afterTurn(id);
  await svc.refresh(id);
  assert.equal(row(id).git_branch, 'feature');
  assert.equal(getChat(ctx.db, id)?.diff_status?.git_branch, 'feature');
  assert.equal(diffWatches(id), 1);

  writeFileSync(path.join(repo, 'b.txt'), 'b\n');
  git('add', 'b.txt');
  git('commit', '-qm', 'b');
  git('checkout', '-q', '-b', 'other');
  writeFileSync(path.join(repo, 'c.txt'), 'c\nc\n');
  // A git change: the chat stays on feature, read from its commits (c.txt is other's working tree).
  await svc.refresh(id);
  assert.equal(row(id).git_branch, 'feature');
  assert.deepEqual(JSON.parse(row(id).files), [{ path: 'b.txt', status: 'added', additions: 1, deletions: 0 }]);
  assert.equal(diffWatches(id), 2);
  await svc.refresh(id);
  assert.equal(diffWatches(id), 2, 'the same diff again is no change');

  // A git change's refresh is running when the turn ends on `other`: the turn's branch is recorded after it.
  const gitChange = svc.refresh(id);
  svc.afterTurn(id);
  await gitChange;
  await svc.refresh(id);
  assert.equal(row(id).git_branch, 'other');
  assert.equal(row(id).changed_files, 2);
});

test('lookups: found now after a turn, again after the poll interval (three times it with none, 15 times for merged); failures back off; a rate limit waits for its reset', async () => {
  const id = newChat();
  fake.setPulls('octo', 'demo', 'octo:feature', [{ number: 4, title: 'Feature', state: 'open', head: 'feature', base: 'main' }]);
  svc.afterTurn(id);
  await svc.refresh(id);
  let r = row(id);
  assert.equal(r.pull_request_state, 'open');
  assert.equal(r.pr_number, 4);
  assert.equal(r.stale_at, T0 + 60_000, 'an open pull request: after poll_seconds');
  assert.equal(fake.pullRequests('octo', 'demo').at(-1)?.headers.authorization, 'Bearer ghe-token');

  // Not due yet: a git change does not ask GitHub.
  const asked = fake.requests.length;
  clock += 30_000;
  await svc.refresh(id);
  assert.equal(fake.requests.length, asked);
  // Due: asked with the ETag, a 304 keeps everything.
  clock = r.stale_at!;
  await svc.refresh(id);
  assert.equal(fake.requests.length, asked + 1);
  assert.equal(fake.requests.at(-1)?.status, 304);
  r = row(id);
  assert.equal(r.pull_request_title, 'Feature');
  assert.equal(r.stale_at, clock + 60_000);

  // Failures: 404 twice, each wait twice the last; the pull request stays.
  fake.setPulls('octo', 'demo', 'octo:feature', []);
  const gone = await fake.close().then(startFakeGitHub);
  ctx.settings = { ...ctx.settings, github: { ...ctx.settings.github, enterpriseUrl: gone.url } };
  git('remote', 'set-url', 'origin', `${gone.url}/octo/demo.git`);
  fake = gone;
  await svc.refreshForUser(id);
  r = row(id);
  assert.equal(r.pull_request_state, null, 'another remote: the old pull request is dropped');
  assert.match(r.pr_error ?? '', /octo\/demo was not found/);
  assert.equal(r.pr_failures, 1);
  assert.equal(r.stale_at, clock + 2 * 60_000);
  clock = r.stale_at!;
  await svc.refresh(id);
  assert.equal(row(id).pr_failures, 2);
  assert.equal(row(id).stale_at, clock + 4 * 60_000);

  // Found: no pull request yet is looked for every 3 intervals, a merged one every 15.
  fake.addRepo('octo', 'demo');
  clock = row(id).stale_at!;
  await svc.refresh(id);
  r = row(id);
  assert.equal(r.pr_error, null);
  assert.equal(r.pr_failures, 0);
  assert.equal(r.stale_at, clock + 3 * 60_000);
  fake.setPulls('octo', 'demo', 'octo:feature', [{ number: 5, title: 'Feature', state: 'closed', merged_at: '2026-03-01T12:00:00Z', head: 'feature', base: 'main' }]);
  await svc.refreshForUser(id);
  assert.equal(row(id).pull_request_state, 'merged');
  assert.equal(row(id).stale_at, clock + 15 * 60_000);

  // A rate limit: the reset time, the pull request kept.
  const reset = Math.floor(clock / 1000) + 900;
  fake.rateLimit(reset);
  await svc.refreshForUser(id);
  r = row(id);
  assert.equal(r.stale_at, reset * 1000);
  assert.match(r.pr_error ?? '', /rate limit/);
  assert.equal(r.pull_request_state, 'merged');
  assert.equal(getChat(ctx.db, id)?.diff_status?.stale_at, new Date(reset * 1000).toISOString());
});

test('not a GitHub remote, or lookups off: nothing is due and GitHub is never asked; turning them on makes every branch due', async () => {
  const id = newChat();
  git('remote', 'set-url', 'origin', 'https://gitlab.example/octo/demo.git');
  svc.afterTurn(id);
  await svc.refresh(id);
  assert.equal(row(id).stale_at, null);
  assert.equal(row(id).git_remote_origin, 'https://gitlab.example/octo/demo.git');
  git('remote', 'set-url', 'origin', `${fake.url}/octo/demo.git`);
  ctx.settings = { ...ctx.settings, github: { ...ctx.settings.github, pullRequests: false } };
  fake.addRepo('octo', 'demo');
  await svc.refreshForUser(id);
  assert.equal(row(id).stale_at, null, 'lookups off');
  assert.equal(fake.requests.length, 0);
  clock += 5000;
  updateSettings(ctx, { github: { pull_requests: true } });
  assert.equal(row(id).stale_at, clock, 'turned on: due now');
  fake.setPulls('octo', 'demo', 'octo:feature', [{ number: 2, title: 'Now seen', state: 'open', head: 'feature', base: 'main' }]);
  await svc.refresh(id);
  assert.equal(row(id).pull_request_title, 'Now seen');
  updateSettings(ctx, { github: { poll_seconds: 30 } });
  assert.equal(row(id).stale_at, clock + 60_000, 'another interval alone makes nothing due');
});

test('a lookup made for a branch the chat has left is dropped; two servers on one database claim a due lookup once', async () => {
  const id = newChat();
  fake.addRepo('octo', 'demo');
  svc.afterTurn(id);
  await svc.refresh(id);
  const key = { branch: 'feature', remote: `${fake.url}/octo/demo.git`, query: 'q' };
  git('checkout', '-q', '-b', 'next');
  svc.afterTurn(id);
  await svc.refresh(id);
  assert.equal(row(id).git_branch, 'next');
  const late = savePullRequest(ctx.db, id, key, { kind: 'found', etag: null, pr: {
    url: 'u', pr_number: 1, pull_request_state: 'open', pull_request_title: 'stale', pull_request_draft: false, head_branch: 'feature', base_branch: 'main', author_login: null,
  } }, clock + 1, clock);
  assert.equal(late, false);
  assert.equal(row(id).pull_request_title, null);

  clock = row(id).stale_at! + 1;
  const first = claimDuePullRequests(ctx.db, [repo], clock, clock + 120_000, 10, clock - 86_400_000);
  const second = claimDuePullRequests(ctx.db, [repo], clock, clock + 120_000, 10, clock - 86_400_000);
  assert.deepEqual(first.map((r) => r.chat_id), [id]);
  assert.deepEqual(second, [], 'claimed by the first server');
  assert.deepEqual(claimDuePullRequests(ctx.db, ['/elsewhere'], clock + 200_000, clock, 10, 0), [], 'another workspace\'s folders');
  // The lease runs out (the first server died): due again.
  assert.deepEqual(claimDuePullRequests(ctx.db, [repo], clock + 120_000, clock + 240_000, 10, 0).map((r) => r.chat_id), [id]);
});

test('an untrusted workspace: no git is read and nothing is stored', async () => {
  const id = newChat();
  ctx.workspace = { ...ctx.workspace, trusted: false };
  svc.afterTurn(id);
  await svc.refresh(id);
  await svc.refreshForUser(id);
  assert.equal(getDiffStatusRow(ctx.db, id), undefined);
  assert.equal(getChat(ctx.db, id)?.diff_status, null);
});
