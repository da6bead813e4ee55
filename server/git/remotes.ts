// Remote URLs as the diff status stores them (never with credentials) and as GitHub repositories.

/**
 * The URL without a user name or password: `https://x-access-token:ghp_…@github.com/o/r.git` is stored and
 * shown as `https://github.com/o/r.git`. scp-like addresses (`git@github.com:o/r.git`) carry no secret.
 */
export function sanitizeRemoteUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  const trimmed = url.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    try {
      const u = new URL(trimmed);
      if (u.username || u.password) {
        // ssh's `git@` user names the account type, not a secret; anything else (tokens) goes.
        const keepUser = u.protocol === 'ssh:' && u.username === 'git' && !u.password;
        u.password = '';
        if (!keepUser) u.username = '';
      }
      return u.toString();
    } catch {
      return trimmed.replace(/\/\/[^/@]*@/, '//');
    }
  }
  return trimmed;
}

export interface GitHubRepo {
  /** The entry of `hosts` the remote is on (lower case): the web host an API base and a token are kept for. */
  host: string;
  owner: string;
  repo: string;
}

/** `owner/repo` of a remote on one of `hosts` (github.com, an Enterprise host), else undefined. */
export function parseGitHubRemote(url: string | null | undefined, hosts: readonly string[]): GitHubRepo | undefined {
  if (!url) return undefined;
  let host: string;
  let pathPart: string;
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.+)$/.exec(url);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    let u: URL;
    try { u = new URL(url); } catch { return undefined; }
    host = u.host.toLowerCase();
    pathPart = decodeURIComponent(u.pathname);
  } else if (scp) {
    host = scp[1].toLowerCase();
    pathPart = scp[2];
  } else {
    return undefined;
  }
  // ssh on its own port (ssh://git@host:2222/o/r) or scp form (git@host:o/r) still names the web host, whose
  // address may carry another port (an Enterprise server on https://host:8443).
  const bare = (h: string) => h.replace(/:\d+$/, '');
  const web = hosts.find((h) => h === host) ?? hosts.find((h) => bare(h) === bare(host));
  if (!web) return undefined;
  const parts = pathPart.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/, '').split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { host: web, owner: parts[0], repo: parts[1] };
}
