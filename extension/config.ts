// Reads the extension's settings in one place.
import * as vscode from 'vscode';

export interface ExtensionConfig {
  nodePath: string;
  dataLocation: string;
  defaultModel: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  exploreModel: string;
  /** Computer-use subagents: model ('' = the turn's), browser ('' = found automatically), headless. */
  computerUse: { model: string; browser: string; headless: boolean };
  planDirectory: string;
  api: { enabled: boolean; port: number; dynamicToolTimeoutSeconds: number };
  /** Dollars per local day and month; 0: no limit. */
  spendLimits: { daily: number; monthly: number };
  /** Pull request lookups: GitHub Enterprise's web URL ('' for github.com only), on/off, seconds between lookups. */
  github: { enterpriseUrl: string; pullRequests: boolean; pollSeconds: number };
}

export function readConfig(): ExtensionConfig {
  const c = vscode.workspace.getConfiguration('localAgents');
  return {
    // Empty: the Node that comes with the extension (serverRuntime.ts).
    nodePath: c.get<string>('server.nodePath', '') ?? '',
    dataLocation: c.get<string>('dataLocation', ''),
    defaultModel: c.get<string>('defaultModel', ''),
    logLevel: c.get<ExtensionConfig['logLevel']>('logLevel', 'info'),
    exploreModel: c.get<string>('exploreModel', ''),
    // Application scope: a workspace cannot pick the executable the server launches.
    computerUse: { model: c.get<string>('computerUse.model', ''), browser: c.get<string>('computerUse.browser', ''), headless: c.get<boolean>('computerUse.headless', true) !== false },
    planDirectory: c.get<string>('planDirectory', '.agents/plans'),
    api: {
      // A workspace cannot turn the API on for itself: only the user's own value counts.
      enabled: c.inspect<boolean>('api.enabled')?.globalValue ?? false,
      port: clampInt(c.get<number>('api.port', 0), 0, 65535, 0),
      dynamicToolTimeoutSeconds: clampInt(c.get<number>('api.dynamicToolTimeoutSeconds', 300), 1, 86400, 300),
    },
    spendLimits: { daily: nonNegative(c.get<number>('usage.dailySpendLimit', 0)), monthly: nonNegative(c.get<number>('usage.monthlySpendLimit', 0)) },
    github: {
      enterpriseUrl: httpUrl(c.get<string>('github.enterpriseUrl', '')),
      pullRequests: c.get<boolean>('github.pullRequests', true) !== false,
      pollSeconds: clampInt(c.get<number>('github.pollSeconds', 60), 5, 86400, 60),
    },
  };
}

/** An Enterprise URL that is not an http(s) URL means github.com only rather than a refused settings hand-over. */
function httpUrl(v: unknown): string {
  if (typeof v !== 'string' || !v.trim()) return '';
  try {
    const u = new URL(v.trim());
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : '';
  } catch {
    return '';
  }
}

/** A wrong limit (a string, a negative number) means no limit rather than a failed start. */
function nonNegative(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0;
}

/** A wrong value in settings.json (a string, a fraction, out of range) falls back rather than failing the start. */
function clampInt(v: unknown, min: number, max: number, fallback: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : fallback;
}

/** The workspace identity chats are filed under: the .code-workspace file, else the first folder. */
export function currentWorkspace(): { workspace: string | null; folders: string[] } {
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  const file = vscode.workspace.workspaceFile?.scheme === 'file' ? vscode.workspace.workspaceFile.fsPath : undefined;
  return { workspace: file ?? folders[0] ?? null, folders };
}

export type PermissionModeSetting = 'default' | 'acceptEdits' | 'bypass';

export interface PermissionConfig {
  permissions: {
    allow: string[] | null; ask: string[] | null; deny: string[]; default_mode: PermissionModeSetting;
    workspace_ask: string[]; workspace_deny: string[];
  };
  command_env: { pass_through: string[]; drop: string[] };
  /** Workspace values of user-only settings, which are not used. */
  ignored: string[];
}

/**
 * The permission settings as the server takes them: allow, the default mode and pass-through from the user's
 * settings only (a cloned repository must not grant itself anything); ask, deny and drop from both.
 * `null`: the user has not set the list, so the built-in default applies.
 */
export function readPermissionConfig(): PermissionConfig {
  const c = vscode.workspace.getConfiguration('localAgents');
  const user = <T>(key: string): T | undefined => c.inspect<T>(key)?.globalValue;
  const inWorkspace = <T>(key: string): T[] => {
    const i = c.inspect<T[]>(key);
    return [...(i?.workspaceValue ?? []), ...(i?.workspaceFolderValue ?? [])];
  };
  const ignored = ['permissions.allow', 'permissions.defaultMode', 'commandEnv.passThrough']
    .filter((k) => { const i = c.inspect(k); return i?.workspaceValue !== undefined || i?.workspaceFolderValue !== undefined; })
    .map((k) => `localAgents.${k}`);
  return {
    permissions: {
      allow: user<string[]>('permissions.allow') ?? null,
      ask: user<string[]>('permissions.ask') ?? null,
      deny: user<string[]>('permissions.deny') ?? [],
      default_mode: user<PermissionModeSetting>('permissions.defaultMode') ?? 'default',
      workspace_ask: inWorkspace<string>('permissions.ask'),
      workspace_deny: inWorkspace<string>('permissions.deny'),
    },
    command_env: { pass_through: user<string[]>('commandEnv.passThrough') ?? [], drop: [...(user<string[]>('commandEnv.drop') ?? []), ...inWorkspace<string>('commandEnv.drop')] },
    ignored,
  };
}

/** "Always allow": the rules join the user's allow list (starting from the defaults when it was never set). */
export async function addUserAllowRules(rules: string[]): Promise<string[]> {
  const c = vscode.workspace.getConfiguration('localAgents');
  const i = c.inspect<string[]>('permissions.allow');
  const current = i?.globalValue ?? i?.defaultValue ?? [];
  const next = [...current, ...rules.filter((r) => !current.includes(r))];
  await c.update('permissions.allow', next, vscode.ConfigurationTarget.Global);
  return next;
}

/** Everything the server decides with, in the shape of localAgents/settings/update (and the server's init options). */
export function serverSettingsParams(): {
  explore_model: string | null; computer_use: { model: string | null; browser: string | null; headless: boolean }; plan_directory: string; dynamic_tool_timeout_seconds: number; spend_limits: { daily_usd: number | null; monthly_usd: number | null };
  github: { enterprise_url: string | null; pull_requests: boolean; poll_seconds: number };
} & Omit<PermissionConfig, 'ignored'> {
  const cfg = readConfig();
  const { permissions, command_env } = readPermissionConfig();
  return {
    explore_model: cfg.exploreModel || null,
    computer_use: { model: cfg.computerUse.model.trim() || null, browser: cfg.computerUse.browser.trim() || null, headless: cfg.computerUse.headless },
    plan_directory: cfg.planDirectory || '.agents/plans', permissions, command_env, dynamic_tool_timeout_seconds: cfg.api.dynamicToolTimeoutSeconds,
    spend_limits: { daily_usd: cfg.spendLimits.daily || null, monthly_usd: cfg.spendLimits.monthly || null },
    github: { enterprise_url: cfg.github.enterpriseUrl || null, pull_requests: cfg.github.pullRequests, poll_seconds: cfg.github.pollSeconds },
  };
}
