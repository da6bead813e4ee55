// Where a GitHub token comes from, in order: the VS Code GitHub session the extension hands over (asked for
// silently, never a prompt), GH_TOKEN / GITHUB_TOKEN (GH_ENTERPRISE_TOKEN / GITHUB_ENTERPRISE_TOKEN for an
// Enterprise host, as the gh CLI reads them), then `gh auth token`. Tokens stay in this process's memory.
import { execFile } from 'node:child_process';
import { GITHUB_COM } from './github';

export type TokenSource = 'vscode' | 'env' | 'gh';

const GH_CACHE_MS = 10 * 60_000;
const GH_TIMEOUT_MS = 5_000;

function ghAuthToken(host: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('gh', ['auth', 'token', '--hostname', host.replace(/:\d+$/, '')], { timeout: GH_TIMEOUT_MS, env: { ...process.env, GH_PROMPT_DISABLED: '1' } },
      (err, stdout) => resolve(err ? undefined : stdout.trim() || undefined));
  });
}

export class GitHubTokens {
  private readonly fromClient = new Map<string, string>();
  private readonly ghCache = new Map<string, { token: string | undefined; at: number }>();

  constructor(private readonly env: NodeJS.ProcessEnv = process.env, private readonly gh = ghAuthToken) {}

  /** The client's session token for a host; null forgets it (signed out). */
  setClientToken(host: string, token: string | null): void {
    if (token) this.fromClient.set(host.toLowerCase(), token);
    else this.fromClient.delete(host.toLowerCase());
  }

  clientToken(host: string): string | undefined {
    return this.fromClient.get(host.toLowerCase());
  }

  async tokenFor(host: string, now: number): Promise<{ token: string; source: TokenSource } | undefined> {
    const h = host.toLowerCase();
    const client = this.fromClient.get(h);
    if (client) return { token: client, source: 'vscode' };
    const env = h === GITHUB_COM
      ? this.env.GH_TOKEN || this.env.GITHUB_TOKEN
      : this.env.GH_ENTERPRISE_TOKEN || this.env.GITHUB_ENTERPRISE_TOKEN;
    if (env) return { token: env, source: 'env' };
    const cached = this.ghCache.get(h);
    if (cached && now - cached.at < GH_CACHE_MS) return cached.token ? { token: cached.token, source: 'gh' } : undefined;
    const token = await this.gh(h);
    this.ghCache.set(h, { token, at: now });
    return token ? { token, source: 'gh' } : undefined;
  }
}
