// Keeps each root chat's diff status current: the branch and changed files after every turn (the branch is
// recorded then, since all chats of a folder share one checkout) and whenever git changes in that checkout,
// and the branch's pull request on a timer with backoff. Never on tokens: nothing here runs while a model streams.
// One implementation for every client: the extension, the CLI and the HTTP API read the stored result.
import { existsSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../context';
import { log } from '../logger';
import type { Chat } from '../protocol';
import { getChat, getChatRow } from '../store/chats';
import {
  claimDuePullRequests, diffStatusChatsInFolder, getDiffStatusRow, markPullRequestDue, savePullRequest, saveGitDiff, setPullRequestDue,
  type DiffStatusRow,
} from '../store/diffStatuses';
import { branchDiff } from './diffStatus';
import { gitText } from './gitCommand';
import { gitHubHosts, lookUpPullRequest, queryKey } from './github';
import { GitHubTokens } from './githubToken';
import { parseGitHubRemote } from './remotes';

/** How often due lookups are looked for; each row says when it is due. */
const TICK_MS = 5_000;
/** Lookups per tick, so a workspace with many chats on many branches spreads them out. */
const LOOKUPS_PER_TICK = 10;
/** A claimed lookup that never finished (the server died) is due again after this. */
const LEASE_MS = 2 * 60_000;
/** Chats untouched for longer are not polled (their pull request is looked up again when they are used). */
const ACTIVE_MS = 30 * 24 * 60 * 60_000;
const GIT_CHANGE_DEBOUNCE_MS = 750;
const MAX_BACKOFF_MS = 60 * 60_000;
/** Files in the git dir whose change means a commit, a checkout, a staged change, a fetch or a reset. */
const GIT_STATE_FILES = new Set(['HEAD', 'index', 'packed-refs', 'ORIG_HEAD', 'FETCH_HEAD']);

interface GitDirWatch { watchers: FSWatcher[]; folders: Set<string>; timer?: NodeJS.Timeout }
interface RefreshOptions { recordBranch?: boolean; lookUp?: boolean }

export class DiffStatusService {
  readonly tokens: GitHubTokens;
  private timer: NodeJS.Timeout | undefined;
  private readonly gitDirs = new Map<string, GitDirWatch>();
  private readonly watchTried = new Set<string>();
  /** One refresh per chat at a time; a second request while one runs waits for it and runs again. */
  private readonly running = new Map<string, Promise<void>>();
  /** What the run after the current one must do: every waiting request's wishes together (a turn's branch is never lost). */
  private readonly again = new Map<string, RefreshOptions>();
  private ticking: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly ctx: AppContext, env: NodeJS.ProcessEnv = process.env) {
    this.tokens = new GitHubTokens(env);
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    for (const w of this.gitDirs.values()) {
      clearTimeout(w.timer);
      for (const fw of w.watchers) fw.close();
    }
    this.gitDirs.clear();
    await Promise.allSettled([...this.running.values(), this.ticking]);
  }

  /** The end of a turn of `chatId` (a subagent's turn refreshes its root): records the checked-out branch. */
  afterTurn(chatId: string): void {
    const row = getChatRow(this.ctx.db, chatId);
    if (!row) return;
    void this.refresh(row.root_chat_id ?? row.id, { recordBranch: true });
  }

  /**
   * Reads git again for a root chat and, when its pull request is due (or `lookUp`), asks GitHub. Resolves
   * when both are stored; errors are logged, never thrown (a broken checkout must not fail a turn).
   */
  refresh(chatId: string, opts: RefreshOptions = {}): Promise<void> {
    const current = this.running.get(chatId);
    if (current) {
      const waiting = this.again.get(chatId);
      this.again.set(chatId, { recordBranch: waiting?.recordBranch || opts.recordBranch, lookUp: waiting?.lookUp || opts.lookUp });
      return current.then(() => this.running.get(chatId));
    }
    const p = this.refreshNow(chatId, opts)
      .catch((err: unknown) => log.warn('diff status refresh failed', { chat_id: chatId, error: (err as Error).message }))
      .finally(() => {
        this.running.delete(chatId);
        const next = this.again.get(chatId);
        this.again.delete(chatId);
        if (next && !this.stopped) void this.refresh(chatId, next);
      });
    this.running.set(chatId, p);
    return p;
  }

  /** The user asked (Refresh, `chats diff`): git now and the pull request now. */
  async refreshNow(chatId: string, opts: RefreshOptions = { lookUp: true }): Promise<void> {
    const ctx = this.ctx;
    // Workspace Trust: no git in an untrusted folder (its config could name programs to run).
    if (!ctx.workspace.trusted || this.stopped) return;
    const chat = getChatRow(ctx.db, chatId);
    if (!chat || chat.parent_chat_id) return;
    const folder = chat.workspace_folder ?? ctx.workspace.folders[0];
    if (!folder || !existsSync(folder)) return;
    const old = getDiffStatusRow(ctx.db, chatId);
    // The branch a turn ended on is the chat's; a git change elsewhere keeps the one recorded.
    const branch = opts.recordBranch || !old ? undefined : old.git_branch;
    const diff = await branchDiff(folder, { branch, baseHint: old?.pull_request_state ? old.base_branch : null });
    if (!diff) return;
    const changed = saveGitDiff(ctx.db, chatId, {
      git_folder: folder, git_branch: diff.branch, git_remote_origin: diff.remote, git_remote_upstream: diff.upstream,
      base_branch: diff.base_branch, additions: diff.additions, deletions: diff.deletions, changed_files: diff.changed_files, files: diff.files,
    }, ctx.now());
    void this.watchGitDir(diff.root, folder);
    const row = getDiffStatusRow(ctx.db, chatId);
    let prChanged = false;
    if (row?.git_branch && (opts.lookUp || (row.stale_at !== null && row.stale_at <= ctx.now()))) prChanged = await this.lookUp(row);
    if (changed || prChanged) this.emit(chatId);
  }

  /** Asks GitHub for the row's branch; returns whether what clients see changed. */
  private async lookUp(row: DiffStatusRow): Promise<boolean> {
    const ctx = this.ctx;
    const gh = ctx.settings.github;
    const branch = row.git_branch;
    if (!branch) return false;
    const hosts = gitHubHosts(gh.enterpriseUrl);
    const origin = parseGitHubRemote(row.git_remote_origin, hosts.hosts);
    const upstream = parseGitHubRemote(row.git_remote_upstream, hosts.hosts);
    const repo = upstream ?? origin;
    const apiBase = repo && hosts.apiBaseFor(repo.host);
    if (!gh.pullRequests || !repo || !apiBase) {
      // Not a GitHub repository (or lookups are off): nothing is due until the remote or the setting changes.
      setPullRequestDue(ctx.db, row.chat_id, null);
      return false;
    }
    const q = { apiBase, repo, headOwner: (origin ?? repo).owner, branch };
    const key = { branch, remote: row.git_remote_origin, query: queryKey(q) };
    const now = ctx.now();
    const token = await this.tokens.tokenFor(repo.host, now);
    const { outcome, retryAt } = await lookUpPullRequest(q, token?.token, row.pr_query === key.query ? row.pr_etag : null, now);
    const pollMs = gh.pollSeconds * 1000;
    const state = outcome.kind === 'found' ? outcome.pr?.pull_request_state ?? null : row.pull_request_state;
    let nextAt: number;
    if (outcome.kind === 'failed') {
      nextAt = retryAt ?? now + Math.min(pollMs * 2 ** (row.pr_failures + 1), MAX_BACKOFF_MS);
      log.info('pull request lookup failed', { chat_id: row.chat_id, error: outcome.error });
    } else {
      // Open pull requests change often; none yet, less; merged and closed ones hardly ever.
      nextAt = now + pollMs * (state === 'open' ? 1 : state === null ? 3 : 15);
    }
    return savePullRequest(ctx.db, row.chat_id, key, outcome, nextAt, ctx.now());
  }

  /** Due lookups of this workspace's chats, claimed so another server on the database skips them. */
  private async tick(): Promise<void> {
    if (this.ticking || this.stopped || !this.ctx.workspace.trusted) return;
    this.ticking = this.watchKnownFolders().then(() => (this.ctx.settings.github.pullRequests ? this.lookUpDue() : undefined))
      .finally(() => { this.ticking = undefined; });
    await this.ticking;
  }

  /**
   * Watches the folders whose chats have a diff status from an earlier server (or from before the workspace was
   * trusted): otherwise a commit there would show only after the next turn. Each folder is tried once.
   */
  private async watchKnownFolders(): Promise<void> {
    try {
      const activeSince = this.ctx.now() - ACTIVE_MS;
      for (const folder of this.ctx.workspace.folders) {
        if (this.watchTried.has(folder) || this.stopped) continue;
        if (diffStatusChatsInFolder(this.ctx.db, folder, activeSince).length === 0) continue;
        this.watchTried.add(folder);
        if (existsSync(folder)) await this.watchGitDir(folder, folder);
      }
    } catch (err) {
      log.warn('cannot watch the workspace\'s git dirs', { error: (err as Error).message });
    }
  }

  private async lookUpDue(): Promise<void> {
    try {
      const now = this.ctx.now();
      const due = claimDuePullRequests(this.ctx.db, this.ctx.workspace.folders, now, now + LEASE_MS, LOOKUPS_PER_TICK, now - ACTIVE_MS);
      for (const row of due) {
        if (this.stopped) break;
        if (await this.lookUp(row)) this.emit(row.chat_id);
      }
    } catch (err) {
      log.warn('pull request polling failed', { error: (err as Error).message });
    }
  }

  /** Watches the checkout's git dir: a commit, checkout, stage or fetch refreshes the chats of its folders. */
  private async watchGitDir(root: string, folder: string): Promise<void> {
    const existing = [...this.gitDirs.values()].find((w) => w.folders.has(folder));
    if (existing || this.stopped) return;
    const gitDir = (await gitText(root, ['rev-parse', '--absolute-git-dir']))?.trim();
    if (!gitDir || this.stopped) return;
    let w = this.gitDirs.get(gitDir);
    if (w) {
      w.folders.add(folder);
      return;
    }
    w = { watchers: [], folders: new Set([folder]) };
    this.gitDirs.set(gitDir, w);
    const entry = w;
    const changed = () => {
      clearTimeout(entry.timer);
      entry.timer = setTimeout(() => this.gitChanged(entry), GIT_CHANGE_DEBOUNCE_MS);
      entry.timer.unref();
    };
    try {
      entry.watchers.push(watch(gitDir, (_e, name) => { if (name && GIT_STATE_FILES.has(String(name))) changed(); }));
      const logs = path.join(gitDir, 'logs');
      if (existsSync(logs)) entry.watchers.push(watch(logs, (_e, name) => { if (String(name) === 'HEAD') changed(); }));
      for (const fw of entry.watchers) fw.unref();
    } catch (err) {
      log.warn('cannot watch the git dir', { git_dir: gitDir, error: (err as Error).message });
    }
  }

  private gitChanged(w: GitDirWatch): void {
    if (this.stopped) return;
    const activeSince = this.ctx.now() - ACTIVE_MS;
    for (const folder of w.folders) {
      for (const chatId of diffStatusChatsInFolder(this.ctx.db, folder, activeSince)) void this.refresh(chatId);
    }
  }

  /** Makes the chat's pull request due now and refreshes (a user's Refresh). */
  async refreshForUser(chatId: string): Promise<Chat | undefined> {
    markPullRequestDue(this.ctx.db, chatId, this.ctx.now());
    await this.refresh(chatId, { lookUp: true });
    return getChat(this.ctx.db, chatId);
  }

  private emit(chatId: string): void {
    const chat = getChat(this.ctx.db, chatId);
    if (chat) this.ctx.events.watch('diff_status_change', chat);
  }
}
