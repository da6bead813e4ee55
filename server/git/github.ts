// The pull request of a branch on GitHub (or GitHub Enterprise): one list request with the branch as `head`,
// conditional on the last ETag (a 304 costs no rate limit), read as the seed reads it: state, title, draft,
// head and base branch. Failures are words for the user plus when to ask again (rate limits say when).
import type { PullRequestFields, PullRequestOutcome } from '../store/diffStatuses';
import type { GitHubRepo } from './remotes';

export const GITHUB_COM = 'github.com';

/** The web hosts whose remotes are GitHub repositories, and the API base of each. */
export interface GitHubHosts { apiBaseFor(host: string): string | undefined; hosts: string[] }

/** github.com, plus an Enterprise server at `enterpriseUrl` (its API under /api/v3). */
export function gitHubHosts(enterpriseUrl: string | null): GitHubHosts {
  const apis = new Map<string, string>([[GITHUB_COM, 'https://api.github.com']]);
  if (enterpriseUrl) {
    const u = new URL(enterpriseUrl);
    apis.set(u.host.toLowerCase(), `${u.origin}/api/v3`);
  }
  return {
    hosts: [...apis.keys()],
    apiBaseFor: (host) => apis.get(host) ?? apis.get(host.replace(/:\d+$/, '')),
  };
}

export interface PullRequestQuery {
  apiBase: string;
  /** The repository whose pull requests are listed: `upstream` in a fork, else `origin`. */
  repo: GitHubRepo;
  /** The owner of the branch (the fork's owner) and its name. */
  headOwner: string;
  branch: string;
}

export const queryKey = (q: PullRequestQuery): string => `${q.apiBase} ${q.repo.owner}/${q.repo.repo} ${q.headOwner}:${q.branch}`;

export interface LookupResult {
  outcome: PullRequestOutcome;
  /** Set when GitHub said when to come back (a rate limit's reset, Retry-After). */
  retryAt?: number;
}

interface GitHubPull {
  number: number;
  html_url: string;
  state: 'open' | 'closed';
  title: string;
  draft?: boolean;
  merged_at: string | null;
  user?: { login?: string } | null;
  head: { ref: string };
  base: { ref: string };
}

function toFields(p: GitHubPull): PullRequestFields {
  return {
    url: p.html_url,
    pr_number: p.number,
    pull_request_state: p.merged_at ? 'merged' : p.state,
    pull_request_title: p.title,
    pull_request_draft: p.draft === true,
    head_branch: p.head.ref,
    base_branch: p.base.ref,
    author_login: p.user?.login ?? null,
  };
}

const LOOKUP_TIMEOUT_MS = 15_000;

export async function lookUpPullRequest(q: PullRequestQuery, token: string | undefined, etag: string | null, now: number): Promise<LookupResult> {
  const url = `${q.apiBase}/repos/${encodeURIComponent(q.repo.owner)}/${encodeURIComponent(q.repo.repo)}/pulls`
    + `?head=${encodeURIComponent(`${q.headOwner}:${q.branch}`)}&state=all&sort=created&direction=desc&per_page=5`;
  const headers: Record<string, string> = {
    Accept: 'application/vnd.github+json',
    'X-GitHub-Api-Version': '2022-11-28',
    'User-Agent': 'local-agents',
  };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (etag) headers['If-None-Match'] = etag;
  let res: Response;
  try {
    res = await fetch(url, { headers, signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS), redirect: 'follow' });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { outcome: { kind: 'failed', error: `GitHub did not answer (${cause ?? (err as Error).name}).` } };
  }
  const repoName = `${q.repo.owner}/${q.repo.repo}`;
  if (res.status === 304) return { outcome: { kind: 'unchanged' } };
  if (res.ok) {
    let pulls: GitHubPull[];
    try {
      pulls = await res.json() as GitHubPull[];
    } catch {
      return { outcome: { kind: 'failed', error: 'GitHub sent a pull request list that is not JSON.' } };
    }
    if (!Array.isArray(pulls)) return { outcome: { kind: 'failed', error: 'GitHub sent something other than a pull request list.' } };
    // Newest first: a branch reused after a merged pull request shows the newest one.
    return { outcome: { kind: 'found', pr: pulls[0] ? toFields(pulls[0]) : null, etag: res.headers.get('etag') } };
  }
  await res.body?.cancel();
  const remaining = res.headers.get('x-ratelimit-remaining');
  const reset = Number(res.headers.get('x-ratelimit-reset'));
  const retryAfter = Number(res.headers.get('retry-after'));
  if ((res.status === 403 || res.status === 429) && (remaining === '0' || retryAfter > 0)) {
    const retryAt = retryAfter > 0 ? now + retryAfter * 1000 : reset > 0 ? reset * 1000 : now + 60 * 60_000;
    return {
      outcome: { kind: 'failed', error: `GitHub rate limit reached${token ? '' : ' (no token: 60 requests an hour)'}; next lookup at ${new Date(retryAt).toISOString()}.` },
      retryAt,
    };
  }
  if (res.status === 401) return { outcome: { kind: 'failed', error: 'GitHub refused the token (401): sign in to GitHub in VS Code again, or renew GH_TOKEN.' } };
  if (res.status === 404) {
    return { outcome: { kind: 'failed', error: `Repository ${repoName} was not found on GitHub${token ? '' : ' (private repositories need a GitHub sign-in or GH_TOKEN)'}.` } };
  }
  return { outcome: { kind: 'failed', error: `GitHub answered ${res.status} for ${repoName}.` } };
}
