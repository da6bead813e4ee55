// One turn of a chat: model step → tools → model step … until the model stops calling tools.
// Each assistant step and each tool result is persisted as it completes, so a killed server loses at
// most the step in flight, and a restarted one continues from the history.
import type { AppContext } from '../context';
import { repairedBinding } from '../chats/workspaceBinding';
import { computeCostMicros } from '../llm/cost';
import { runModelStep } from '../llm/runModelStep';
import { ModelError, type ModelToolCall, type StepResult } from '../llm/types';
import { log } from '../logger';
import { resolveTurnModel } from '../models/modelConfigs';
import type { ChatError, ChatMessage, MessagePart, ModelOptions, ToolResultPart } from '../protocol';
import { allVisibleMessages, insertMessage, updateMessageRuntime } from '../store/messages';
import type { ChatRow } from '../store/rows';
import type { ProcessRegistry } from '../tools/processRegistry';
import { builtinTools, runToolCall, toolDefinitions } from '../tools/registry';
import { isToolAvailable, toolAvailability, type ToolScope } from '../tools/availability';
import type { AgentHost, Tool, ToolContext, ToolOutcome } from '../tools/types';
import { discoverSkills } from '../modes/contextFiles';
import { ensureContextInjected } from '../modes/contextInjection';
import { askUserQuestionTool, planModeWriteRefusal, proposePlanTool, STOP_AFTER_TOOLS } from '../modes/plan';
import { AGENT_TOOLS } from '../modes/subagentTools';
import { createAgentHost } from './agentHost';
import { mcpToolsForTurn, type McpTurnTool } from '../mcp/turnTools';

/** Plan-mode and subagent tools, offered by mode through tools/availability.ts. */
const MODE_TOOLS: Tool[] = [proposePlanTool, askUserQuestionTool, ...AGENT_TOOLS];

import { modelTarget } from './modelTarget';
import { ownsChat } from './ownership';
import { recordModelRequest } from './requestLog';
import { buildSystemPrompt } from './systemPrompt';

export const MAX_CHAT_STEPS = 1200;

export type AbortReason = 'interrupted' | 'superseded' | 'archived' | 'shutdown' | 'ownership_lost';
export type TurnOutcome =
  | { kind: 'completed' }
  | { kind: 'error'; error: ChatError }
  | { kind: 'aborted'; reason: AbortReason };

export interface LocalRun {
  chatId: string;
  controller: AbortController;
  reason?: AbortReason;
}

function toChatError(err: unknown): ChatError {
  if (err instanceof ModelError) return { message: err.message, detail: err.detail, kind: err.kind, retryable: err.retryable, status_code: err.statusCode };
  const e = err as { message?: string; status?: number };
  return { message: e?.message ?? String(err), kind: 'generic', status_code: typeof e?.status === 'number' ? e.status : undefined };
}

/** Tool calls of the last assistant message that have no result yet (the server died while they ran). */
function danglingToolCalls(history: ChatMessage[]): Array<{ tool_call_id: string; tool_name: string }> {
  const lastAssistant = [...history].reverse().find((m) => m.role === 'assistant');
  if (!lastAssistant) return [];
  const answered = new Set(history.filter((m) => m.role === 'tool' && m.id > lastAssistant.id)
    .flatMap((m) => m.content.filter((p): p is ToolResultPart => p.type === 'tool-result').map((p) => p.tool_call_id)));
  return lastAssistant.content.flatMap((p) => (p.type === 'tool-call' && !answered.has(p.tool_call_id) ? [{ tool_call_id: p.tool_call_id, tool_name: p.tool_name }] : []));
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

export class TurnRunner {
  constructor(private readonly ctx: AppContext, private readonly processes: ProcessRegistry) {}

  async run(chat: ChatRow, run: LocalRun): Promise<TurnOutcome> {
    const { ctx } = this;
    const signal = run.controller.signal;
    const workerId = ctx.workerId;
    try {
      const folder = chat.workspace === ctx.workspace.workspace ? repairedBinding(ctx.workspace, chat.id, chat.workspace_folder) : chat.workspace_folder;
      if (folder !== chat.workspace_folder) ctx.db.prepare('UPDATE chats SET workspace_folder = ? WHERE id = ?').run(folder, chat.id);
      const config = resolveTurnModel(ctx.db, [chat.last_model_config_id]);
      const options = JSON.parse(config.options) as ModelOptions;
      const target = modelTarget(ctx, config);
      const scope = { mode: chat.mode, isRoot: !chat.parent_chat_id };
      const agent = folder ? createAgentHost(ctx, chat, folder, config.id) : undefined;
      const tools = (folder ? [...builtinTools(), ...MODE_TOOLS] : []).filter((t) => isToolAvailable(t.name, 'builtin', scope));
      const mcp = await mcpToolsForTurn(ctx, { id: chat.id, mode: chat.mode, parent_chat_id: chat.parent_chat_id, mcp_server_ids: JSON.parse(chat.mcp_server_ids) as string[] }, signal);
      for (const f of mcp.failures) ctx.events.stream(chat.id, { type: 'notice', level: 'warning', message: `MCP server "${f.server}" is unavailable this turn (${f.outcome}): ${f.reason}` });
      for (const w of mcp.warnings) ctx.events.stream(chat.id, { type: 'notice', level: 'warning', message: w });
      const mcpTools = new Map(mcp.tools.map((t) => [t.definition.name, t]));
      const toolDefs = [...toolDefinitions(tools), ...mcp.tools.map((t) => t.definition)];
      if (folder) ensureContextInjected(ctx, chat, folder);
      const system = buildSystemPrompt({
        workspaceFolder: folder, trusted: ctx.workspace.trusted, chatPrompt: chat.system_prompt, mode: chat.mode,
        isSubagent: !!chat.parent_chat_id, planFilePath: agent?.planFilePath ?? null, skills: folder ? discoverSkills(folder) : [],
      });
      const sessionKey = chat.root_chat_id ?? chat.id;

      this.answerDanglingToolCalls(chat.id);

      for (let step = 0; step < MAX_CHAT_STEPS; step++) {
        const stepStarted = ctx.now();
        const history = allVisibleMessages(ctx.db, chat.id);
        const result = await runModelStep({
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
          onAttempt: (rec) => recordModelRequest(ctx, chat.id, sessionKey, target, rec),
        });
        const streamMs = ctx.now() - stepStarted;

        if (result.aborted) {
          // Interrupted: keep what was streamed (text and reasoning; half-formed tool calls cannot run).
          const parts = assistantParts(result, false);
          if (parts.length > 0 && this.keepsPartialOutput(run) && ownsChat(ctx.db, chat.id, workerId)) {
            const message = insertMessage(ctx.db, { chatId: chat.id, role: 'assistant', content: parts, modelConfigId: config.id, usage: result.usage, runtimeMs: streamMs, createdAt: ctx.now() });
            ctx.events.stream(chat.id, { type: 'message', message });
          }
          return { kind: 'aborted', reason: run.reason ?? 'interrupted' };
        }

        if (!ownsChat(ctx.db, chat.id, workerId)) return { kind: 'aborted', reason: 'ownership_lost' };
        const assistant = insertMessage(ctx.db, {
          chatId: chat.id, role: 'assistant', content: withMcpServerIds(assistantParts(result, true), mcpTools), modelConfigId: config.id, usage: result.usage,
          contextLimit: config.context_limit, totalCostMicros: computeCostMicros(result.usage, options.cost), runtimeMs: streamMs,
          providerResponseId: result.responseId ?? null, createdAt: ctx.now(),
        });
        ctx.events.stream(chat.id, { type: 'message', message: assistant });
        if (result.toolCalls.length === 0) return { kind: 'completed' };

        const toolsStarted = ctx.now();
        const outcomes = await Promise.all(result.toolCalls.map((call) => this.runTool(chat.id, call, { folder: folder as string, tools, signal, run, scope, agent, mcpTools })));
        updateMessageRuntime(ctx.db, assistant.id, streamMs + (ctx.now() - toolsStarted));
        if (signal.aborted) return { kind: 'aborted', reason: run.reason ?? 'interrupted' };
        // propose_plan and ask_user_question hand the turn to the user.
        if (result.toolCalls.some((c, i) => STOP_AFTER_TOOLS.has(c.name) && !outcomes[i].is_error)) return { kind: 'completed' };
      }
      return { kind: 'error', error: { message: `The turn stopped after ${MAX_CHAT_STEPS} model steps.`, kind: 'generic' } };
    } catch (err) {
      if (signal.aborted) return { kind: 'aborted', reason: run.reason ?? 'interrupted' };
      log.warn('turn failed', { chat_id: chat.id, error: (err as Error).message });
      return { kind: 'error', error: toChatError(err) };
    }
  }

  private keepsPartialOutput(run: LocalRun): boolean {
    return run.reason === 'interrupted' || run.reason === 'archived' || run.reason === undefined;
  }

  private answerDanglingToolCalls(chatId: string): void {
    const dangling = danglingToolCalls(allVisibleMessages(this.ctx.db, chatId));
    for (const call of dangling) {
      const message = insertMessage(this.ctx.db, {
        chatId, role: 'tool', createdAt: this.ctx.now(),
        content: [{ type: 'tool-result', tool_call_id: call.tool_call_id, tool_name: call.tool_name, is_error: true, result: { error: 'Tool execution was interrupted: the server stopped while it ran. Check the state before retrying.' } }],
      });
      this.ctx.events.stream(chatId, { type: 'message', message });
    }
  }

  private async runTool(chatId: string, call: ModelToolCall, o: { folder: string; tools: Tool[]; signal: AbortSignal; run: LocalRun; scope: ToolScope; agent?: AgentHost; mcpTools: Map<string, McpTurnTool> }): Promise<ToolOutcome> {
    const { ctx } = this;
    const toolCtx: ToolContext = {
      chatId,
      toolCallId: call.id,
      workspaceFolder: o.folder,
      allowedRoots: ctx.workspace.folders.length > 0 ? ctx.workspace.folders : [o.folder],
      trusted: ctx.workspace.trusted,
      signal: o.signal,
      processes: this.processes,
      onOutput: (delta) => ctx.events.stream(chatId, { type: 'message_part', role: 'tool', part: { type: 'tool-result', tool_call_id: call.id, tool_name: call.name, result_delta: delta } }),
      agent: o.agent,
    };
    // Checked again at call time: a model may call a tool it was not offered.
    const gate = toolAvailability(call.name, 'builtin', o.scope);
    const planRefusal = o.scope.mode === 'plan' && o.agent ? planModeWriteRefusal(call.name, call.args, o.folder, o.agent.planFilePath) : undefined;
    const mcpTool = o.mcpTools.get(call.name);
    const outcome: ToolOutcome = o.signal.aborted
      ? { result: { error: 'Tool execution interrupted by user' }, is_error: true }
      : mcpTool
        ? await mcpTool.run(call.args, o.signal, call.id)
        : !gate.allowed
        ? { result: { error: gate.reason }, is_error: true }
        : planRefusal
          ? { result: { error: planRefusal }, is_error: true }
          : await runToolCall(o.tools, call.name, call.args, toolCtx);
    if (!ownsChat(ctx.db, chatId, ctx.workerId)) return outcome;
    if (o.signal.aborted && !this.keepsPartialOutput(o.run)) return outcome;
    const message = insertMessage(ctx.db, {
      chatId, role: 'tool', createdAt: ctx.now(),
      content: [{ type: 'tool-result', tool_call_id: call.id, tool_name: call.name, result: outcome.result, is_error: outcome.is_error || undefined }],
    });
    ctx.events.stream(chatId, { type: 'message', message });
    return outcome;
  }
}

