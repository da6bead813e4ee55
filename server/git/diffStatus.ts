// A branch's changes as the diff status shows them: every file changed against the merge base with the base
// branch, with +/− line counts. On the checked-out branch the working tree counts too (staged, unstaged and
// untracked files), since that is what the agent just changed; another branch is read from its commits only.
import { openSync, readSync, closeSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { ChatDiffFile } from '../protocol';
import { sanitizeRemoteUrl } from './remotes';
import { filterOverrides, gitText } from './gitCommand';

/** Files kept in the stored list; the counts cover every file. */
export const MAX_LISTED_FILES = 300;
/** Untracked files whose lines are counted; more are listed with unknown counts (a build folder not ignored). */
const MAX_COUNTED_UNTRACKED = 200;
const MAX_COUNTED_BYTES = 1024 * 1024;
/** git's empty tree: the base of a repository without commits. */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

export interface BranchDiff {
  root: string;
  branch: string | null;
  /** The repository's `origin` (else its only remote) URL without credentials. */
  remote: string | null;
  /** `upstream`'s URL without credentials when the repository is a fork. */
  upstream: string | null;
  base_branch: string | null;
  files: ChatDiffFile[];
  changed_files: number;
  additions: number;
  deletions: number;
}

export interface DiffOptions {
  /** The branch to read; default: the checked-out one. */
  branch?: string | null;
  /** The base branch a pull request named (preferred over the remote's default branch). */
  baseHint?: string | null;
}

/** The checkout's root and branch (null when detached), or undefined when `folder` is not in a git repository. */
export async function currentBranch(folder: string): Promise<{ root: string; branch: string | null } | undefined> {
  const top = await gitText(folder, ['rev-parse', '--show-toplevel']);
  if (top === undefined) return undefined;
  let root = top.trim();
  try { root = realpathSync(root); } catch { /* the path git printed */ }
  const branch = (await gitText(root, ['symbolic-ref', '--quiet', '--short', 'HEAD']))?.trim() || null;
  return { root, branch };
}

async function refExists(root: string, ref: string): Promise<boolean> {
  return (await gitText(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])) !== undefined;
}

/** Every remote's URL in one call: `git config --get-regexp` lists `remote.NAME.url URL` lines. */
async function remoteUrls(cwd: string): Promise<Map<string, string>> {
  const out = (await gitText(cwd, ['config', '--get-regexp', '^remote\\..*\\.url$'])) ?? '';
  const urls = new Map<string, string>();
  for (const line of out.split('\n')) {
    const m = /^remote\.(.+)\.url (.+)$/.exec(line.trim());
    if (m && !urls.has(m[1])) urls.set(m[1], m[2]);
  }
  return urls;
}

/** The remote's default branch (its HEAD) when a clone or `git remote set-head` recorded one. */
async function remoteHead(cwd: string, remote: string | undefined): Promise<string | undefined> {
  if (!remote) return undefined;
  const head = (await gitText(cwd, ['symbolic-ref', '--quiet', `refs/remotes/${remote}/HEAD`]))?.trim();
  return head?.startsWith(`refs/remotes/${remote}/`) ? head.slice(`refs/remotes/${remote}/`.length) : undefined;
}

/**
 * The base branch as a ref and a name: the pull request's base, else the base remote's default branch (upstream
 * in a fork), else main, master, trunk or develop; on the remote first, then locally. One for-each-ref call.
 */
async function findBase(root: string, branch: string | null, hint: string | null | undefined, baseRemote: string | undefined, remoteDefault: string | undefined): Promise<{ ref: string; name: string } | undefined> {
  const candidates: Array<{ ref: string; name: string }> = [];
  for (const name of [hint, remoteDefault, 'main', 'master', 'trunk', 'develop']) {
    if (!name) continue;
    if (baseRemote) candidates.push({ ref: `refs/remotes/${baseRemote}/${name}`, name });
    // Working on the base branch itself: its remote counterpart is the base (unpushed commits), never itself.
    if (name !== branch) candidates.push({ ref: `refs/heads/${name}`, name });
  }
  const existing = new Set(((await gitText(root, ['for-each-ref', '--format=%(refname)', ...new Set(candidates.map((c) => c.ref))])) ?? '').split('\n'));
  return candidates.find((c) => existing.has(c.ref));
}

/**
 * `git diff --raw --numstat -z`: one pass over the changes giving each file's status (raw records,
 * `:modes shas STATUS\0path\0`) and its line counts (`added\tdeleted\tpath\0`, `-` for binary files).
 */
function parseRawNumstat(out: string): ChatDiffFile[] {
  const fields = out.split('\0');
  const status = new Map<string, ChatDiffFile['status']>();
  const files: ChatDiffFile[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (f.startsWith(':')) {
      const code = f.slice(f.lastIndexOf(' ') + 1)[0];
      status.set(fields[++i], code === 'A' ? 'added' : code === 'D' ? 'deleted' : 'modified');
      continue;
    }
    const m = /^(-|\d+)\t(-|\d+)\t(.+)$/s.exec(f);
    if (!m) continue;
    files.push({
      path: m[3], status: status.get(m[3]) ?? 'modified',
      additions: m[1] === '-' ? null : Number(m[1]), deletions: m[2] === '-' ? null : Number(m[2]),
    });
  }
  return files;
}

/** Lines of a new file, or null for a binary or a very large one. */
function countLines(file: string): number | null {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buf = Buffer.alloc(MAX_COUNTED_BYTES + 1);
    const n = readSync(fd, buf, 0, buf.length, 0);
    if (n > MAX_COUNTED_BYTES || buf.subarray(0, n).includes(0)) return null;
    if (n === 0) return 0;
    let lines = 0;
    for (let i = 0; i < n; i++) if (buf[i] === 10) lines++;
    return buf[n - 1] === 10 ? lines : lines + 1;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The branch's changes against the merge base with its base branch; undefined when the folder is not in git or the branch is gone. */
export async function branchDiff(folder: string, opts: DiffOptions = {}): Promise<BranchDiff | undefined> {
  // Outside git (most folders of most chats) one process answers; inside, the independent reads go at once:
  // each git start costs ~10 ms, more than most of them take.
  const top = await gitText(folder, ['rev-parse', '--show-toplevel']);
  if (top === undefined) return undefined;
  let root = top.trim();
  try { root = realpathSync(root); } catch { /* the path git printed */ }
  // The diff needs the repository's filter drivers turned off: read them now, beside the other reads (a failure
  // is the diff's, which then does not run).
  const filters = filterOverrides(root);
  filters.catch(() => undefined);
  const [headBranch, headCommit, urls, originHead, upstreamHead] = await Promise.all([
    gitText(folder, ['symbolic-ref', '--quiet', '--short', 'HEAD']),
    gitText(folder, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']),
    remoteUrls(folder),
    remoteHead(folder, 'origin'),
    remoteHead(folder, 'upstream'),
  ]);
  const current = headBranch?.trim() || null;
  const branch = opts.branch === undefined ? current : opts.branch;
  const checkedOut = branch === current;
  if (!checkedOut && (!branch || !(await refExists(root, `refs/heads/${branch}`)))) return undefined;
  const tip = checkedOut ? 'HEAD' : `refs/heads/${branch}`;
  const hasCommits = checkedOut ? headCommit !== undefined : true;
  const remotes = [...urls.keys()];
  const origin = remotes.includes('origin') ? 'origin' : remotes.length === 1 ? remotes[0] : undefined;
  const baseRemote = remotes.includes('upstream') ? 'upstream' : origin ?? remotes[0];
  const remoteDefault = baseRemote === 'upstream' ? upstreamHead : baseRemote === 'origin' ? originHead : await remoteHead(root, baseRemote);
  const base = hasCommits ? await findBase(root, branch, opts.baseHint, baseRemote, remoteDefault) : undefined;
  // Working tree against the merge base on the checked-out branch; commits only on another one. `--merge-base`
  // finds it in the same process; unrelated histories (no merge base) compare with the branch's tip instead.
  const diffArgs = ['diff', '--raw', '--numstat', '--no-ext-diff', '--no-textconv', '--no-renames', '-z'];
  const againstTip = [...diffArgs, hasCommits ? tip : EMPTY_TREE, ...(checkedOut ? [] : [tip]), '--'];
  const readChanges = async () => (base && hasCommits
    ? await gitText(root, [...diffArgs, '--merge-base', base.ref, ...(checkedOut ? [] : [tip]), '--'], filters) ?? await gitText(root, againstTip, filters)
    : await gitText(root, againstTip, filters));
  const [changes, untrackedOut] = await Promise.all([
    readChanges(),
    checkedOut ? gitText(root, ['ls-files', '-z', '--others', '--exclude-standard']) : Promise.resolve(''),
  ]);
  if (changes === undefined) return undefined;
  const files = parseRawNumstat(changes);
  (untrackedOut ?? '').split('\0').filter(Boolean).forEach((rel, i) => {
    const lines = i < MAX_COUNTED_UNTRACKED ? countLines(path.join(root, rel)) : null;
    files.push({ path: rel, status: 'untracked', additions: lines, deletions: lines === null ? null : 0 });
  });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    root,
    branch,
    remote: sanitizeRemoteUrl(origin ? urls.get(origin) : null),
    upstream: sanitizeRemoteUrl(urls.get('upstream')),
    base_branch: base?.name ?? null,
    files: files.slice(0, MAX_LISTED_FILES),
    changed_files: files.length,
    additions: files.reduce((n, f) => n + (f.additions ?? 0), 0),
    deletions: files.reduce((n, f) => n + (f.deletions ?? 0), 0),
  };
}
