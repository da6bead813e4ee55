// The server's settings as clients see and change them. The extension hands over VS Code's values here
// (headless runs read settingsFile.ts instead); rules are checked when they arrive and reported by place.
import type { z } from 'zod';
import type { AppContext, ServerSettings } from '../context';
import { DEFAULT_PLAN_DIR } from '../modes/plan';
import { defaultPermissionSettings } from '../permissions/settings';
import { defaultCommandEnvSettings } from '../tools/commandEnv';
import { resolveComputerUseModel, resolveExploreModel } from '../agent/agentHost';
import { compiledPermissions } from '../permissions/settings';
import type { ServerSettingsInfo, UpdateSettingsParams } from '../protocol/requests';
import { makeAllPullRequestsDue } from '../store/diffStatuses';

export function settingsInfo(ctx: AppContext): ServerSettingsInfo {
  const s = ctx.settings;
  let status = 'unset';
  if (s.exploreModel !== null) {
    try {
      status = resolveExploreModel(ctx, null).overrideProblem ?? 'ok';
    } catch (err) {
      status = (err as Error).message;
    }
  }
  const compiled = compiledPermissions(s.permissions);
  return {
    explore_model: s.exploreModel,
    explore_model_status: status,
    plan_directory: s.planDirectory,
    computer_use: { model: s.computerUseModel, model_status: computerUseStatus(ctx), browser: s.computerUse.browser, headless: s.computerUse.headless },
    permissions: { default_mode: s.permissions.defaultMode, rules: compiled.listed, errors: compiled.errors },
    command_env: { pass_through: s.commandEnv.passThrough, drop: s.commandEnv.drop },
    dynamic_tool_timeout_seconds: s.dynamicToolTimeoutSeconds,
    spend_limits: { daily_usd: dollars(s.spendLimits.dailyMicros), monthly_usd: dollars(s.spendLimits.monthlyMicros) },
    github: { enterprise_url: s.github.enterpriseUrl, pull_requests: s.github.pullRequests, poll_seconds: s.github.pollSeconds },
  };
}

function computerUseStatus(ctx: AppContext): string {
  if (ctx.settings.computerUseModel === null) return 'unset';
  try {
    return resolveComputerUseModel(ctx, null).overrideProblem ?? 'ok';
  } catch (err) {
    return (err as Error).message;
  }
}

/** Replaces what is given; the settings object is swapped, never changed in place (compiled rules are cached by it). */
export function updateSettings(ctx: AppContext, p: z.output<typeof UpdateSettingsParams>): ServerSettingsInfo {
  const before = ctx.settings.github;
  ctx.settings = mergeSettings(ctx.settings, p);
  const after = ctx.settings.github;
  // Lookups turned on, or another Enterprise server: every branch's pull request is due again.
  if (after.pullRequests && (!before.pullRequests || before.enterpriseUrl !== after.enterpriseUrl)) makeAllPullRequestsDue(ctx.db, ctx.now());
  return settingsInfo(ctx);
}

/** The settings with the given values in place of the old ones. */
export function mergeSettings(s: ServerSettings, p: z.output<typeof UpdateSettingsParams>): ServerSettings {
  const perm = p.permissions;
  return {
    ...s,
    exploreModel: p.explore_model !== undefined ? p.explore_model : s.exploreModel,
    planDirectory: p.plan_directory ?? s.planDirectory,
    computerUseModel: p.computer_use?.model !== undefined ? p.computer_use.model : s.computerUseModel,
    computerUse: p.computer_use ? {
      browser: p.computer_use.browser !== undefined ? p.computer_use.browser || null : s.computerUse.browser,
      headless: p.computer_use.headless ?? s.computerUse.headless,
    } : s.computerUse,
    permissions: perm ? {
      allow: perm.allow !== undefined ? perm.allow : s.permissions.allow,
      ask: perm.ask !== undefined ? perm.ask : s.permissions.ask,
      deny: perm.deny ?? s.permissions.deny,
      defaultMode: perm.default_mode ?? s.permissions.defaultMode,
      workspaceAsk: perm.workspace_ask ?? s.permissions.workspaceAsk,
      workspaceDeny: perm.workspace_deny ?? s.permissions.workspaceDeny,
    } : s.permissions,
    commandEnv: p.command_env ? {
      passThrough: p.command_env.pass_through ?? s.commandEnv.passThrough,
      drop: p.command_env.drop ?? s.commandEnv.drop,
    } : s.commandEnv,
    dynamicToolTimeoutSeconds: p.dynamic_tool_timeout_seconds ?? s.dynamicToolTimeoutSeconds,
    spendLimits: p.spend_limits ? {
      dailyMicros: p.spend_limits.daily_usd !== undefined ? micros(p.spend_limits.daily_usd) : s.spendLimits.dailyMicros,
      monthlyMicros: p.spend_limits.monthly_usd !== undefined ? micros(p.spend_limits.monthly_usd) : s.spendLimits.monthlyMicros,
    } : s.spendLimits,
    github: p.github ? {
      enterpriseUrl: p.github.enterprise_url !== undefined ? p.github.enterprise_url : s.github.enterpriseUrl,
      pullRequests: p.github.pull_requests ?? s.github.pullRequests,
      pollSeconds: p.github.poll_seconds ?? s.github.pollSeconds,
    } : s.github,
  };
}

export const defaultServerSettings = (): ServerSettings => ({
  exploreModel: null, computerUseModel: null, computerUse: { browser: null, headless: true }, planDirectory: DEFAULT_PLAN_DIR, permissions: defaultPermissionSettings(), commandEnv: defaultCommandEnvSettings(), dynamicToolTimeoutSeconds: DEFAULT_DYNAMIC_TOOL_TIMEOUT_SECONDS,
  spendLimits: { dailyMicros: null, monthlyMicros: null },
  github: defaultGitHubSettings(),
});

export const DEFAULT_GITHUB_POLL_SECONDS = 60;
export const defaultGitHubSettings = (): ServerSettings['github'] => ({ enterpriseUrl: null, pullRequests: true, pollSeconds: DEFAULT_GITHUB_POLL_SECONDS });

/** A limit in dollars as micro-dollars; 0 or null: no limit. */
export const micros = (usd: number | null | undefined): number | null => (usd ? Math.round(usd * 1_000_000) : null);
const dollars = (m: number | null): number | null => (m === null ? null : m / 1_000_000);

/** The seed's deadline for a client's tool result: five minutes. */
export const DEFAULT_DYNAMIC_TOOL_TIMEOUT_SECONDS = 300;
