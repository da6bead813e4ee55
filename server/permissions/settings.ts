// The permission settings the server decides with, from one source: VS Code's settings handed over by the
// extension, or `<data dir>/settings.json` (same keys) for headless runs. `allow` rules and the default
// permission mode come from the user's own settings only; a workspace may add `ask` and `deny`, never
// `allow`, so a cloned repository cannot grant itself `execute(*)`.
import type { PermissionMode, RuleSource } from '../protocol';
import { compileRules, DEFAULT_ALLOW_RULES, DEFAULT_ASK_RULES, type CompiledRules, type RuleInput, type RuleList } from './rules';

export interface PermissionSettings {
  /** null: the built-in read-only list (the setting's default value). */
  allow: string[] | null;
  /** null: the built-in list of flags that ask. */
  ask: string[] | null;
  deny: string[];
  defaultMode: PermissionMode;
  workspaceAsk: string[];
  workspaceDeny: string[];
  /** `serve --allow` rules: for this process only, never written to a settings file. */
  sessionAllow?: string[];
}

export const defaultPermissionSettings = (): PermissionSettings => ({
  allow: null, ask: null, deny: [], defaultMode: 'default', workspaceAsk: [], workspaceDeny: [],
});

export interface CompiledPermissions { rules: CompiledRules; errors: string[]; listed: Array<{ rule: string; list: RuleList; source: RuleSource }> }

const cache = new WeakMap<PermissionSettings, CompiledPermissions>();

/** Compiled once per settings object (the settings are replaced, never changed in place). */
export function compiledPermissions(s: PermissionSettings): CompiledPermissions {
  let hit = cache.get(s);
  if (hit) return hit;
  const inputs: RuleInput[] = [
    { rules: s.deny, list: 'deny', source: 'user' },
    { rules: s.workspaceDeny, list: 'deny', source: 'workspace' },
    { rules: s.ask ?? DEFAULT_ASK_RULES, list: 'ask', source: s.ask ? 'user' : 'default' },
    { rules: s.workspaceAsk, list: 'ask', source: 'workspace' },
    { rules: s.allow ?? DEFAULT_ALLOW_RULES, list: 'allow', source: s.allow ? 'user' : 'default' },
    { rules: s.sessionAllow ?? [], list: 'allow', source: 'cli' },
  ];
  const { rules, errors } = compileRules(inputs);
  hit = { rules, errors, listed: [...rules.deny, ...rules.ask, ...rules.allow].map((r) => ({ rule: r.text, list: r.list, source: r.source })) };
  cache.set(s, hit);
  return hit;
}

/** The user's allow list with rules added ("Always allow"), keeping the defaults the user had. */
export function withAllowRules(s: PermissionSettings, rules: string[]): PermissionSettings {
  const current = s.allow ?? [...DEFAULT_ALLOW_RULES];
  return { ...s, allow: [...current, ...rules.filter((r) => !current.includes(r))] };
}
