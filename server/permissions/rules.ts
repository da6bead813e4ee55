// Permission rules: `tool` or `tool(pattern)`, in allow / ask / deny lists. A rule names a tool (a glob:
// `github__*`) and, for the tools that take one, a pattern over what the call touches: the command of
// `execute` (each segment of a compound command on its own), the workspace-relative real path of
// `read_file` / `write_file` / `edit_files`, the URL of `computer`.
import picomatch from 'picomatch';
import type { PermissionMode, RuleSource } from '../protocol';

export type RuleList = 'allow' | 'ask' | 'deny';

export interface PermissionRule {
  text: string;
  list: RuleList;
  source: RuleSource;
  tool: string;
  pattern: string | null;
  matchesTool(name: string): boolean;
  /** Whether the rule covers this subject (a command segment, a relative path, a URL); bare rules cover all. */
  matchesSubject(subject: string | null): boolean;
}

export interface CompiledRules { allow: PermissionRule[]; ask: PermissionRule[]; deny: PermissionRule[] }

export interface PermissionPolicy {
  mode: PermissionMode;
  rules: CompiledRules;
}

/** Tools whose pattern is a file glob; `execute` and `computer` take a command / URL pattern. */
export const FILE_PATTERN_TOOLS = new Set(['read_file', 'write_file', 'edit_files']);
const TEXT_PATTERN_TOOLS = new Set(['execute', 'computer']);

/**
 * Read-only commands allowed out of the box (the default of `localAgents.permissions.allow`, so the list is
 * visible and editable in the settings). A trailing ` *` also matches the bare command.
 */
export const DEFAULT_ALLOW_RULES: readonly string[] = [
  'execute(ls *)', 'execute(cat *)', 'execute(head *)', 'execute(tail *)', 'execute(wc *)', 'execute(grep *)', 'execute(rg *)',
  'execute(find *)', 'execute(pwd)', 'execute(echo *)',
  'execute(git status *)', 'execute(git diff *)', 'execute(git log *)', 'execute(git show *)',
  'execute(git branch)', 'execute(git branch --list *)', 'execute(git branch -a)', 'execute(git branch -r)', 'execute(git branch -v)',
  'execute(git branch -vv)', 'execute(git branch --show-current)',
];

/** Flags of the default read-only commands that write or run something: they ask (the default of `…permissions.ask`). */
export const DEFAULT_ASK_RULES: readonly string[] = ['execute(rg *--pre*)', 'execute(git *--output*)', 'execute(git *--ext-diff*)'];

export class RuleError extends Error {}

const RULE_RE = /^([A-Za-z0-9_.*-]+)(?:\(([\s\S]*)\))?$/;

/** `*` matches anything (a literal star is `\*`); a pattern ending in ` *` also matches without that part. */
function textMatcher(pattern: string): (subject: string) => boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i]);
    else if (c === '*') re += '[\\s\\S]*';
    else re += escapeRe(c);
  }
  if (re.endsWith(' [\\s\\S]*')) re = `${re.slice(0, -' [\\s\\S]*'.length)}(?: [\\s\\S]*)?`;
  const compiled = new RegExp(`^${re}$`);
  return (s) => compiled.test(s);
}

const escapeRe = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Parses and checks one rule; throws RuleError with a message that names the rule. */
export function compileRule(text: string, list: RuleList, source: RuleSource): PermissionRule {
  const trimmed = text.trim();
  const m = RULE_RE.exec(trimmed);
  if (!m) throw new RuleError(`Invalid permission rule "${text}": write tool or tool(pattern), e.g. execute(npm test*) or write_file(src/**).`);
  const [, tool, pattern = null] = m;
  if (pattern !== null && pattern.trim() === '') throw new RuleError(`Invalid permission rule "${text}": the pattern in parentheses is empty.`);
  const toolGlob = tool.includes('*');
  if (pattern !== null && !toolGlob && !FILE_PATTERN_TOOLS.has(tool) && !TEXT_PATTERN_TOOLS.has(tool)) {
    throw new RuleError(`Invalid permission rule "${text}": ${tool} takes no pattern; write just "${tool}".`);
  }
  const toolMatch = toolGlob ? textMatcher(tool) : (name: string) => name === tool;
  let subjectMatch: (s: string) => boolean = () => true;
  if (pattern !== null) {
    if (FILE_PATTERN_TOOLS.has(tool)) {
      const glob = picomatch(pattern.replace(/^\.\//, ''), { dot: true });
      subjectMatch = (s) => glob(s);
    } else {
      subjectMatch = textMatcher(pattern);
    }
  }
  return {
    text: trimmed, list, source, tool, pattern,
    matchesTool: toolMatch,
    matchesSubject: (subject) => pattern === null || (subject !== null && subjectMatch(subject)),
  };
}

export interface RuleInput { rules: readonly string[]; list: RuleList; source: RuleSource }

/** Compiles rule lists; every bad rule is reported, by list and position. */
export function compileRules(inputs: RuleInput[]): { rules: CompiledRules; errors: string[] } {
  const rules: CompiledRules = { allow: [], ask: [], deny: [] };
  const errors: string[] = [];
  for (const { rules: texts, list, source } of inputs) {
    texts.forEach((t, i) => {
      try {
        rules[list].push(compileRule(t, list, source));
      } catch (err) {
        errors.push(`${source} ${list}[${i}]: ${(err as Error).message}`);
      }
    });
  }
  return { rules, errors };
}

export const emptyRules = (): CompiledRules => ({ allow: [], ask: [], deny: [] });

export function mergeRules(...sets: CompiledRules[]): CompiledRules {
  return { allow: sets.flatMap((s) => s.allow), ask: sets.flatMap((s) => s.ask), deny: sets.flatMap((s) => s.deny) };
}

export function findRule(list: PermissionRule[], tool: string, subject: string | null): PermissionRule | undefined {
  for (const r of list) if (r.matchesTool(tool) && r.matchesSubject(subject)) return r;
  return undefined;
}

/** The exact rule that allows one subject: stars in it are literal. */
export function exactRule(tool: string, subject: string | null): string {
  if (subject === null) return tool;
  const escaped = FILE_PATTERN_TOOLS.has(tool) ? subject.replace(/[*?[\]{}()!+@\\]/g, '\\$&') : subject.replace(/[*\\]/g, '\\$&');
  return `${tool}(${escaped})`;
}
