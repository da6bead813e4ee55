// A branch's changes as the diff status shows them: every file changed against the merge base with the base
// branch, with +/− line counts. On the checked-out branch the working tree counts too (staged, unstaged and
// untracked files), since that is what the agent just changed; another branch is read from its commits only.
import { openSync, readSync, closeSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { ChatDiffFile } from '../protocol';
import { sanitizeRemoteUrl } from './remotes';
import { gitText } from './gitCommand';

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

async function remoteUrl(root: string, name: string): Promise<string | null> {
  return (await gitText(root, ['config', '--get', `remote.${name}.url`]))?.trim() || null;
}

/** The remote the base branch lives on (upstream in a fork) and the base branch as a ref and a name. */
async function findBase(root: string, branch: string | null, hint: string | null | undefined, remotes: string[]): Promise<{ ref: string; name: string } | undefined> {
  const baseRemote = remotes.includes('upstream') ? 'upstream' : remotes.includes('origin') ? 'origin' : remotes[0];
  const candidates: Array<{ ref: string; name: string }> = [];
  const add = (name: string) => {
    if (baseRemote) candidates.push({ ref: `refs/remotes/${baseRemote}/${name}`, name });
    candidates.push({ ref: `refs/heads/${name}`, name });
  };
  if (hint) add(hint);
  if (baseRemote) {
    const head = (await gitText(root, ['symbolic-ref', '--quiet', `refs/remotes/${baseRemote}/HEAD`]))?.trim();
    if (head?.startsWith(`refs/remotes/${baseRemote}/`)) add(head.slice(`refs/remotes/${baseRemote}/`.length));
  }
  for (const name of ['main', 'master', 'trunk', 'develop']) add(name);
  for (const c of candidates) {
    // Working on the base branch itself: its remote counterpart is the base (unpushed commits), never itself.
    if (c.ref === `refs/heads/${branch}`) continue;
    if (await refExists(root, c.ref)) return c;
  }
  return undefined;
}

function parseNumstat(out: string): Map<string, { additions: number | null; deletions: number | null }> {
  const counts = new Map<string, { additions: number | null; deletions: number | null }>();
  for (const line of out.split('\0')) {
    const m = /^(-|\d+)\t(-|\d+)\t(.+)$/s.exec(line);
    if (!m) continue;
    counts.set(m[3], { additions: m[1] === '-' ? null : Number(m[1]), deletions: m[2] === '-' ? null : Number(m[2]) });
  }
  return counts;
}

function parseNameStatus(out: string): Array<{ path: string; status: ChatDiffFile['status'] }> {
  const fields = out.split('\0');
  const files: Array<{ path: string; status: ChatDiffFile['status'] }> = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const code = fields[i][0];
    if (!code) continue;
    const status = code === 'A' ? 'added' : code === 'D' ? 'deleted' : 'modified';
    files.push({ path: fields[i + 1], status });
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
  const head = await currentBranch(folder);
  if (!head) return undefined;
  const { root } = head;
  const branch = opts.branch === undefined ? head.branch : opts.branch;
  const checkedOut = branch === head.branch;
  if (!checkedOut && (!branch || !(await refExists(root, `refs/heads/${branch}`)))) return undefined;
  const tip = checkedOut ? 'HEAD' : `refs/heads/${branch}`;
  const hasCommits = await refExists(root, tip);
  const remotes = ((await gitText(root, ['remote'])) ?? '').split('\n').map((r) => r.trim()).filter(Boolean);
  const origin = remotes.includes('origin') ? 'origin' : remotes.length === 1 ? remotes[0] : undefined;
  const base = hasCommits ? await findBase(root, branch, opts.baseHint, remotes) : undefined;
  let from = hasCommits ? 'HEAD' : EMPTY_TREE;
  if (base && hasCommits) from = (await gitText(root, ['merge-base', base.ref, tip]))?.trim() || tip;
  else if (hasCommits) from = tip;
  // Working tree against the merge base on the checked-out branch; commits only on another one.
  const range = checkedOut ? [from] : [from, tip];
  const common = ['--no-ext-diff', '--no-textconv', '--no-renames', '-z'];
  const [numstat, nameStatus] = await Promise.all([
    gitText(root, ['diff', '--numstat', ...common, ...range, '--']),
    gitText(root, ['diff', '--name-status', ...common, ...range, '--']),
  ]);
  if (numstat === undefined || nameStatus === undefined) return undefined;
  const counts = parseNumstat(numstat);
  const files: ChatDiffFile[] = parseNameStatus(nameStatus).map((f) => ({ ...f, ...(counts.get(f.path) ?? { additions: null, deletions: null }) }));
  if (checkedOut) {
    const untracked = ((await gitText(root, ['ls-files', '-z', '--others', '--exclude-standard'])) ?? '').split('\0').filter(Boolean);
    untracked.forEach((rel, i) => {
      const lines = i < MAX_COUNTED_UNTRACKED ? countLines(path.join(root, rel)) : null;
      files.push({ path: rel, status: 'untracked', additions: lines, deletions: lines === null ? null : 0 });
    });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const upstream = remotes.includes('upstream') ? await remoteUrl(root, 'upstream') : null;
  return {
    root,
    branch,
    remote: origin ? sanitizeRemoteUrl(await remoteUrl(root, origin)) : null,
    upstream: sanitizeRemoteUrl(upstream),
    base_branch: base?.name ?? null,
    files: files.slice(0, MAX_LISTED_FILES),
    changed_files: files.length,
    additions: files.reduce((n, f) => n + (f.additions ?? 0), 0),
    deletions: files.reduce((n, f) => n + (f.deletions ?? 0), 0),
  };
}
