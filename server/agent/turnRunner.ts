// One turn of a chat: model step → tools → model step … until the model stops calling tools, or a call
// needs a decision (the turn suspends in requires_action and resumes once it is decided).
// Each assistant step and each tool result is persisted as it completes, so a killed server loses at
// most the step in flight, and a restarted one continues from the history.
import type { AppContext } from '../context';
import { repairedBinding } from '../chats/workspaceBinding';
import { computeCostMicros } from '../llm/cost';
import { runModelStep } from '../llm/runModelStep';
import { ModelError, type ModelToolCall, type StepResult } from '../llm/types';
import { log } from '../logger';
import { resolveTurnModel } from '../models/modelConfigs';
import type { ChatError, ChatMessage, MessagePart, ModelOptions, PendingAction } from '../protocol';
import { insertMessage, updateMessageRuntime } from '../store/messages';
import { historyForStep, type StepContextInput, type TurnCompactionState } from '../compaction/compact';
import { getChatRow, setWorkspaceFolder } from '../store/chats';
import type { ChatRow } from '../store/rows';
import type { ProcessRegistry } from '../tools/processRegistry';
import { builtinTools, toolDefinitions } from '../tools/registry';
import type { Tool } from '../tools/types';
import { discoverSkills } from '../modes/contextFiles';
import { ensureContextInjected } from '../modes/contextInjection';
import { askUserQuestionTool, proposePlanTool, STOP_AFTER_TOOLS } from '../modes/plan';
import { AGENT_TOOLS } from '../modes/subagentTools';
import { computerTool } from '../computer/computerTool';
import { mcpToolsForTurn, type McpTurnTool } from '../mcp/turnTools';
import { policyForChat } from '../permissions/approvals';
import type { ToolScope } from '../permissions/availability';
import { gateToolCall, type GateContext } from '../permissions/gate';
import { initShellParser } from '../permissions/shellCommand';
import { createAgentHost } from './agentHost';
import { dynamicToolDefinitions, dynamicToolsOf } from './dynamicTools';
import { modelTarget } from './modelTarget';
import { keepsPartialOutput, ownsRun, type AbortReason, type LocalRun } from './ownership';
import { recordModelRequest, sessionKeyOf } from '../usage/requestLog';
import { assertWithinSpendLimits } from '../usage/spendLimit';
import { linkRequestsToMessage } from '../store/modelRequests';
import { buildSystemPrompt } from './systemPrompt';
import { resumeOpenCalls, runStepCalls, type CallEnv } from './toolCalls';

/** Plan-mode and subagent tools, offered by mode through the gate. */
const MODE_TOOLS: Tool[] = [proposePlanTool, askUserQuestionTool, ...AGENT_TOOLS, computerTool as Tool];

/** Every built-in tool name: a client tool of the same name loses to it. */
export const BUILTIN_TOOL_NAMES: ReadonlySet<string> = new Set([...builtinTools(), ...MODE_TOOLS].map((t) => t.name));

export const MAX_CHAT_STEPS = 1200;

export type TurnOutcome =
  | { kind: 'completed' }
  | { kind: 'error'; error: ChatError }
  | { kind: 'aborted'; reason: AbortReason }
  /** Calls wait for a decision: the chat waits in requires_action. */
  | { kind: 'requires_action'; actions: PendingAction[] };

function toChatError(err: unknown): ChatError {
  if (err instanceof ModelError) return { message: err.message, detail: err.detail, kind: err.kind, retryable: err.retryable, status_code: err.statusCode };
  const e = err as { message?: string; status?: number };
  return { message: e?.message ?? String(err), kind: 'generic', status_code: typeof e?.status === 'number' ? e.status : undefined };
}

function assistantParts(result: StepResult, includeToolCalls: boolean): MessagePart[] {
  const parts: MessagePart[] = [];
  if (result.reasoning) parts.push({ type: 'reasoning', text: result.reasoning });
  if (result.text) parts.push({ type: 'text', text: result.text });
  if (includeToolCalls) {
    for (const c of result.toolCalls) parts.push({ type: 'tool-call', tool_call_id: c.id, tool_name: c.name, args: c.args, ...modelIntentOf(c) });
  }
  return parts;
}

function withMcpServerIds(parts: MessagePart[], mcpTools: Map<string, McpTurnTool>): MessagePart[] {
  return parts.map((p) => (p.type === 'tool-call' && mcpTools.has(p.tool_name) ? { ...p, mcp_server_config_id: mcpTools.get(p.tool_name)!.serverId } : p));
}

function modelIntentOf(call: ModelToolCall): { model_intent?: string } {
  try {
    const args = JSON.parse(call.args) as { model_intent?: unknown };
    return typeof args.model_intent === 'string' && args.model_intent ? { model_intent: args.model_intent } : {};
  } catch {
    return {};
  }
}

export function toolScopeOf(ctx: AppContext, chat: ChatRow): ToolScope {
  const root = chat.root_chat_id ? getChatRow(ctx.db, chat.root_chat_id) : undefined;
  return { mode: chat.mode, isRoot: !chat.parent_chat_id, rootMode: root?.mode ?? chat.mode };
}

export class TurnRunner {
  constructor(private readonly ctx: AppContext, private readonly processes: ProcessRegistry) {}

  /** A step over the (compacted) history; a provider's "context too long" compacts and retries once. */
  private async stepWithCompaction(input: StepContextInput, state: TurnCompactionState, step: (history: ChatMessage[]) => Promise<StepResult>): Promise<StepResult> {
    try {
      return await step(await historyForStep(this.ctx, input, state));
    } catch (err) {
      if (!(err instanceof ModelError) || err.kind !== 'context_length') throw err;
      log.info('context too long for the provider; compacting and retrying once', { chat_id: input.chatId });
      return step(await historyForStep(this.ctx, input, state, 'context_exceeded'));
    }
  }

  async run(chat: ChatRow, run: LocalRun): Promise<TurnOutcome> {
    const { ctx } = this;
    const signal = run.controller.signal;
    // Loaded at the start, in the background; if it failed, the gate asks for every command (logged at the start).
    await initShellParser().catch(() => undefined);
    try {
      const folder = chat.workspace === ctx.workspace.workspace ? repairedBinding(ctx.workspace, chat.id, chat.workspace_folder) : chat.workspace_folder;
      if (folder !== chat.workspace_folder) setWorkspaceFolder(ctx.db, chat.id, folder);
      const config = resolveTurnModel(ctx.db, [chat.last_model_config_id]);
      const options = JSON.parse(config.options) as ModelOptions;
      const target = modelTarget(ctx, config);
      const scope = toolScopeOf(ctx, chat);
      const agent = folder ? createAgentHost(ctx, chat, folder, config.id) : undefined;
      const gate: GateContext = {
        scope, trusted: ctx.workspace.trusted, policy: policyForChat(ctx, chat), folder,
        roots: ctx.workspace.folders.length > 0 ? ctx.workspace.folders : folder ? [folder] : [], planFile: agent?.planFilePath,
      };
      const tools = (folder ? [...builtinTools(), ...MODE_TOOLS] : []).filter((t) => gateToolCall({ name: t.name, kind: 'builtin' }, gate).decision !== 'deny');
      const mcp = await mcpToolsForTurn(ctx, { id: chat.id, mode: chat.mode, parent_chat_id: chat.parent_chat_id, mcp_server_ids: JSON.parse(chat.mcp_server_ids) as string[], scope }, signal);
      for (const f of mcp.failures) ctx.events.stream(chat.id, { type: 'notice', level: 'warning', message: `MCP server "${f.server}" is unavailable this turn (${f.outcome}): ${f.reason}` });
      for (const w of mcp.warnings) ctx.events.stream(chat.id, { type: 'notice', level: 'warning', message: w });
      const offeredMcp = mcp.tools.filter((t) => gateToolCall({ name: t.definition.name, kind: 'mcp', server: t.server }, gate).decision !== 'deny');
      const mcpTools = new Map(offeredMcp.map((t) => [t.definition.name, t]));
      const taken = new Set([...tools.map((t) => t.name), ...mcpTools.keys()]);
      // Client tools belong to the chat that declared them (never its subagents), outside plan and explore modes.
      const dynamicDefs = chat.parent_chat_id ? [] : dynamicToolDefinitions(dynamicToolsOf(chat), taken)
        .filter((d) => gateToolCall({ name: d.name, kind: 'dynamic' }, gate).decision !== 'deny');
      const dynamicTools = new Set(dynamicDefs.map((d) => d.name));
      const toolDefs = [...toolDefinitions(tools), ...offeredMcp.map((t) => t.definition), ...dynamicDefs];
      if (folder) ensureContextInjected(ctx, chat, folder);
      const system = buildSystemPrompt({
        workspaceFolder: folder, trusted: ctx.workspace.trusted, chatPrompt: chat.system_prompt, mode: chat.mode,
        isSubagent: !!chat.parent_chat_id, planFilePath: agent?.planFilePath ?? null, skills: folder ? discoverSkills(folder, gate.roots) : [],
      });
      const sessionKey = sessionKeyOf(ctx, chat);
      // Trust and rules are read again for each step's calls: withdrawing trust mid-turn (a long computer-use
      // turn) refuses the next execute, write or browser action rather than the next turn's.
      const env = (): CallEnv => ({ chatId: chat.id, run, folder: folder as string, tools, agent, mcpTools, dynamicTools, processes: this.processes, gate: { ...gate, trusted: ctx.workspace.trusted, policy: policyForChat(ctx, chat) } });

      const resumed = await resumeOpenCalls(ctx, env());
      if (resumed.waiting.length > 0) return { kind: 'requires_action', actions: resumed.waiting };
      if (signal.aborted) return { kind: 'aborted', reason: run.reason ?? 'interrupted' };

      const compaction: TurnCompactionState = { ineffective: false };
      const stepContext: StepContextInput = { chatId: chat.id, sessionKey, config, target, system, tools: toolDefs, signal };
      for (let step = 0; step < MAX_CHAT_STEPS; step++) {
        assertWithinSpendLimits(ctx);
        const stepStarted = ctx.now();
        const requestIds: number[] = [];
        const result = await this.stepWithCompaction(stepContext, compaction, (history) => runModelStep({
          target,
          system,
          history,
          tools: toolDefs,
          signal,
          onDelta: (part) => ctx.events.stream(chat.id, { type: 'message_part', role: 'assistant', part }),
          onRetry: (info) => ctx.events.stream(chat.id, {
            type: 'retry', attempt: info.attempt, delay_ms: info.delayMs, error: info.error, kind: info.kind,
            status_code: info.statusCode, retrying_at: new Date(ctx.now() + info.delayMs).toISOString(),
          }),
          onAttempt: (rec) => { requestIds.push(recordModelRequest(ctx, { chatId: chat.id, sessionKey, kind: 'chat' }, target, rec)); },
        }));
        const streamMs = ctx.now() - stepStarted;

        if (result.aborted) {
          // Interrupted: keep what was streamed (text and reasoning; half-formed tool calls cannot run).
          const parts = assistantParts(result, false);
          if (parts.length > 0 && keepsPartialOutput(run) && ownsRun(ctx.db, chat.id, run)) {
            const message = insertMessage(ctx.db, { chatId: chat.id, role: 'assistant', content: parts, modelConfigId: config.id, usage: result.usage, runtimeMs: streamMs, createdAt: ctx.now() });
            ctx.events.stream(chat.id, { type: 'message', message });
          }
          return { kind: 'aborted', reason: run.reason ?? 'interrupted' };
        }

        if (!ownsRun(ctx.db, chat.id, run)) return { kind: 'aborted', reason: 'ownership_lost' };
        const assistant = insertMessage(ctx.db, {
          chatId: chat.id, role: 'assistant', content: withMcpServerIds(assistantParts(result, true), mcpTools), modelConfigId: config.id, usage: result.usage,
          contextLimit: config.context_limit, totalCostMicros: computeCostMicros(result.usage, options.cost), runtimeMs: streamMs,
          providerResponseId: result.responseId ?? null, createdAt: ctx.now(),
        });
        linkRequestsToMessage(ctx.db, requestIds, assistant.id);
        ctx.events.stream(chat.id, { type: 'message', message: assistant });
        if (result.toolCalls.length === 0) return { kind: 'completed' };

        const toolsStarted = ctx.now();
        const { outcomes, waiting } = await runStepCalls(ctx, env(), result.toolCalls);
        updateMessageRuntime(ctx.db, assistant.id, streamMs + (ctx.now() - toolsStarted));
        if (signal.aborted) return { kind: 'aborted', reason: run.reason ?? 'interrupted' };
        if (waiting.length > 0) return { kind: 'requires_action', actions: waiting };
        // propose_plan and ask_user_question hand the turn to the user.
        if (result.toolCalls.some((c, i) => STOP_AFTER_TOOLS.has(c.name) && outcomes[i] && !outcomes[i].is_error)) return { kind: 'completed' };
      }
      return { kind: 'error', error: { message: `The turn stopped after ${MAX_CHAT_STEPS} model steps.`, kind: 'generic' } };
    } catch (err) {
      if (signal.aborted) return { kind: 'aborted', reason: run.reason ?? 'interrupted' };
      log.warn('turn failed', { chat_id: chat.id, error: (err as Error).message });
      return { kind: 'error', error: toChatError(err) };
    }
  }
}
