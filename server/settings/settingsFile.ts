// Headless runs (`local-agents chat`, `serve`) read the settings VS Code would hand over from
// `<data dir>/settings.json`, with the same keys as VS Code's settings. The workspace's own
// `.vscode/settings.json` may add `ask` and `deny` rules there too, never `allow`. Secrets never go in
// these files: headless runs take them from environment variables the configuration names.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ServerSettings } from '../context';
import { DEFAULT_PLAN_DIR } from '../modes/plan';
import { defaultPermissionSettings, withAllowRules } from '../permissions/settings';
import { PermissionModeSchema } from '../protocol';
import { defaultCommandEnvSettings } from '../tools/commandEnv';
import { DEFAULT_DYNAMIC_TOOL_TIMEOUT_SECONDS, DEFAULT_GITHUB_POLL_SECONDS, micros } from './serverSettings';
import { parseJsonc } from '../util/jsonc';

export const SETTINGS_FILE = 'settings.json';
export const K = {
  allow: 'localAgents.permissions.allow',
  ask: 'localAgents.permissions.ask',
  deny: 'localAgents.permissions.deny',
  defaultMode: 'localAgents.permissions.defaultMode',
  passThrough: 'localAgents.commandEnv.passThrough',
  drop: 'localAgents.commandEnv.drop',
  exploreModel: 'localAgents.exploreModel',
  computerUseModel: 'localAgents.computerUse.model',
  computerUseBrowser: 'localAgents.computerUse.browser',
  computerUseHeadless: 'localAgents.computerUse.headless',
  planDirectory: 'localAgents.planDirectory',
  dynamicToolTimeout: 'localAgents.api.dynamicToolTimeoutSeconds',
  dailySpendLimit: 'localAgents.usage.dailySpendLimit',
  monthlySpendLimit: 'localAgents.usage.monthlySpendLimit',
  githubEnterpriseUrl: 'localAgents.github.enterpriseUrl',
  githubPullRequests: 'localAgents.github.pullRequests',
  githubPollSeconds: 'localAgents.github.pollSeconds',
} as const;

const names = z.array(z.string().min(1, 'must not be empty'), { error: 'must be a list of strings' });
const FileSchema = z.looseObject({
  [K.allow]: names.optional(),
  [K.ask]: names.optional(),
  [K.deny]: names.optional(),
  [K.defaultMode]: PermissionModeSchema.optional(),
  [K.passThrough]: names.optional(),
  [K.drop]: names.optional(),
  [K.exploreModel]: z.string().optional(),
  [K.computerUseModel]: z.string().optional(),
  [K.computerUseBrowser]: z.string().optional(),
  [K.computerUseHeadless]: z.boolean().optional(),
  [K.planDirectory]: z.string().min(1).optional(),
  [K.dynamicToolTimeout]: z.number().int().min(1).max(86400).optional(),
  [K.dailySpendLimit]: z.number().min(0).optional(),
  [K.monthlySpendLimit]: z.number().min(0).optional(),
  [K.githubEnterpriseUrl]: z.union([z.literal(''), z.url({ protocol: /^https?$/, error: 'must be an absolute http or https URL' })]).optional(),
  [K.githubPullRequests]: z.boolean().optional(),
  [K.githubPollSeconds]: z.number().int().min(5).max(86400).optional(),
});
type FileSettings = z.infer<typeof FileSchema>;

function readFile(file: string, warnings: string[]): FileSettings {
  if (!existsSync(file)) return {};
  let raw: unknown;
  try {
    raw = parseJsonc(readFileSync(file, 'utf8'));
  } catch (err) {
    warnings.push(`${file} is not valid JSON (${(err as Error).message}); its settings are ignored.`);
    return {};
  }
  const parsed = FileSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  warnings.push(`${file}: "${issue?.path.join('.')}" ${issue?.message}; the file's settings are ignored.`);
  return {};
}

/** The settings of a headless run: the data dir's file, plus the workspace's own ask/deny rules. */
export function readHeadlessSettings(dataDir: string, workspaceFolder: string | null): { settings: ServerSettings; file: string; warnings: string[] } {
  const warnings: string[] = [];
  const file = path.join(dataDir, SETTINGS_FILE);
  const s = readFile(file, warnings);
  const ws = workspaceFolder ? readFile(path.join(workspaceFolder, '.vscode', 'settings.json'), warnings) : {};
  for (const key of [K.allow, K.defaultMode] as const) {
    if (ws[key] !== undefined) warnings.push(`${key} in the workspace's .vscode/settings.json is ignored: only your own settings may allow.`);
  }
  return {
    file,
    warnings,
    settings: {
      exploreModel: s[K.exploreModel] || null,
      computerUseModel: s[K.computerUseModel] || null,
      computerUse: { browser: s[K.computerUseBrowser] || null, headless: s[K.computerUseHeadless] ?? true },
      planDirectory: s[K.planDirectory] ?? DEFAULT_PLAN_DIR,
      permissions: {
        ...defaultPermissionSettings(),
        allow: s[K.allow] ?? null,
        ask: s[K.ask] ?? null,
        deny: s[K.deny] ?? [],
        defaultMode: s[K.defaultMode] ?? 'default',
        workspaceAsk: ws[K.ask] ?? [],
        workspaceDeny: ws[K.deny] ?? [],
      },
      commandEnv: { ...defaultCommandEnvSettings(), passThrough: s[K.passThrough] ?? [], drop: s[K.drop] ?? [] },
      dynamicToolTimeoutSeconds: s[K.dynamicToolTimeout] ?? DEFAULT_DYNAMIC_TOOL_TIMEOUT_SECONDS,
      spendLimits: { dailyMicros: micros(s[K.dailySpendLimit]), monthlyMicros: micros(s[K.monthlySpendLimit]) },
      github: {
        enterpriseUrl: s[K.githubEnterpriseUrl] || null,
        pullRequests: s[K.githubPullRequests] ?? true,
        pollSeconds: s[K.githubPollSeconds] ?? DEFAULT_GITHUB_POLL_SECONDS,
      },
    },
  };
}

/** "Always allow" in a headless run: the rules join the file's allow list (written atomically). */
export function writeAllowRules(file: string, settings: ServerSettings, rules: string[]): void {
  let current: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      current = parseJsonc(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new Error(`${file} is not valid JSON (${(err as Error).message}); the rule was not saved.`);
    }
  }
  current[K.allow] = withAllowRules(settings.permissions, rules).allow;
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(current, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}
