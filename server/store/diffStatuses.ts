// Queries over `chat_diff_statuses`: the git side (branch, changed files) written after turns and git changes,
// the pull request side written by the GitHub poller, and the claim that keeps two servers on one database
// from looking up the same pull request at once.
import type { ChatDiffFile, ChatDiffStatus, PullRequestState } from '../protocol';
import { iso } from '../util/time';
import { prepareCached, type Db } from './db';

export interface DiffStatusRow {
  chat_id: string;
  git_folder: string;
  git_branch: string | null;
  git_remote_origin: string | null;
  git_remote_upstream: string | null;
  base_branch: string | null;
  head_branch: string | null;
  additions: number;
  deletions: number;
  changed_files: number;
  files: string;
  url: string | null;
  pr_number: number | null;
  pull_request_state: PullRequestState | null;
  pull_request_title: string | null;
  pull_request_draft: number | null;
  author_login: string | null;
  pr_error: string | null;
  pr_query: string | null;
  pr_etag: string | null;
  pr_failures: number;
  refreshed_at: number;
  pr_refreshed_at: number | null;
  stale_at: number | null;
}

/** The diff status as one JSON column of a chat query (one correlated lookup on the primary key). */
export const DIFF_STATUS_JSON = `(SELECT json_object('git_branch', ds.git_branch, 'git_remote_origin', ds.git_remote_origin,
  'base_branch', ds.base_branch, 'head_branch', ds.head_branch, 'changed_files', ds.changed_files, 'additions', ds.additions,
  'deletions', ds.deletions, 'url', ds.url, 'pr_number', ds.pr_number, 'pull_request_state', ds.pull_request_state,
  'pull_request_title', ds.pull_request_title, 'pull_request_draft', ds.pull_request_draft, 'author_login', ds.author_login,
  'pr_error', ds.pr_error, 'refreshed_at', ds.refreshed_at, 'pr_refreshed_at', ds.pr_refreshed_at, 'stale_at', ds.stale_at)
  FROM chat_diff_statuses ds WHERE ds.chat_id = c.id)`;

type DiffStatusJson = Omit<ChatDiffStatus, 'pull_request_draft' | 'refreshed_at' | 'pr_refreshed_at' | 'stale_at'> & {
  pull_request_draft: number | null; refreshed_at: number; pr_refreshed_at: number | null; stale_at: number | null;
};

export function diffStatusFromJson(json: string | null | undefined): ChatDiffStatus | null {
  if (!json) return null;
  const d = JSON.parse(json) as DiffStatusJson;
  return {
    ...d,
    pull_request_draft: d.pull_request_draft === null ? null : d.pull_request_draft === 1,
    refreshed_at: iso(d.refreshed_at),
    pr_refreshed_at: d.pr_refreshed_at === null ? null : iso(d.pr_refreshed_at),
    stale_at: d.stale_at === null ? null : iso(d.stale_at),
  };
}

export function getDiffStatusRow(db: Db, chatId: string): DiffStatusRow | undefined {
  return prepareCached(db, 'SELECT * FROM chat_diff_statuses WHERE chat_id = ?').get(chatId) as DiffStatusRow | undefined;
}

export function diffFiles(row: DiffStatusRow): ChatDiffFile[] {
  return JSON.parse(row.files) as ChatDiffFile[];
}

export interface GitDiffFields {
  git_folder: string;
  git_branch: string | null;
  git_remote_origin: string | null;
  git_remote_upstream: string | null;
  base_branch: string | null;
  additions: number;
  deletions: number;
  changed_files: number;
  files: ChatDiffFile[];
}

/**
 * Writes what git says. A new branch or remote drops the old pull request (it belonged to another branch) and
 * makes the lookup due now; returns whether anything a client shows changed.
 */
export function saveGitDiff(db: Db, chatId: string, g: GitDiffFields, now: number): boolean {
  return db.transaction(() => {
    const old = getDiffStatusRow(db, chatId);
    const files = JSON.stringify(g.files);
    const sameBranch = old && old.git_branch === g.git_branch && old.git_remote_origin === g.git_remote_origin && old.git_remote_upstream === g.git_remote_upstream;
    // A pull request names the base: git's guess (its base may not be fetched here) does not replace it.
    if (sameBranch && old.pull_request_state !== null && old.base_branch !== null) g = { ...g, base_branch: old.base_branch };
    const changed = !old || !sameBranch || old.base_branch !== g.base_branch || old.additions !== g.additions
      || old.deletions !== g.deletions || old.changed_files !== g.changed_files || old.files !== files;
    if (!old) {
      db.prepare(`INSERT INTO chat_diff_statuses (chat_id, git_folder, git_branch, git_remote_origin, git_remote_upstream, base_branch, additions,
        deletions, changed_files, files, refreshed_at, stale_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(chatId, g.git_folder, g.git_branch, g.git_remote_origin, g.git_remote_upstream, g.base_branch, g.additions, g.deletions, g.changed_files, files, now, g.git_branch ? now : null);
      return true;
    }
    if (!sameBranch) {
      db.prepare(`UPDATE chat_diff_statuses SET git_folder = ?, git_branch = ?, git_remote_origin = ?, git_remote_upstream = ?, base_branch = ?, additions = ?,
        deletions = ?, changed_files = ?, files = ?, refreshed_at = ?, head_branch = NULL, url = NULL, pr_number = NULL,
        pull_request_state = NULL, pull_request_title = NULL, pull_request_draft = NULL, author_login = NULL, pr_error = NULL,
        pr_query = NULL, pr_etag = NULL, pr_failures = 0, pr_refreshed_at = NULL, stale_at = ? WHERE chat_id = ?`)
        .run(g.git_folder, g.git_branch, g.git_remote_origin, g.git_remote_upstream, g.base_branch, g.additions, g.deletions, g.changed_files, files, now, g.git_branch ? now : null, chatId);
      return true;
    }
    // refreshed_at moves only with a change: a refresh that finds the same diff writes nothing clients see.
    if (changed) {
      db.prepare(`UPDATE chat_diff_statuses SET git_folder = ?, base_branch = ?, additions = ?, deletions = ?, changed_files = ?, files = ?,
        refreshed_at = ? WHERE chat_id = ?`).run(g.git_folder, g.base_branch, g.additions, g.deletions, g.changed_files, files, now, chatId);
    }
    return changed;
  }).immediate();
}

export interface PullRequestFields {
  url: string;
  pr_number: number;
  pull_request_state: PullRequestState;
  pull_request_title: string;
  pull_request_draft: boolean;
  head_branch: string;
  base_branch: string;
  author_login: string | null;
}

export type PullRequestOutcome =
  /** 200: the branch's pull request, or null when it has none. */
  | { kind: 'found'; pr: PullRequestFields | null; etag: string | null }
  /** 304: what is stored is current. */
  | { kind: 'unchanged' }
  | { kind: 'failed'; error: string };

/** What a lookup was made for: the row's branch and remote then, and the GitHub query (API base, repository, head). */
export interface LookupKey { branch: string; remote: string | null; query: string }

/** Writes a lookup's outcome for the branch it was made for (a branch changed meanwhile is left alone); returns whether clients see a change. */
export function savePullRequest(db: Db, chatId: string, key: LookupKey, outcome: PullRequestOutcome, nextAt: number, now: number): boolean {
  return db.transaction(() => {
    const old = getDiffStatusRow(db, chatId);
    if (!old || old.git_branch !== key.branch || old.git_remote_origin !== key.remote) return false;
    if (outcome.kind === 'unchanged' && old.pr_query !== key.query) return false;
    const query = key.query;
    if (outcome.kind === 'failed') {
      db.prepare('UPDATE chat_diff_statuses SET pr_error = ?, pr_failures = pr_failures + 1, stale_at = ? WHERE chat_id = ?').run(outcome.error, nextAt, chatId);
      return old.pr_error !== outcome.error;
    }
    if (outcome.kind === 'unchanged') {
      db.prepare('UPDATE chat_diff_statuses SET pr_error = NULL, pr_failures = 0, pr_refreshed_at = ?, stale_at = ? WHERE chat_id = ?').run(now, nextAt, chatId);
      return old.pr_error !== null;
    }
    const pr = outcome.pr;
    const draft = pr ? (pr.pull_request_draft ? 1 : 0) : null;
    const changed = old.url !== (pr?.url ?? null) || old.pull_request_state !== (pr?.pull_request_state ?? null)
      || old.pull_request_title !== (pr?.pull_request_title ?? null) || old.pull_request_draft !== draft || old.pr_error !== null
      || old.pr_number !== (pr?.pr_number ?? null) || old.head_branch !== (pr?.head_branch ?? null);
    db.prepare(`UPDATE chat_diff_statuses SET url = ?, pr_number = ?, pull_request_state = ?, pull_request_title = ?, pull_request_draft = ?,
      head_branch = ?, base_branch = COALESCE(?, base_branch), author_login = ?, pr_error = NULL, pr_query = ?, pr_etag = ?, pr_failures = 0,
      pr_refreshed_at = ?, stale_at = ? WHERE chat_id = ?`)
      .run(pr?.url ?? null, pr?.pr_number ?? null, pr?.pull_request_state ?? null, pr?.pull_request_title ?? null, draft,
        pr?.head_branch ?? null, pr?.base_branch ?? null, pr?.author_login ?? null, query, outcome.etag, now, nextAt, chatId);
    return changed;
  }).immediate();
}

/**
 * Root chats whose pull request lookup is due, among the given folders, claimed until `leaseUntil`: a second
 * server on the same database sees them as not due and does not ask GitHub the same question.
 */
export function claimDuePullRequests(db: Db, folders: string[], now: number, leaseUntil: number, limit: number, activeSince: number): DiffStatusRow[] {
  if (folders.length === 0) return [];
  const due = () => prepareCached(db, `SELECT ds.* FROM chat_diff_statuses ds JOIN chats c ON c.id = ds.chat_id
      WHERE ds.git_branch IS NOT NULL AND ds.stale_at IS NOT NULL AND ds.stale_at <= ? AND c.archived = 0 AND c.updated_at >= ?
        AND ds.git_folder IN (SELECT value FROM json_each(?))
      ORDER BY ds.stale_at LIMIT ?`).all(now, activeSince, JSON.stringify(folders), limit) as DiffStatusRow[];
  // The poll runs every few seconds in every window: the write lock is taken only when something is due,
  // and the rows are read again under it (another server may have claimed them meanwhile).
  if (due().length === 0) return [];
  return db.transaction(() => {
    const rows = due();
    const claim = db.prepare('UPDATE chat_diff_statuses SET stale_at = ? WHERE chat_id = ?');
    for (const r of rows) claim.run(leaseUntil, r.chat_id);
    return rows;
  }).immediate();
}

/** Root chats with a diff status in a folder (a git change there refreshes them). */
export function diffStatusChatsInFolder(db: Db, folder: string, activeSince: number): string[] {
  return (db.prepare(`SELECT ds.chat_id FROM chat_diff_statuses ds JOIN chats c ON c.id = ds.chat_id
    WHERE ds.git_folder = ? AND c.archived = 0 AND c.updated_at >= ?`).all(folder, activeSince) as Array<{ chat_id: string }>).map((r) => r.chat_id);
}

/** Makes a lookup due now (a refresh asked for by the user). */
export function markPullRequestDue(db: Db, chatId: string, now: number): void {
  db.prepare('UPDATE chat_diff_statuses SET stale_at = ? WHERE chat_id = ? AND git_branch IS NOT NULL').run(now, chatId);
}

/** Sets when the lookup is due; null: never (not a GitHub repository, or lookups are off). */
export function setPullRequestDue(db: Db, chatId: string, at: number | null): void {
  db.prepare('UPDATE chat_diff_statuses SET stale_at = ? WHERE chat_id = ?').run(at, chatId);
}

/** Every branch's lookup due now (lookups turned on, another Enterprise server). */
export function makeAllPullRequestsDue(db: Db, now: number): void {
  db.prepare('UPDATE chat_diff_statuses SET stale_at = ?, pr_etag = NULL, pr_failures = 0 WHERE git_branch IS NOT NULL').run(now);
}

/** A new token: lookups that failed (a private repository, a refused token) are due now instead of after their backoff. */
export function makeFailedPullRequestsDue(db: Db, now: number): void {
  db.prepare('UPDATE chat_diff_statuses SET stale_at = ?, pr_failures = 0 WHERE git_branch IS NOT NULL AND pr_failures > 0').run(now);
}
