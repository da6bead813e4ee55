// Runs git for the server's own reads (checkpoints, diff status). A repository's own config can name programs
// git would start (an fsmonitor hook, an external diff, a textconv filter, a clean filter): those are turned off
// here, and git never takes the index lock for a read, so the user's git in the same checkout is never blocked by ours.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const GIT_TIMEOUT_MS = 10_000;
const READ_ONLY = ['-c', 'core.fsmonitor=false', '-c', 'core.quotepath=off', '-c', 'diff.external=', '-c', 'color.ui=false'];
const ENV = { GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
/** Commands that never read a working-tree file through a filter, so they need no filter lookup first. */
const NO_FILTERS = new Set(['config', 'rev-parse', 'symbolic-ref', 'remote', 'merge-base', 'for-each-ref', 'ls-files']);

/**
 * `-c` overrides that turn off every filter driver the repository's own config (local or worktree scope) defines:
 * `git diff` and `git status` run a driver's clean command on each changed file a `.gitattributes` assigns it to.
 * Drivers from the user's global or system config (git-lfs) stay on: only the checkout's own config is untrusted.
 */
async function repoFilterOverrides(cwd: string): Promise<string[]> {
  let out: string;
  try {
    ({ stdout: out } = await run('git', ['-C', cwd, 'config', '-z', '--show-scope', '--get-regexp', '^filter\\.'], {
      timeout: GIT_TIMEOUT_MS, encoding: 'utf8', env: { ...process.env, ...ENV },
    }));
  } catch (err) {
    // Exit 1: no filter configured. Anything else (a git without --show-scope) must not run filters unchecked.
    if ((err as { code?: unknown }).code === 1) return [];
    throw err;
  }
  const names = new Set<string>();
  const fields = out.split('\0');
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const scope = fields[i];
    const key = fields[i + 1].split('\n', 1)[0];
    if (scope !== 'local' && scope !== 'worktree') continue;
    const dot = key.lastIndexOf('.');
    if (dot > 'filter.'.length) names.add(key.slice('filter.'.length, dot));
  }
  const args: string[] = [];
  for (const name of names) {
    // `-c` splits at the first `=`: such a driver could not be turned off, so git is not run at all.
    if (name.includes('=')) throw new Error(`the repository configures a filter driver git cannot override (${JSON.stringify(name)})`);
    for (const v of ['clean=', 'smudge=', 'process=', 'required=false']) args.push('-c', `filter.${name}.${v}`);
  }
  return args;
}

/**
 * The overrides for one read, so a caller can read them ahead, in parallel with its other reads. Never kept
 * longer: a filter the agent adds to .git/config must be turned off by the very next read.
 */
export const filterOverrides = repoFilterOverrides;

/** `filters`: overrides read ahead for this call (filterOverrides); otherwise they are read first. */
export async function git(cwd: string, args: string[], encoding: 'utf8' | 'buffer' = 'utf8', filters?: Promise<string[]>): Promise<string | Buffer> {
  const overrides = NO_FILTERS.has(args[0]) ? [] : await (filters ?? repoFilterOverrides(cwd));
  const { stdout } = await run('git', ['-C', cwd, ...READ_ONLY, ...overrides, ...args], {
    timeout: GIT_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, encoding,
    env: { ...process.env, ...ENV },
  });
  return stdout;
}

/** Text output, or undefined when git fails (not a repository, an unknown ref). */
export async function gitText(cwd: string, args: string[], filters?: Promise<string[]>): Promise<string | undefined> {
  try {
    return String(await git(cwd, args, 'utf8', filters));
  } catch {
    return undefined;
  }
}
