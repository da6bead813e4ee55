// The diff status's cost (#13): reading a branch's changes from git after a turn, and one pull request lookup,
// each next to its physical limit in the same run: one bare `git diff --numstat` against the same merge base
// (the least git can do to count the changes), and a bare fetch of the same fake GitHub endpoint.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFakeGitHub } from '../test/fakes/fakeGitHub';
import { branchDiff } from '../server/git/diffStatus';
import { lookUpPullRequest, gitHubHosts } from '../server/git/github';
import { parseGitHubRemote } from '../server/git/remotes';
import { fmt, median, timeAsync, type Row } from './stats';

const TRACKED = 2_000;
const COMMITTED_CHANGES = 200;
const WORKING_CHANGES = 50;
const UNTRACKED = 20;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args], { cwd, encoding: 'utf8' });
}

/** A repository of TRACKED files; a feature branch with commits, working-tree edits and untracked files on top. */
function makeRepo(): string {
  const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'la-git-bench-')));
  git(root, 'init', '-q', '-b', 'main');
  for (let i = 0; i < TRACKED; i++) {
    const dir = path.join(root, 'src', `m${i % 40}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `f${i}.ts`), Array.from({ length: 40 }, (_, l) => `export const v${l} = ${i * l};`).join('\n') + '\n');
  }
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'base');
  git(root, 'remote', 'add', 'origin', 'https://github.com/octo/bench.git');
  git(root, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
  git(root, 'checkout', '-q', '-b', 'feature');
  for (let i = 0; i < COMMITTED_CHANGES; i++) appendFileSync(path.join(root, 'src', `m${i % 40}`, `f${i}.ts`), `export const added${i} = 1;\n`);
  git(root, 'commit', '-q', '-am', 'feature');
  for (let i = COMMITTED_CHANGES; i < COMMITTED_CHANGES + WORKING_CHANGES; i++) appendFileSync(path.join(root, 'src', `m${i % 40}`, `f${i}.ts`), `// edited\n`);
  for (let i = 0; i < UNTRACKED; i++) writeFileSync(path.join(root, `new${i}.md`), 'a\nb\nc\n');
  return root;
}

export async function runGitBench(): Promise<Row[]> {
  const root = makeRepo();
  const github = await startFakeGitHub();
  try {
    const mergeBase = git(root, 'merge-base', 'refs/remotes/origin/main', 'HEAD').trim();
    const runs = 15;
    const diff = await branchDiff(root);
    const expected = COMMITTED_CHANGES + WORKING_CHANGES + UNTRACKED;
    if (diff?.changed_files !== expected) throw new Error(`the bench repository shows ${diff?.changed_files} changed files, not ${expected}`);
    const ours = median(await timeAsync(runs, () => branchDiff(root)));
    const bare = median(await timeAsync(runs, async () => {
      execFileSync('git', ['-C', root, 'diff', '--numstat', '-z', mergeBase, '--'], { encoding: 'utf8' });
    }));
    const spawn = median(await timeAsync(runs, async () => { execFileSync('git', ['--version']); }));

    github.setPulls('octo', 'bench', 'octo:feature', [{ number: 7, title: 'Bench', state: 'open', head: 'feature', base: 'main' }]);
    const hosts = gitHubHosts(github.url);
    const repo = parseGitHubRemote(`${github.url}/octo/bench.git`, hosts.hosts);
    if (!repo) throw new Error('the fake GitHub remote was not recognised');
    const q = { apiBase: hosts.apiBaseFor(repo.host) as string, repo, headOwner: 'octo', branch: 'feature' };
    const first = await lookUpPullRequest(q, 'bench-token', null, Date.now());
    const etag = first.outcome.kind === 'found' ? first.outcome.etag : null;
    if (!etag) throw new Error('the fake GitHub sent no ETag');
    const lookup = median(await timeAsync(50, () => lookUpPullRequest(q, 'bench-token', etag, Date.now())));
    const url = `${q.apiBase}/repos/octo/bench/pulls?head=octo:feature&state=all&per_page=5`;
    const fetchMs = median(await timeAsync(50, async () => { await (await fetch(url, { headers: { 'If-None-Match': etag } })).arrayBuffer(); }));

    const ratio = ours / bare;
    return [
      {
        metric: `diff status: branch changes, ${TRACKED} files, ${expected} changed (git)`, value: fmt(ours),
        limit: `bare git diff --numstat ${fmt(bare)}; git --version ${fmt(spawn)}`, ratio: `${ratio.toFixed(2)}x`,
        // Once per turn end and per git change, never per token: a few git starts on top of the diff itself.
        goal: '≤ 300 ms, ≤ 4x', ok: ours <= 300 && ratio <= 4,
      },
      {
        metric: 'diff status: pull request lookup answered 304 (ETag)', value: fmt(lookup),
        limit: `bare fetch of the same URL ${fmt(fetchMs)}`, ratio: `${(lookup / fetchMs).toFixed(2)}x`, goal: '≤ 2x', ok: lookup / fetchMs <= 2,
      },
    ];
  } finally {
    await github.close();
    rmSync(root, { recursive: true, force: true });
  }
}
