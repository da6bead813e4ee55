import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createChat } from '../chats/lifecycle';
import { makeTestContext, text } from '../testing/testContext';
import { getDiffStatusRow, makeFailedPullRequestsDue, saveGitDiff, savePullRequest, type GitDiffFields } from './diffStatuses';

const git = (over: Partial<GitDiffFields> = {}): GitDiffFields => ({
  git_folder: '/w', git_branch: 'feature', git_remote_origin: 'https://github.com/o/r.git', git_remote_upstream: null,
  base_branch: 'main', additions: 1, deletions: 0, changed_files: 1, files: [{ path: 'a', status: 'modified', additions: 1, deletions: 0 }], ...over,
});
const key = { branch: 'feature', remote: 'https://github.com/o/r.git', query: 'q' };

test("a pull request's base branch stays the chat's base when git guesses another (its base is not fetched here)", () => {
  const ctx = makeTestContext();
  try {
    const chat = createChat(ctx, { content: text('hi') });
    assert.equal(saveGitDiff(ctx.db, chat.id, git(), 1000), true);
    const pr = { url: 'u', pr_number: 1, pull_request_state: 'open' as const, pull_request_title: 't', pull_request_draft: false, head_branch: 'feature', base_branch: 'release', author_login: null };
    savePullRequest(ctx.db, chat.id, key, { kind: 'found', pr, etag: 'e' }, 5000, 2000);
    assert.equal(getDiffStatusRow(ctx.db, chat.id)?.base_branch, 'release');
    // The next git refresh finds only main: nothing a client sees changes, and the base stays the pull request's.
    assert.equal(saveGitDiff(ctx.db, chat.id, git(), 3000), false);
    assert.equal(getDiffStatusRow(ctx.db, chat.id)?.base_branch, 'release');
    // Another branch: its own base, and the old pull request is gone.
    assert.equal(saveGitDiff(ctx.db, chat.id, git({ git_branch: 'other' }), 4000), true);
    const row = getDiffStatusRow(ctx.db, chat.id);
    assert.equal(row?.base_branch, 'main');
    assert.equal(row?.url, null);
  } finally {
    ctx.close();
  }
});

test('a new token makes failed lookups due now, and leaves the others on their schedule', () => {
  const ctx = makeTestContext();
  try {
    const failed = createChat(ctx, { content: text('a') });
    const fine = createChat(ctx, { content: text('b') });
    saveGitDiff(ctx.db, failed.id, git(), 1000);
    saveGitDiff(ctx.db, fine.id, git(), 1000);
    savePullRequest(ctx.db, failed.id, key, { kind: 'failed', error: 'Repository o/r was not found on GitHub.' }, 3_600_000, 2000);
    savePullRequest(ctx.db, fine.id, key, { kind: 'found', pr: null, etag: 'e' }, 180_000, 2000);
    makeFailedPullRequestsDue(ctx.db, 5000);
    assert.equal(getDiffStatusRow(ctx.db, failed.id)?.stale_at, 5000);
    assert.equal(getDiffStatusRow(ctx.db, failed.id)?.pr_failures, 0);
    assert.equal(getDiffStatusRow(ctx.db, fine.id)?.stale_at, 180_000);
  } finally {
    ctx.close();
  }
});
