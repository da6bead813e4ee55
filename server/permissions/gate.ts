// The one gate every tool call passes, built-in, MCP and client (dynamic) tools alike: `allow`, `ask` or
// `deny`, decided in this order by the mode table (availability.ts), Workspace Trust, and the permission
// rules with the chat's permission mode. It runs when a turn's tool list is built (without arguments: may
// the tool be offered?) and again when a call arrives (with them: may this call run now?).
import { lstatSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ApprovalNeed, PermissionMode, RuleSource, ToolDecisionBy } from '../protocol';
import { realPathSync, relativeToRoots } from '../tools/pathGuard';
import { toolAvailability, type McpServerGate, type ToolKind, type ToolScope } from './availability';
import { exactRule, findRule, type PermissionPolicy, type PermissionRule } from './rules';
import { parseShellCommand, shellParserReady, type CommandSegment } from './shellCommand';
import { isLocalUrl, originRule } from '../computer/originPolicy';

export type GateVerdict = 'allow' | 'ask' | 'deny';

export interface GateDecision {
  decision: GateVerdict;
  by: ToolDecisionBy;
  reason: string;
  /** The rule that decided (a deny or ask rule, or the allow rule of the last allowed part). */
  rule?: string;
  source?: RuleSource;
  /** For `ask`: each part that needs approval. */
  needs: ApprovalNeed[];
}

export interface GateContext {
  scope: ToolScope;
  trusted: boolean;
  policy: PermissionPolicy;
  /** The chat's bound folder: relative paths and commands resolve against it. */
  folder: string | null;
  /** The workspace folders (real paths). */
  roots: string[];
  /** Plan mode: the one file the chat may write. */
  planFile?: string;
}

export interface GateCall {
  name: string;
  kind: ToolKind;
  /** MCP tools: their server's gate fields. */
  server?: McpServerGate;
  /** Parsed arguments; absent when the tool list is built. */
  args?: unknown;
}

/** Tools that only read, ask the user, or delegate (a subagent's own calls pass this gate too). */
export const READ_ONLY_TOOLS = new Set([
  'read_file', 'process_output', 'read_skill', 'read_skill_file', 'ask_user_question', 'propose_plan',
  'spawn_explore_agent', 'spawn_computer_use_agent', 'spawn_agent', 'wait_agent', 'message_agent', 'list_agents',
]);
const FILE_WRITE_TOOLS = new Set(['write_file', 'edit_files']);
/** What an untrusted workspace may not do: run, write, drive a browser, or use its own MCP servers. */
const NEEDS_TRUST = new Set(['execute', 'write_file', 'edit_files', 'computer', 'spawn_computer_use_agent']);

const decided = (decision: GateVerdict, by: ToolDecisionBy, reason: string, rule?: PermissionRule): GateDecision =>
  ({ decision, by, reason, needs: [], ...(rule ? { rule: rule.text, source: rule.source } : {}) });

interface Item {
  tool: string;
  subject: string | null;
  /** Shown to people: the command segment, the path, the tool. */
  shown: string;
  /** What the mode decides when no rule matches. */
  fallback: GateVerdict;
  fallbackReason: string;
  /** An allow rule for this item still asks for this reason (arguments outside the workspace…). */
  allowCaveat?: string;
  /** The rule "Always allow" offers, when broader than the exact subject (a URL's whole origin). */
  offeredRule?: string;
}

export function gateToolCall(call: GateCall, ctx: GateContext): GateDecision {
  const available = toolAvailability(call.name, call.kind, ctx.scope, call.server);
  if (!available.allowed) return decided('deny', 'availability', available.reason ?? `"${call.name}" is not available here.`);
  if (!ctx.trusted && (NEEDS_TRUST.has(call.name) || (call.kind === 'mcp' && call.server?.workspace_local))) {
    return decided('deny', 'trust', `Workspace is not trusted: ${call.name} is disabled. Trust the workspace to allow it.`);
  }
  const { rules, mode } = ctx.policy;
  if (call.args === undefined) {
    // Building the tool list: only a rule that denies the whole tool removes it.
    const deny = rules.deny.find((r) => r.pattern === null && r.matchesTool(call.name));
    return deny ? decided('deny', 'rule', `denied by the rule ${deny.text}`, deny) : decided('allow', 'mode', 'offered');
  }
  const items = itemsOf(call, ctx);
  if ('refusal' in items) return decided(items.verdict, items.by, items.refusal);
  return combine(items.list, ctx.policy, mode);
}

function combine(items: Item[], policy: PermissionPolicy, mode: PermissionMode): GateDecision {
  const bypass = mode === 'bypass';
  let lastAllow: GateDecision | undefined;
  const needs: ApprovalNeed[] = [];
  let askRule: PermissionRule | undefined;
  for (const item of items) {
    const deny = findRule(policy.rules.deny, item.tool, item.subject);
    if (deny) return decided('deny', 'rule', `${item.shown}: denied by the rule ${deny.text}`, deny);
    const ask = bypass ? undefined : findRule(policy.rules.ask, item.tool, item.subject);
    if (ask) {
      askRule ??= ask;
      needs.push({ subject: item.shown, reason: `the rule ${ask.text} asks`, rule: item.offeredRule ?? exactRule(item.tool, item.subject) });
      continue;
    }
    const allow = findRule(policy.rules.allow, item.tool, item.subject);
    if (allow && (!item.allowCaveat || bypass)) {
      lastAllow = decided('allow', 'rule', `${item.shown}: allowed by the rule ${allow.text}`, allow);
      continue;
    }
    if (bypass) {
      lastAllow ??= decided('allow', 'mode', 'allowed: the chat bypasses approvals');
      continue;
    }
    const verdict = allow ? 'ask' : item.fallback;
    if (verdict === 'allow') {
      lastAllow ??= decided('allow', 'mode', item.fallbackReason);
      continue;
    }
    needs.push({ subject: item.shown, reason: allow ? `${item.allowCaveat} (${allow.text} covers it otherwise)` : item.fallbackReason, rule: item.offeredRule ?? exactRule(item.tool, item.subject) });
  }
  if (needs.length > 0) {
    const d = decided('ask', askRule ? 'rule' : 'mode', `needs approval: ${needs.map((n) => `${n.subject} (${n.reason})`).join('; ')}`, askRule);
    return { ...d, needs };
  }
  return lastAllow ?? decided('allow', 'mode', 'nothing to approve');
}

type Items = { list: Item[] } | { refusal: string; verdict: GateVerdict; by: ToolDecisionBy };

function itemsOf(call: GateCall, ctx: GateContext): Items {
  const args = (call.args ?? {}) as Record<string, unknown>;
  if (call.name === 'execute') return executeItems(args, ctx);
  if (call.name === 'computer') return { list: [computerItem(args)] };
  if (FILE_WRITE_TOOLS.has(call.name) || call.name === 'read_file') {
    const paths = call.name === 'edit_files'
      ? (Array.isArray(args.edits) ? args.edits : []).map((e) => (e as { path?: unknown })?.path)
      : [args.path];
    const list: Item[] = [];
    for (const p of paths) {
      // Malformed arguments: nothing can run; the tool itself says what is wrong.
      if (typeof p !== 'string' || p === '') continue;
      const file = fileItem(call.name, p, ctx);
      if ('refusal' in file) return file;
      list.push(file);
    }
    return { list };
  }
  const fallback: GateVerdict = READ_ONLY_TOOLS.has(call.name) || call.kind === 'dynamic' ? 'allow' : 'ask';
  return {
    list: [{
      tool: call.name, subject: null, shown: call.name, fallback,
      fallbackReason: fallback === 'allow' ? `${call.name} only reads or delegates` : call.kind === 'mcp' ? 'MCP tools ask in this permission mode' : `${call.name} asks in this permission mode`,
    }],
  };
}

/**
 * A `computer` call: a navigate is judged by its URL (loopback runs, any other origin asks; "Always allow"
 * offers the whole origin); the other actions stay on the page the gate already let in, and the browser
 * itself blocks any request the page makes to an origin no rule allows (computer/originPolicy.ts).
 */
function computerItem(args: Record<string, unknown>): Item {
  if (args.action === 'navigate' && typeof args.url === 'string' && args.url !== '') {
    const url = args.url;
    const local = isLocalUrl(url);
    return { tool: 'computer', subject: url, shown: `navigate ${url}`, fallback: local ? 'allow' : 'ask', fallbackReason: local ? 'loopback pages open freely' : 'the browser would leave this machine', offeredRule: originRule(url) };
  }
  return { tool: 'computer', subject: null, shown: `computer ${String(args.action ?? '')}`.trim(), fallback: 'allow', fallbackReason: 'acts on the page already open' };
}

function fileItem(tool: string, p: string, ctx: GateContext): Item | { refusal: string; verdict: GateVerdict; by: ToolDecisionBy } {
  const real = ctx.folder ? realPathSync(path.resolve(ctx.folder, p)) : null;
  const rel = real ? relativeToRoots(ctx.roots, real) : null;
  const writes = FILE_WRITE_TOOLS.has(tool);
  if (writes && ctx.scope.mode === 'plan' && ctx.planFile) {
    if (real !== realPathSync(ctx.planFile)) {
      return { refusal: `Plan mode: ${tool} may only write the plan file ${ctx.planFile}, not "${p}". Put the plan there, then call propose_plan.`, verdict: 'deny', by: 'availability' };
    }
    return { tool, subject: rel, shown: p, fallback: 'allow', fallbackReason: 'the plan file of this chat' };
  }
  if (!writes) return { tool, subject: rel, shown: p, fallback: 'allow', fallbackReason: 'reading inside the workspace' };
  const inside = rel !== null;
  const accept = ctx.policy.mode === 'acceptEdits' && inside;
  return { tool, subject: rel, shown: p, fallback: accept ? 'allow' : 'ask', fallbackReason: accept ? 'edits inside the workspace are accepted' : inside ? 'file edits ask in this permission mode' : 'it is outside the workspace' };
}

function executeItems(args: Record<string, unknown>, ctx: GateContext): Items {
  const command = args.command;
  if (typeof command !== 'string' || command.trim() === '') return { list: [] };
  const cwd = ctx.folder && typeof args.workdir === 'string' ? path.resolve(ctx.folder, args.workdir) : ctx.folder;
  if (!shellParserReady()) return { list: [{ tool: 'execute', subject: command, shown: command, fallback: 'ask', fallbackReason: 'the command parser is not loaded', allowCaveat: 'the command parser is not loaded' }] };
  const parsed = parseShellCommand(command);
  if (!parsed.ok) {
    // Deny rules still see the whole command; nothing else can vouch for what it runs.
    const why = `it cannot be checked part by part: ${parsed.reason}`;
    return { list: [{ tool: 'execute', subject: command, shown: command, fallback: 'ask', fallbackReason: why, allowCaveat: why }] };
  }
  const list: Item[] = parsed.segments.map((s) => ({
    tool: 'execute', subject: s.text, shown: s.text, fallback: 'ask', fallbackReason: 'commands ask unless a rule allows them',
    allowCaveat: cwd ? segmentCaveat(s, cwd, ctx.roots) : undefined,
  }));
  for (const w of parsed.writes) {
    if (w.path === null) {
      list.push({ tool: 'write_file', subject: null, shown: `${w.via} (a target known only when it runs)`, fallback: 'ask', fallbackReason: 'the command writes to a file named when it runs' });
      continue;
    }
    const target = expandHome(w.path);
    if (parsed.changesDir && !path.isAbsolute(target)) {
      list.push({ tool: 'write_file', subject: null, shown: `${w.via} ${w.path}`, fallback: 'ask', fallbackReason: 'it writes after changing folder (cd), so its target cannot be checked' });
      continue;
    }
    const real = cwd ? realPathSync(path.resolve(cwd, target)) : null;
    const rel = real ? relativeToRoots(ctx.roots, real) : null;
    const accept = ctx.policy.mode === 'acceptEdits' && rel !== null;
    list.push({
      tool: 'write_file', subject: rel, shown: `${w.via} ${w.path}`, fallback: accept ? 'allow' : 'ask',
      fallbackReason: accept ? 'edits inside the workspace are accepted' : rel === null ? 'it writes outside the workspace' : 'it writes a file',
    });
  }
  return { list };
}

const expandHome = (p: string) => (p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p);

/**
 * Why a rule that matches this segment's text should still not vouch for it: an argument computed when the
 * shell runs, or a path argument that leads outside the workspace (`cat ~/.ssh/id_rsa`).
 */
function segmentCaveat(s: CommandSegment, cwd: string, roots: string[]): string | undefined {
  if (!s.argsKnown) return 'an argument is computed when the shell runs';
  for (const word of s.words.slice(1)) {
    const value = word.startsWith('-') ? (word.includes('=') ? word.slice(word.indexOf('=') + 1) : '') : word;
    if (!value || !mayLeave(value, cwd)) continue;
    const real = realPathSync(path.resolve(cwd, expandHome(value)));
    if (relativeToRoots(roots, real) === null) return `${value} is outside the workspace`;
  }
  return undefined;
}

/** A word that could name a path outside the folder: absolute, home, `..`, nested, or a symlink itself. */
function mayLeave(w: string, cwd: string): boolean {
  if (w.startsWith('/') || w.startsWith('~') || w.includes('..') || w.includes('/')) return true;
  try {
    return lstatSync(path.join(cwd, w)).isSymbolicLink();
  } catch {
    return false;
  }
}
