// What a command changed in a git workspace: the dirty and untracked files are read before it runs (within a
// size cap), and compared after it ends with the files dirty then. A file that was clean before has its
// committed content (HEAD) as the "before", so clean files need no copy.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { git } from '../git/gitCommand';
import { readForCheckpoint, type CheckpointRecorder } from './recorder';

/** More dirty files than this: the command is not snapshotted (a build output folder not in .gitignore, say). */
export const MAX_SNAPSHOT_FILES = 500;

export interface GitSnapshot { root: string; files: Map<string, Buffer | null | 'too-large'> }

/** Paths (relative to the root) that `git status` lists: modified, added, deleted, untracked, both sides of a rename. */
async function dirtyPaths(root: string): Promise<string[]> {
  const out = String(await git(root, ['status', '--porcelain=v1', '-z', '--untracked-files=all']));
  const fields = out.split('\0');
  const paths: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (f.length < 4) continue;
    paths.push(f.slice(3));
    if (f[0] === 'R' || f[0] === 'C') paths.push(fields[++i]);
  }
  return paths;
}

export async function takeGitSnapshot(cwd: string): Promise<GitSnapshot | undefined> {
  try {
    const root = realpathSync(String(await git(cwd, ['rev-parse', '--show-toplevel'])).trim());
    const paths = await dirtyPaths(root);
    if (paths.length > MAX_SNAPSHOT_FILES) return undefined;
    return { root, files: new Map(paths.map((p) => [p, readForCheckpoint(path.join(root, p))])) };
  } catch {
    return undefined; // not a git workspace, or no git: write_file and edit_files are still checkpointed
  }
}

async function headContent(root: string, rel: string): Promise<Buffer | null> {
  try {
    return await git(root, ['show', `HEAD:${rel}`], 'buffer') as Buffer;
  } catch {
    return null;
  }
}

/** Records every file whose content differs from the snapshot (or from HEAD, for files clean before). */
export async function recordGitChanges(snapshot: GitSnapshot, recorder: CheckpointRecorder): Promise<number> {
  let now: string[];
  try {
    now = await dirtyPaths(snapshot.root);
  } catch {
    return 0;
  }
  if (now.length > MAX_SNAPSHOT_FILES) return 0;
  let n = 0;
  for (const rel of new Set([...snapshot.files.keys(), ...now])) {
    const before = snapshot.files.has(rel) ? snapshot.files.get(rel)! : await headContent(snapshot.root, rel);
    const after = readForCheckpoint(path.join(snapshot.root, rel));
    if (before !== 'too-large' && after !== 'too-large' && (before === null ? after === null : after !== null && before.equals(after))) continue;
    recorder.record(path.join(snapshot.root, rel), before, after, 'execute');
    n++;
  }
  return n;
}

/**
 * Background commands still running when their chat's turn ends: their changes so far are recorded then,
 * and again (from a fresh snapshot) when they exit, so nothing is counted twice.
 */
const running = new Map<string, Set<BackgroundCompare>>();

export class BackgroundCompare {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly chatId: string, private snapshot: GitSnapshot, private readonly recorder: CheckpointRecorder) {
    let set = running.get(chatId);
    if (!set) running.set(chatId, (set = new Set()));
    set.add(this);
  }

  /** Records what changed since the last comparison; `final` when the command has exited. */
  compare(final: boolean): Promise<unknown> {
    this.chain = this.chain.then(async () => {
      await recordGitChanges(this.snapshot, this.recorder);
      if (final) {
        running.get(this.chatId)?.delete(this);
        return;
      }
      this.snapshot = (await takeGitSnapshot(this.snapshot.root)) ?? this.snapshot;
    }).catch(() => undefined);
    return this.chain;
  }
}

/** At the end of a turn: what the chat's background commands changed so far. */
export async function compareAtTurnEnd(chatId: string): Promise<void> {
  await Promise.all([...(running.get(chatId) ?? [])].map((c) => c.compare(false)));
}
