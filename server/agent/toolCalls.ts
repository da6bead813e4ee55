// The calls of one model step through the gate: each is judged (allow / ask / deny), the decision is
// audited, asked calls become pending actions, the allowed ones run (in parallel) and every result is
// persisted with who decided it. Also the resume of a turn that waited: decided calls run or are refused.
import { commandSecretsFor } from '../secrets/commandSecrets';
import type { AppContext } from '../context';
import { actionRequiredEvent } from '../protocol/types';
import type { ModelToolCall } from '../llm/types';
import { currentMcpServer, mcpCallArgs, type McpTurnTool } from '../mcp/turnTools';
import { gateToolCall, type GateContext, type GateDecision } from '../permissions/gate';
import type { McpServerGate, ToolKind } from '../permissions/availability';
import type { ChatMessage, PendingAction, ToolDecisionInfo, ToolResultPart } from '../protocol';
import {
  actionsOfChats, insertPendingAction, latestDecisionId, recordToolDecision, recordToolOutcome, type StoredAction,
} from '../store/approvals';
import { allVisibleMessages, insertMessage } from '../store/messages';
import type { ProcessRegistry } from '../tools/processRegistry';
import { runToolCall } from '../tools/registry';
import type { AgentHost, Tool, ToolContext, ToolOutcome } from '../tools/types';
import { checkpointRecorder } from '../checkpoints/recorder';
import { keepsPartialOutput, ownsRun, type LocalRun } from './ownership';

export interface CallEnv {
  chatId: string;
  run: LocalRun;
  folder: string;
  tools: Tool[];
  agent?: AgentHost;
  mcpTools: Map<string, McpTurnTool>;
  /** Names of the client-executed tools offered this turn. */
  dynamicTools: ReadonlySet<string>;
  gate: GateContext;
  processes: ProcessRegistry;
}

interface Judged {
  call: ModelToolCall;
  kind: ToolKind;
  server?: McpServerGate & { id: string };
  gate: GateDecision;
}

const MAX_SUBJECT = 2000;

/** What a decision was about, for the audit: the command, the paths, or the tool and its arguments. */
function subjectOf(call: ModelToolCall, args: unknown): string {
  const a = (args ?? {}) as Record<string, unknown>;
  let s: string;
  if (call.name === 'execute' && typeof a.command === 'string') s = a.command;
  else if ((call.name === 'write_file' || call.name === 'read_file') && typeof a.path === 'string') s = a.path;
  else if (call.name === 'edit_files' && Array.isArray(a.edits)) s = a.edits.map((e) => String((e as { path?: unknown })?.path ?? '')).join(', ');
  else s = `${call.name} ${call.args}`;
  return s.length > MAX_SUBJECT ? `${s.slice(0, MAX_SUBJECT)}…` : s;
}

function parseArgs(json: string): unknown {
  try {
    return json.trim() === '' ? {} : JSON.parse(json);
  } catch {
    return {}; // the tool itself reports the bad JSON; nothing runs that the gate did not see
  }
}

function judge(ctx: AppContext, env: CallEnv, call: ModelToolCall): Judged & { args: unknown } {
  const mcp = env.mcpTools.get(call.name);
  if (mcp) {
    const def = currentMcpServer(ctx, mcp.serverId);
    const args = mcpCallArgs(def, call.args).args;
    const server = def ? { id: def.id, enabled: def.enabled, allow_in_plan_mode: def.allow_in_plan_mode, workspace_local: def.workspace_local } : undefined;
    return { call, kind: 'mcp', server, args, gate: gateToolCall({ name: call.name, kind: 'mcp', server, args }, env.gate) };
  }
  const args = parseArgs(call.args);
  const kind: ToolKind = env.dynamicTools.has(call.name) ? 'dynamic' : 'builtin';
  return { call, kind, args, gate: gateToolCall({ name: call.name, kind, args }, env.gate) };
}

const infoOf = (g: GateDecision, decision: 'allow' | 'deny'): ToolDecisionInfo =>
  ({ decision, by: g.by, ...(g.rule ? { rule: g.rule } : {}), ...(g.source ? { source: g.source } : {}), reason: g.reason });

async function executeRaw(ctx: AppContext, env: CallEnv, j: Judged): Promise<ToolOutcome> {
  const { call } = j;
  if (env.run.controller.signal.aborted) return { result: { error: 'Tool execution interrupted by user' }, is_error: true };
  const mcp = env.mcpTools.get(call.name);
  if (mcp) return mcp.run(call.args, env.run.controller.signal, call.id);
  const secrets = commandSecretsFor(ctx, env.chatId);
  const live = secrets.scrubber.stream();
  const toolCtx: ToolContext = {
    chatId: env.chatId,
    secrets,
    toolCallId: call.id,
    workspaceFolder: env.folder,
    allowedRoots: env.gate.roots.length > 0 ? env.gate.roots : [env.folder],
    trusted: env.gate.trusted,
    signal: env.run.controller.signal,
    processes: env.processes,
    envPolicy: ctx.settings.commandEnv,
    // A superseded run's command may still be exiting: its output is no longer this chat's.
    onOutput: (delta) => {
      if (env.run.reason === 'superseded') return;
      const safe = live(delta);
      if (safe) ctx.events.stream(env.chatId, { type: 'message_part', role: 'tool', part: { type: 'tool-result', tool_call_id: call.id, tool_name: call.name, result_delta: safe } });
    },
    agent: env.agent,
    checkpoints: checkpointRecorder(ctx, env.chatId, call.id),
  };
  return runToolCall(env.tools, call.name, call.args, toolCtx);
}

/** No tool's result carries a secret's value to the model or the database: `[secret:NAME]` instead. */
async function execute(ctx: AppContext, env: CallEnv, j: Judged): Promise<ToolOutcome> {
  const outcome = await executeRaw(ctx, env, j);
  const { scrubber } = commandSecretsFor(ctx, env.chatId);
  return scrubber.empty ? outcome : { ...outcome, result: scrubber.deep(outcome.result) };
}

function persistResult(ctx: AppContext, env: CallEnv, call: ModelToolCall, outcome: ToolOutcome, decision: ToolDecisionInfo): ChatMessage | undefined {
  if (!ownsRun(ctx.db, env.chatId, env.run)) return undefined;
  if (env.run.controller.signal.aborted && !keepsPartialOutput(env.run)) return undefined;
  const message = insertMessage(ctx.db, {
    chatId: env.chatId, role: 'tool', createdAt: ctx.now(),
    content: [{ type: 'tool-result', tool_call_id: call.id, tool_name: call.name, result: outcome.result, is_error: outcome.is_error || undefined, decision }],
  });
  ctx.events.stream(env.chatId, { type: 'message', message });
  return message;
}

async function runAndPersist(ctx: AppContext, env: CallEnv, j: Judged, decisionId: number, info: ToolDecisionInfo): Promise<ToolOutcome> {
  const outcome = await execute(ctx, env, j);
  recordToolOutcome(ctx.db, decisionId, !outcome.is_error);
  persistResult(ctx, env, j.call, outcome, info);
  return outcome;
}

function refuse(ctx: AppContext, env: CallEnv, call: ModelToolCall, error: string, info: ToolDecisionInfo): ToolOutcome {
  const outcome = { result: { error }, is_error: true };
  persistResult(ctx, env, call, outcome, info);
  return outcome;
}

export interface StepCallsResult {
  outcomes: Array<ToolOutcome | undefined>;
  /** Calls that now wait for a decision (the turn suspends in requires_action). */
  waiting: PendingAction[];
}

const cliRefusal = (g: GateDecision) =>
  `denied: needs approval (${g.needs.map((n) => n.subject).join('; ')}); rerun with ${g.needs.map((n) => `--allow '${n.rule}'`).join(' ')} or --approve-all`;

/**
 * A client runs a dynamic call: it waits for the client's result. Rules can deny one; they do not ask,
 * since the client that declared the tool is the one that runs it.
 */
const waitsForClient = (j: Judged): boolean => j.kind === 'dynamic' && j.gate.decision !== 'deny';
const waitsForPerson = (ctx: AppContext, j: Judged): boolean => j.kind !== 'dynamic' && j.gate.decision === 'ask' && ctx.onAsk === 'suspend';

/** Judges, audits and runs one step's calls. Asked calls wait (or, with onAsk `deny`, are refused at once). */
export async function runStepCalls(ctx: AppContext, env: CallEnv, calls: ModelToolCall[]): Promise<StepCallsResult> {
  const judged = calls.map((c) => judge(ctx, env, c));
  const now = ctx.now();
  const waiting: PendingAction[] = [];
  const deadline = now + ctx.settings.dynamicToolTimeoutSeconds * 1000;
  const decisionIds = ctx.db.transaction(() => judged.map((j) => {
    const id = recordToolDecision(ctx.db, {
      chatId: env.chatId, toolCallId: j.call.id, toolName: j.call.name, subject: subjectOf(j.call, j.args), decision: j.gate.decision,
      by: j.gate.by, rule: j.gate.rule, source: j.gate.source, reason: j.gate.reason, createdAt: now,
    });
    if (waitsForPerson(ctx, j)) {
      insertPendingAction(ctx.db, {
        chatId: env.chatId, toolCallId: j.call.id, kind: 'approval', toolName: j.call.name, args: j.call.args,
        mcpServerConfigId: j.server?.id ?? null, reason: j.gate.reason, needs: j.gate.needs, createdAt: now,
      });
    }
    if (waitsForClient(j)) {
      insertPendingAction(ctx.db, {
        chatId: env.chatId, toolCallId: j.call.id, kind: 'dynamic', toolName: j.call.name, args: j.call.args,
        reason: `waits for the client to run ${j.call.name}`, needs: [], createdAt: now, deadlineAt: deadline,
      });
    }
    return id;
  }))();
  if (judged.some((j) => waitsForPerson(ctx, j) || waitsForClient(j))) {
    waiting.push(...actionsOfChats(ctx.db, [env.chatId], true).filter((a) => calls.some((c) => c.id === a.tool_call_id)).map(withoutDecision));
    // The user sees the approval card while the allowed calls run. Client calls are announced once the chat
    // is in requires_action (finishTurn), so a client that answers at once is not refused with a 409.
    const approvals = waiting.filter((a) => a.kind === 'approval');
    if (approvals.length > 0) ctx.events.stream(env.chatId, actionRequiredEvent(approvals));
  }
  const outcomes = await Promise.all(judged.map(async (j, i): Promise<ToolOutcome | undefined> => {
    if (waitsForClient(j)) return undefined;
    if (j.gate.decision === 'allow') return runAndPersist(ctx, env, j, decisionIds[i], infoOf(j.gate, 'allow'));
    if (j.gate.decision === 'deny') return refuse(ctx, env, j.call, j.gate.reason, infoOf(j.gate, 'deny'));
    if (ctx.onAsk === 'deny') return refuse(ctx, env, j.call, cliRefusal(j.gate), { ...infoOf(j.gate, 'deny'), reason: 'needs approval; this run cannot ask' });
    return undefined;
  }));
  return { outcomes, waiting };
}

const withoutDecision = ({ decision: _d, ...a }: StoredAction): PendingAction => a;

/** Tool calls of the last assistant message that have no result yet. */
function danglingToolCalls(history: ChatMessage[]): ModelToolCall[] {
  const lastAssistant = [...history].reverse().find((m) => m.role === 'assistant');
  if (!lastAssistant) return [];
  const answered = new Set(history.filter((m) => m.role === 'tool' && m.id > lastAssistant.id)
    .flatMap((m) => m.content.filter((p): p is ToolResultPart => p.type === 'tool-result').map((p) => p.tool_call_id)));
  return lastAssistant.content.flatMap((p) => (p.type === 'tool-call' && !answered.has(p.tool_call_id) ? [{ id: p.tool_call_id, name: p.tool_name, args: p.args }] : []));
}

/**
 * At the start of a turn, the calls of the last step that have no result: allowed ones run now (the gate's
 * mode table and trust still apply), denied ones get the person's reason, cancelled ones say so, and calls
 * whose server stopped while they ran are reported. Undecided ones keep the chat waiting.
 */
export async function resumeOpenCalls(ctx: AppContext, env: CallEnv): Promise<{ waiting: PendingAction[] }> {
  const dangling = danglingToolCalls(allVisibleMessages(ctx.db, env.chatId));
  if (dangling.length === 0) return { waiting: [] };
  const actions = new Map(actionsOfChats(ctx.db, [env.chatId], false).map((a) => [a.tool_call_id, a]));
  const open = dangling.flatMap((c) => { const a = actions.get(c.id); return a?.state === 'pending' ? [withoutDecision(a)] : []; });
  if (open.length > 0) return { waiting: open };
  await Promise.all(dangling.map(async (call) => {
    const action = actions.get(call.id);
    const byUser = (reason: string, decision: 'allow' | 'deny', rule?: string): ToolDecisionInfo => ({ decision, by: 'user', reason, ...(rule ? { rule } : {}) });
    if (action?.state === 'allowed') {
      const j = judge(ctx, env, call);
      if (j.gate.decision === 'deny') return refuse(ctx, env, call, j.gate.reason, infoOf(j.gate, 'deny'));
      const id = latestDecisionId(ctx.db, env.chatId, call.id) ?? recordToolDecision(ctx.db, {
        chatId: env.chatId, toolCallId: call.id, toolName: call.name, subject: call.name, decision: 'allow', by: 'user', createdAt: ctx.now(),
      });
      const rules = action.decision?.rules.join(', ');
      return runAndPersist(ctx, env, j, id, byUser(`allowed ${action.decision?.scope === 'once' ? 'once' : `with ${rules}`} by the user`, 'allow', rules || undefined));
    }
    if (action?.state === 'denied') {
      const reason = action.decision?.reason;
      return refuse(ctx, env, call, `denied by the user${reason ? `: ${reason}` : ''}`, byUser(reason ?? 'denied by the user', 'deny'));
    }
    if (action?.state === 'cancelled') return refuse(ctx, env, call, 'Tool execution interrupted by user: it was not run.', byUser('the chat was interrupted before a decision', 'deny'));
    return refuse(ctx, env, call, 'Tool execution was interrupted: the server stopped while it ran. Check the state before retrying.', { decision: 'deny', by: 'availability', reason: 'the server stopped while it ran' });
  }));
  return { waiting: [] };
}
