// A real HTTP server answering the one GitHub (Enterprise) API call the diff status makes:
// GET /api/v3/repos/{owner}/{repo}/pulls?head={owner}:{branch}&state=all…, with the pull requests a test
// scripted per repository and head, newest first. A 200 carries an ETag and a matching If-None-Match gets a
// 304; `rateLimit` answers 403 with x-ratelimit-remaining 0 and the reset time; an unknown repository is a 404.
// Every request is recorded (path, query, headers incl. authorization) for the test to assert on.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FakePull {
  number: number;
  title: string;
  state: 'open' | 'closed';
  draft?: boolean;
  /** Set: merged (GitHub's state stays `closed`). */
  merged_at?: string | null;
  /** The branch name (head.ref). */
  head: string;
  base: string;
  user?: string;
}

export interface GitHubRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** What the fake answered. */
  status: number;
}

export interface FakeGitHub {
  /** The Enterprise server's web address: http://127.0.0.1:PORT */
  url: string;
  /** 127.0.0.1:PORT, as remotes name it. */
  host: string;
  requests: GitHubRequest[];
  /** Requests for one repository's pull request list. */
  pullRequests(owner: string, repo: string): GitHubRequest[];
  /** A known repository without pull requests (a head without any gets []). */
  addRepo(owner: string, repo: string): void;
  /** The pull requests of `headOwner:branch` in owner/repo (adds the repository). */
  setPulls(owner: string, repo: string, head: string, pulls: FakePull[]): void;
  /** Changes one pull request wherever it is listed. */
  updatePull(owner: string, repo: string, num: number, patch: Partial<FakePull>): void;
  /** Every request gets 403 with x-ratelimit-remaining 0 and this reset (Unix seconds) until set to null. */
  rateLimit(resetSeconds: number | null): void;
  close(): Promise<void>;
}

const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
};

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const requests: GitHubRequest[] = [];
  /** "owner/repo" -> head ("owner:branch") -> pull requests. */
  const repos = new Map<string, Map<string, FakePull[]>>();
  let rateLimitReset: number | null = null;
  const sockets = new Set<Socket>();
  let url = '';

  const wire = (owner: string, repo: string, p: FakePull) => ({
    number: p.number, html_url: `${url}/${owner}/${repo}/pull/${p.number}`, state: p.state, title: p.title, draft: p.draft ?? false,
    merged_at: p.merged_at ?? null, user: { login: p.user ?? 'octocat' },
    head: { ref: p.head, label: p.head }, base: { ref: p.base, label: p.base },
  });

  function answer(req: http.IncomingMessage, res: http.ServerResponse, q: URL): number {
    if (rateLimitReset !== null) {
      json(res, 403, { message: 'API rate limit exceeded for 127.0.0.1.' }, { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(rateLimitReset) });
      return 403;
    }
    const m = /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/pulls$/.exec(q.pathname);
    const key = m && `${decodeURIComponent(m[1])}/${decodeURIComponent(m[2])}`;
    const heads = key ? repos.get(key) : undefined;
    if (req.method !== 'GET' || !m || !heads) {
      json(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
      return 404;
    }
    const head = q.searchParams.get('head') ?? '';
    const state = q.searchParams.get('state') ?? 'open';
    const pulls = (heads.get(head) ?? [])
      .filter((p) => state === 'all' || p.state === state)
      .sort((a, b) => (q.searchParams.get('direction') === 'asc' ? a.number - b.number : b.number - a.number))
      .slice(0, Number(q.searchParams.get('per_page') ?? 30))
      .map((p) => wire(decodeURIComponent(m[1]), decodeURIComponent(m[2]), p));
    const body = JSON.stringify(pulls);
    const etag = `W/"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
    const limits = { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999' };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag, ...limits });
      res.end();
      return 304;
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', etag, ...limits });
    res.end(body);
    return 200;
  }

  const server = http.createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://fake');
    const status = answer(req, res, q);
    requests.push({ method: req.method ?? 'GET', path: q.pathname, query: Object.fromEntries(q.searchParams), headers: req.headers, status });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;

  const repoHeads = (owner: string, repo: string) => {
    const key = `${owner}/${repo}`;
    if (!repos.has(key)) repos.set(key, new Map());
    return repos.get(key)!;
  };
  return {
    url,
    host: `127.0.0.1:${port}`,
    requests,
    pullRequests: (owner, repo) => requests.filter((r) => r.path === `/api/v3/repos/${owner}/${repo}/pulls`),
    addRepo: (owner, repo) => { repoHeads(owner, repo); },
    setPulls: (owner, repo, head, pulls) => { repoHeads(owner, repo).set(head, pulls.map((p) => ({ ...p }))); },
    updatePull(owner, repo, num, patch) {
      for (const pulls of repoHeads(owner, repo).values()) for (const p of pulls) if (p.number === num) Object.assign(p, patch);
    },
    rateLimit: (reset) => { rateLimitReset = reset; },
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
