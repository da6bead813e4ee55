// The GitHub token for pull request lookups comes from VS Code's own GitHub sign-in, asked for silently: a
// session the user already granted (to the GitHub Pull Requests extension, Settings Sync, Copilot) is used,
// and nothing ever prompts. Without one the server falls back to GH_TOKEN / GITHUB_TOKEN, then `gh auth token`.
import * as vscode from 'vscode';
import { SetGitHubToken } from '../server/protocol/methods';
import type { AgentsContext } from './context';
import { readConfig } from './config';

/** Scope sets other extensions ask for; getSession matches a session by its scopes, so each is tried. */
const SCOPE_SETS = [['repo'], ['read:user', 'user:email', 'repo'], ['repo', 'workflow'], ['user:email'], ['read:user']];

async function silentSession(providerId: string): Promise<vscode.AuthenticationSession | undefined> {
  for (const scopes of SCOPE_SETS) {
    try {
      const session = await vscode.authentication.getSession(providerId, scopes, { silent: true });
      if (session) return session;
    } catch {
      // The provider is not there (no GitHub Enterprise configured): no session.
      return undefined;
    }
  }
  return undefined;
}

/** Hands the server the token of each host (github.com, the Enterprise server), or null when signed out. */
export async function handOverGitHubSessions(ctx: AgentsContext): Promise<void> {
  if (!ctx.server.started) return;
  const targets: Array<{ provider: string; host: string }> = [{ provider: 'github', host: 'github.com' }];
  const enterprise = readConfig().github.enterpriseUrl;
  if (enterprise) targets.push({ provider: 'github-enterprise', host: new URL(enterprise).host });
  for (const t of targets) {
    const session = await silentSession(t.provider);
    await ctx.request(SetGitHubToken, { host: t.host, token: session?.accessToken ?? null })
      .catch((err: unknown) => ctx.log.appendLine(`GitHub session not handed over for ${t.host}: ${(err as Error).message}`));
    ctx.log.appendLine(`GitHub pull request lookups on ${t.host}: ${session ? `VS Code's session of ${session.account.label}` : 'no VS Code session (GH_TOKEN, GITHUB_TOKEN or gh auth token if set)'}`);
  }
}

export function registerGitHubSessions(ctx: AgentsContext): vscode.Disposable[] {
  return [
    vscode.authentication.onDidChangeSessions((e) => {
      if (e.provider.id === 'github' || e.provider.id === 'github-enterprise') void handOverGitHubSessions(ctx);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('localAgents.github.enterpriseUrl')) void handOverGitHubSessions(ctx);
    }),
  ];
}
