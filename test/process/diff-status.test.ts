// A root chat's diff status through a real server process: the workspace is a git checkout on a feature branch
// whose remote is on the fake GitHub Enterprise server (test/fakes/fakeGitHub.ts; github.com is never asked);
// a turn whose model writes files records the branch, the changed files and the pull request; Refresh asks
// again with the ETag; draft, merged, a rate limit, a missing repository, a fork and a remote with
// credentials; the timer and git changes refresh without a turn; an untrusted workspace runs no git.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import * as P from '../../server/protocol';
import type { Chat, ChatDiffStatus } from '../../server/protocol';
import type { ChatDiff, ServerSettingsInfo } from '../../server/protocol/requests';
import type { FakeReply } from '../fakes/fakeOpenAI';
import { startFakeGitHub, type FakeGitHub } from '../fakes/fakeGitHub';
import { setupEnv, text, type Env } from './helpers';

let env: Env;
let gh: FakeGitHub;
beforeEach(async () => {
  env = await setupEnv();
  gh = await startFakeGitHub();
});
afterEach(async () => {
  await env.cleanup();
  await gh.close();
});

type Server = Awaited<ReturnType<Env['start']>>;

const GHE_TOKEN = 'ghe_enterprise_secret_0123456789abcdef';
const COM_TOKEN = 'ghp_githubcom_secret_0123456789abcdef';
/** Only the tokens a test gives: none from the machine's environment, and never `gh`'s (not on these machines). */
const TOKEN_ENV = { GH_TOKEN: COM_TOKEN, GITHUB_TOKEN: '', GH_ENTERPRISE_TOKEN: GHE_TOKEN, GITHUB_ENTERPRISE_TOKEN: '' };
const BRANCH = 'feature/demo';

const GIT_ENV = {
  ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.invalid', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.invalid',
};
const git = (...args: string[]) => execFileSync('git', ['-C', env.workspace, ...args], { env: GIT_ENV, encoding: 'utf8' });
const remote = (ownerRepo: string, auth = '') => `http://${auth}${gh.host}/${ownerRepo}.git`;

/** The workspace as a checkout of octo/demo on BRANCH, branched off main after one commit. */
function makeCheckout(): void {
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-qm', 'initial');
  git('remote', 'add', 'origin', remote('octo/demo'));
  git('checkout', '-q', '-b', BRANCH);
}

const call = (name: string, args: unknown, id?: string): FakeReply => ({ kind: 'tools', calls: [{ id, name, args: JSON.stringify(args) }] });

/** GitHub settings before any turn (only the fake server is GitHub). */
async function startWithGitHub(pollSeconds: number, extraEnv: NodeJS.ProcessEnv = {}): Promise<Server> {
  const s = await env.start({}, { ...TOKEN_ENV, ...extraEnv });
  const info = await s.request<unknown, ServerSettingsInfo>(P.UpdateSettings, { github: { enterprise_url: gh.url, poll_seconds: pollSeconds } });
  assert.deepEqual(info.github, { enterprise_url: gh.url, pull_requests: true, poll_seconds: pollSeconds });
  return s;
}

/** A turn whose model writes a new file and edits README.md; resolves when the turn's diff status arrived. */
async function agentTurn(s: Server): Promise<Chat> {
  env.fake.enqueue(
    call('write_file', { path: 'src/app.ts', content: 'export const a = 1;\nexport const b = 2;\nexport const c = 3;\n' }, 'w1'),
    call('edit_files', { edits: [{ path: 'README.md', old_text: 'hello world', new_text: 'hello agent' }] }, 'e1'),
    { kind: 'text', text: 'done' },
  );
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('change files'), permission_mode: 'bypass' });
  await s.waitForStatus(chat.id, ['waiting'], 20_000);
  await waitForDiff(s, chat.id, (d) => d.pr_refreshed_at !== null || d.pr_error !== null, 'the turn\'s diff status with its lookup');
  return chat;
}

/** Waits for a diff_status_change notification of the chat whose status passes `pred`. */
async function waitForDiff(s: Server, chatId: string, pred: (d: ChatDiffStatus) => boolean, what: string, timeoutMs = 15_000): Promise<ChatDiffStatus> {
  const match = () => s.watch.find((e) => e.kind === 'diff_status_change' && e.chat.id === chatId && e.chat.diff_status !== null && pred(e.chat.diff_status));
  await s.waitFor(() => match() !== undefined, timeoutMs, what);
  return match()!.chat.diff_status!;
}

const nextLookupIn = (d: ChatDiffStatus) => Date.parse(d.stale_at!) - Date.parse(d.pr_refreshed_at!);
const diffOf = async (s: Server, chatId: string) => (await s.request<unknown, Chat>(P.GetChat, { chat_id: chatId })).diff_status!;
const refresh = (s: Server, chatId: string) => s.request<unknown, ChatDiff>(P.RefreshChatDiff, { chat_id: chatId });
const lastLookup = (ownerRepo: string) => {
  const [owner, repo] = ownerRepo.split('/');
  return gh.pullRequests(owner, repo).at(-1);
};

function httpJson(method: string, url: string, token: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    http.request(url, { method, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(body) }));
    }).on('error', reject).end();
  });
}

test('a turn in a checkout: branch, changed files and the open pull request from the Enterprise API with its token; Refresh sends the ETag; draft, merged, a rate limit and a missing repository', async () => {
  makeCheckout();
  gh.setPulls('octo', 'demo', `octo:${BRANCH}`, [{ number: 12, title: 'Demo feature', state: 'open', head: BRANCH, base: 'main', user: 'mona' }]);
  const s = await startWithGitHub(3600);
  const chat = await agentTurn(s);

  const d = await diffOf(s, chat.id);
  assert.equal(d.git_branch, BRANCH);
  assert.equal(d.git_remote_origin, remote('octo/demo'));
  assert.equal(d.base_branch, 'main');
  assert.deepEqual([d.changed_files, d.additions, d.deletions], [2, 4, 1]);
  assert.deepEqual(
    [d.pull_request_state, d.pull_request_title, d.pull_request_draft, d.head_branch, d.pr_number, d.url, d.author_login, d.pr_error],
    ['open', 'Demo feature', false, BRANCH, 12, `${gh.url}/octo/demo/pull/12`, 'mona', null],
  );
  assert.ok(Math.abs(nextLookupIn(d) - 3600_000) < 5000, 'an open pull request is asked about again after poll_seconds');
  await waitForDiff(s, chat.id, (x) => x.pull_request_state === 'open', 'diff_status_change with the pull request');

  const listed = await s.request<unknown, ChatDiff>(P.GetChatDiff, { chat_id: chat.id });
  assert.equal(listed.chat_id, chat.id);
  assert.deepEqual(listed.files, [
    { path: 'README.md', status: 'modified', additions: 1, deletions: 1 },
    { path: 'src/app.ts', status: 'untracked', additions: 3, deletions: 0 },
  ]);
  assert.deepEqual(listed.diff_status, d);

  // The Enterprise host gets its own token, never the github.com one.
  const lookups = gh.pullRequests('octo', 'demo');
  assert.ok(lookups.length >= 1);
  assert.equal(lookups[0].query.head, `octo:${BRANCH}`);
  assert.equal(lookups[0].query.state, 'all');
  for (const r of gh.requests) assert.equal(r.headers.authorization, `Bearer ${GHE_TOKEN}`);

  // Refresh: the ETag comes back, a 304 keeps the pull request and counts as a lookup.
  const before = gh.requests.length;
  const again = await refresh(s, chat.id);
  assert.equal(gh.requests.length, before + 1);
  const conditional = lastLookup('octo/demo')!;
  assert.match(String(conditional.headers['if-none-match']), /^W\/"/);
  assert.equal(conditional.status, 304);
  assert.equal(again.diff_status?.pull_request_title, 'Demo feature');
  assert.equal(again.diff_status?.pull_request_state, 'open');
  assert.ok(Date.parse(again.diff_status!.pr_refreshed_at!) > Date.parse(d.pr_refreshed_at!));

  gh.updatePull('octo', 'demo', 12, { draft: true, title: 'Demo feature (WIP)' });
  const draft = await refresh(s, chat.id);
  assert.equal(lastLookup('octo/demo')?.status, 200);
  assert.deepEqual([draft.diff_status?.pull_request_state, draft.diff_status?.pull_request_draft, draft.diff_status?.pull_request_title], ['open', true, 'Demo feature (WIP)']);
  await waitForDiff(s, chat.id, (x) => x.pull_request_draft === true, 'diff_status_change for the draft');

  gh.updatePull('octo', 'demo', 12, { draft: false, state: 'closed', merged_at: new Date().toISOString() });
  const merged = await refresh(s, chat.id);
  assert.equal(merged.diff_status?.pull_request_state, 'merged');
  assert.ok(Math.abs(nextLookupIn(merged.diff_status!) - 15 * 3600_000) < 5000, 'a merged one is asked about 15 times less often');

  // A rate limit: said, with the reset as the next lookup, and the pull request kept.
  const reset = Math.floor(Date.now() / 1000) + 1200;
  gh.rateLimit(reset);
  const limited = await refresh(s, chat.id);
  gh.rateLimit(null);
  assert.equal(lastLookup('octo/demo')?.status, 403);
  assert.match(limited.diff_status?.pr_error ?? '', /rate limit/);
  assert.equal(limited.diff_status?.stale_at, new Date(reset * 1000).toISOString());
  assert.deepEqual([limited.diff_status?.pull_request_state, limited.diff_status?.pull_request_title, limited.diff_status?.pr_number], ['merged', 'Demo feature (WIP)', 12]);
  // The next good answer clears the error.
  const cleared = await refresh(s, chat.id);
  assert.equal(cleared.diff_status?.pr_error, null);

  // VS Code's GitHub session wins over the environment while it is set; signed out, the environment's again.
  const SESSION_TOKEN = 'gho_vscode_session_0123456789abcdef';
  await s.request(P.SetGitHubToken, { host: gh.host, token: SESSION_TOKEN });
  await refresh(s, chat.id);
  assert.equal(lastLookup('octo/demo')?.headers.authorization, `Bearer ${SESSION_TOKEN}`);
  await s.request(P.SetGitHubToken, { host: gh.host, token: null });
  await refresh(s, chat.id);
  assert.equal(lastLookup('octo/demo')?.headers.authorization, `Bearer ${GHE_TOKEN}`);
  await assert.rejects(s.request(P.UpdateSettings, { github: { poll_seconds: 1 } }), /at least 5 seconds/);
  await assert.rejects(s.request(P.UpdateSettings, { github: { enterprise_url: 'ftp://ghe.example' } }), /http or https URL/);

  // A repository GitHub does not know (or the token may not see).
  git('remote', 'set-url', 'origin', remote('octo/missing'));
  const missing = await refresh(s, chat.id);
  assert.equal(lastLookup('octo/missing')?.status, 404);
  assert.match(missing.diff_status?.pr_error ?? '', /octo\/missing was not found/);
  assert.equal(missing.diff_status?.pull_request_state, null, 'another repository\'s pull request is not this one\'s');

  // The github.com token and the Enterprise one were never written anywhere.
  await s.stop();
  const stored = [env.dbPath, `${env.dbPath}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('\n');
  assert.ok(stored.includes(remote('octo/missing')) && stored.includes('octo/missing was not found'), 'the check reads the files the diff status is in');
  for (const token of [GHE_TOKEN, COM_TOKEN, SESSION_TOKEN]) {
    assert.ok(!stored.includes(token), 'a token in the database');
    assert.ok(!s.stderr().includes(token), 'a token in the server log');
  }
});

test('a fork asks upstream for the fork owner\'s branch; a remote with credentials is stored without them; the HTTP API serves the diff', async () => {
  makeCheckout();
  git('remote', 'set-url', 'origin', remote('forker/demo', 'forker:s3cr3t-remote-password@'));
  git('remote', 'add', 'upstream', remote('octo/demo'));
  gh.setPulls('octo', 'demo', `forker:${BRANCH}`, [{ number: 31, title: 'From the fork', state: 'open', head: BRANCH, base: 'main', user: 'forker' }]);
  gh.addRepo('forker', 'demo');
  const s = await startWithGitHub(3600);
  const chat = await agentTurn(s);

  const d = await diffOf(s, chat.id);
  assert.equal(d.git_remote_origin, remote('forker/demo'), 'stored without the user and password');
  assert.deepEqual([d.pull_request_title, d.pr_number, d.head_branch], ['From the fork', 31, BRANCH]);
  assert.equal(gh.pullRequests('forker', 'demo').length, 0, 'the fork itself is not asked');
  assert.equal(lastLookup('octo/demo')?.query.head, `forker:${BRANCH}`);

  await s.stop();
  const stored = [env.dbPath, `${env.dbPath}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('\n');
  assert.ok(stored.includes('From the fork'));
  assert.ok(!stored.includes('s3cr3t-remote-password'), 'the remote\'s password in the database');

  // The same database through the HTTP API of a window's server.
  const web = await env.start({ api: { enabled: true, port: 0 }, settings: { github: { enterprise_url: gh.url, poll_seconds: 3600 } } }, TOKEN_ENV);
  const access = await web.request<unknown, { url: string; token: string }>(P.GetApiAccess, {});
  const r = await httpJson('GET', `${access.url}/chats/${chat.id}/diff`, access.token);
  assert.equal(r.status, 200);
  const body = r.body as ChatDiff;
  assert.equal(body.diff_status?.pull_request_title, 'From the fork');
  assert.deepEqual(body.files.map((f) => f.path), ['README.md', 'src/app.ts']);
  gh.updatePull('octo', 'demo', 31, { title: 'From the fork, renamed' });
  const refreshed = await httpJson('POST', `${access.url}/chats/${chat.id}/diff/refresh`, access.token);
  assert.equal(refreshed.status, 200);
  assert.equal((refreshed.body as ChatDiff).diff_status?.pull_request_title, 'From the fork, renamed');
  assert.equal((await httpJson('GET', `${access.url}/chats/no-such-chat/diff`, access.token)).status, 404);
});

test('without a Refresh: the timer picks up an open pull request turning merged, and a commit in the workspace refreshes the files', async () => {
  makeCheckout();
  gh.setPulls('octo', 'demo', `octo:${BRANCH}`, [{ number: 5, title: 'Timer', state: 'open', head: BRANCH, base: 'main' }]);
  const s = await startWithGitHub(5);
  const chat = await agentTurn(s);
  assert.equal((await diffOf(s, chat.id)).pull_request_state, 'open');

  gh.updatePull('octo', 'demo', 5, { state: 'closed', merged_at: new Date().toISOString() });
  const merged = await waitForDiff(s, chat.id, (x) => x.pull_request_state === 'merged', 'the timer\'s lookup of the merged pull request', 20_000);
  assert.equal(merged.pull_request_title, 'Timer');

  // A commit (no turn): the committed files are the branch's, the new one too.
  const watchedBefore = s.watch.length;
  writeFileSync(path.join(env.workspace, 'later.txt'), 'one\ntwo\n');
  git('add', '-A');
  git('commit', '-qm', 'commit the agent\'s work');
  const committed = await waitForDiff(s, chat.id, (x) => x.changed_files === 3, 'diff_status_change after the commit', 15_000);
  assert.deepEqual([committed.additions, committed.deletions], [6, 1]);
  assert.ok(s.watch.length > watchedBefore);
  const files = (await s.request<unknown, ChatDiff>(P.GetChatDiff, { chat_id: chat.id })).files;
  assert.deepEqual(files.map((f) => [f.path, f.status]), [['README.md', 'modified'], ['later.txt', 'added'], ['src/app.ts', 'added']]);

  // A checkout of another branch: the chat keeps its branch, read from its commits.
  git('checkout', '-q', '-b', 'elsewhere', 'main');
  await new Promise((r) => setTimeout(r, 2000));
  const kept = await diffOf(s, chat.id);
  assert.equal(kept.git_branch, BRANCH);
  assert.equal(kept.changed_files, 3);

  // The next server on the database watches the checkout too, before any turn of its own.
  await s.stop();
  const asked = gh.requests.length;
  const next = await startWithGitHub(3600);
  // Its first tick watches the folder, then asks GitHub (the Enterprise setting made every lookup due).
  await next.waitFor(() => gh.requests.length > asked, 15_000, 'the restarted server\'s first lookup');
  git('checkout', '-q', BRANCH);
  writeFileSync(path.join(env.workspace, 'after-restart.txt'), 'x\n');
  git('add', '-A');
  git('commit', '-qm', 'after the restart');
  const seen = await waitForDiff(next, chat.id, (x) => x.changed_files === 4, 'diff_status_change after a commit, on a restarted server', 15_000);
  assert.equal(seen.git_branch, BRANCH);
});

test('an untrusted workspace runs no git: no diff status after a turn, and Refresh is refused with a 400', async () => {
  makeCheckout();
  gh.addRepo('octo', 'demo');
  // A git on PATH that logs each run before running the real one.
  const bin = path.join(env.dir, 'bin');
  mkdirSync(bin);
  const gitLog = path.join(env.dir, 'git-runs.log');
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  writeFileSync(path.join(bin, 'git'), `#!/bin/sh\necho "$*" >> '${gitLog}'\nexec '${realGit}' "$@"\n`);
  chmodSync(path.join(bin, 'git'), 0o755);
  const s = await startWithGitHub(5, { PATH: `${bin}${path.delimiter}${process.env.PATH}` });
  await s.request(P.SetWorkspace, { workspace: env.workspace, folders: [env.workspace], trusted: false });

  env.fake.enqueue({ kind: 'text', text: 'nothing to do' });
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('hello') });
  await s.waitForStatus(chat.id, ['waiting'], 20_000);
  await assert.rejects(refresh(s, chat.id), (err: { message: string; data?: { status?: number } }) => {
    assert.match(err.message, /untrusted workspace/);
    assert.equal(err.data?.status, 400);
    return true;
  });
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await diffOf(s, chat.id)), null);
  assert.equal((await s.request<unknown, ChatDiff>(P.GetChatDiff, { chat_id: chat.id })).diff_status, null);
  assert.equal(existsSync(gitLog), false, `git ran: ${existsSync(gitLog) ? readFileSync(gitLog, 'utf8') : ''}`);
  assert.equal(gh.requests.length, 0);

  // Trusted again: the same git now runs (so the log above would have caught it).
  await s.request(P.SetWorkspace, { workspace: env.workspace, folders: [env.workspace], trusted: true });
  const trusted = await refresh(s, chat.id);
  assert.equal(trusted.diff_status?.git_branch, BRANCH);
  assert.ok(readFileSync(gitLog, 'utf8').includes('diff'));
});
