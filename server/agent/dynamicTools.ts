// Client-executed (dynamic) tools: declared when a chat is created, offered to the model beside the
// built-in ones (a clash loses to the built-in), and waited on in requires_action until a client posts
// the results, the deadline passes ("Tool execution timed out") or the chat is interrupted. The first post
// wins: answering a call is a conditional update in one immediate transaction, so two posts, or two
// processes on the same database, cannot both answer it.
import type { AppContext } from '../context';
import { chatPayload, emitStatus, requireChat } from '../chats/lifecycle';
import { moveChat } from '../chats/status';
import { badRequest, conflict } from '../errors';
import type { ToolDefinition } from '../llm/types';
import type { ChatMessage, DynamicTool } from '../protocol';
import type { ParsedParams } from '../protocol/schemas';
import { actionsOfChats, answerDynamicAction, chatsWithExpiredCalls, openActionCount } from '../store/approvals';
import { getChatRow } from '../store/chats';
import { insertMessage } from '../store/messages';
import type { ChatRow } from '../store/rows';

export const TIMED_OUT = 'Tool execution timed out';

export function dynamicToolsOf(chat: Pick<ChatRow, 'dynamic_tools'>): DynamicTool[] {
  return chat.dynamic_tools ? (JSON.parse(chat.dynamic_tools) as DynamicTool[]) : [];
}

/** The declared tools that keep their name (built-in tools win) and a warning for each that does not. */
export function acceptDynamicTools(declared: DynamicTool[], builtinNames: ReadonlySet<string>): { tools: DynamicTool[]; warnings: string[] } {
  const tools: DynamicTool[] = [];
  const warnings: string[] = [];
  for (const t of declared) {
    if (builtinNames.has(t.name) || t.name.includes('__')) warnings.push(`Dynamic tool "${t.name}" was ignored: ${t.name.includes('__') ? 'names with "__" are kept for MCP tools' : 'a built-in tool has that name, and the built-in wins'}.`);
    else tools.push(t);
  }
  return { tools, warnings };
}

export function dynamicToolDefinitions(tools: DynamicTool[], taken: ReadonlySet<string>): ToolDefinition[] {
  return tools.filter((t) => !taken.has(t.name)).map((t) => ({ name: t.name, description: t.description, parameters: t.input_schema }));
}

function resultMessage(ctx: AppContext, chatId: string, call: { tool_call_id: string; tool_name: string }, result: unknown, isError: boolean, now: number): ChatMessage {
  return insertMessage(ctx.db, {
    chatId, role: 'tool', createdAt: now,
    content: [{ type: 'tool-result', tool_call_id: call.tool_call_id, tool_name: call.tool_name, result, ...(isError ? { is_error: true } : {}) }],
  });
}

/** Stores the results of the dynamic calls the chat waits on; the chat resumes when nothing else waits. */
export function submitToolResults(ctx: AppContext, p: ParsedParams<'SubmitToolResults'>): null {
  const inserted: ChatMessage[] = [];
  let resumed = false;
  ctx.db.transaction(() => {
    const chat = requireChat(ctx, p.chat_id);
    if (chat.status !== 'requires_action') throw conflict('Chat is not waiting for tool results.', `Chat status is "${chat.status}", expected "requires_action".`);
    const ids = new Set<string>();
    for (const r of p.results) {
      if (ids.has(r.tool_call_id)) throw badRequest('Duplicate tool_call_id in results.', `tool_call_id ${r.tool_call_id} appears more than once.`, 'results');
      ids.add(r.tool_call_id);
    }
    const pending = actionsOfChats(ctx.db, [chat.id], true).filter((a) => a.kind === 'dynamic');
    // Before the per-result checks: with no client call open every result would be "unexpected", and the
    // client would not learn that the chat waits for an approval instead.
    if (pending.length === 0) throw conflict('Chat is not waiting for tool results.', 'It waits for an approval, not a client tool.');
    const byId = new Map(pending.map((a) => [a.tool_call_id, a]));
    for (const r of p.results) {
      if (!byId.has(r.tool_call_id)) throw badRequest('Unexpected tool result.', `No pending tool call with ID ${r.tool_call_id}.`, 'results');
    }
    const missing = pending.filter((a) => !ids.has(a.tool_call_id));
    if (missing.length > 0) throw badRequest('Missing tool result.', `No result for pending tool call ${missing.map((a) => a.tool_call_id).join(', ')}.`, 'results');
    const now = ctx.now();
    for (const r of p.results) {
      const call = byId.get(r.tool_call_id)!;
      if (!answerDynamicAction(ctx.db, chat.id, r.tool_call_id, 'answered', now)) throw conflict('Chat is not waiting for tool results.', 'Another client answered first.');
      inserted.push(resultMessage(ctx, chat.id, call, r.output, r.is_error ?? false, now));
    }
    if (openActionCount(ctx.db, chat.id) === 0) resumed = moveChat(ctx.db, chat.id, 'pending', { updated_at: now }, { from: ['requires_action'] });
  }).immediate();
  for (const message of inserted) ctx.events.stream(p.chat_id, { type: 'message', message });
  if (resumed) {
    emitStatus(ctx, p.chat_id);
    ctx.wake();
  } else {
    ctx.events.watch('updated', chatPayload(ctx, p.chat_id));
  }
  return null;
}

/** Answers the dynamic calls past their deadline (any process may; the conditional update decides). */
export function expireDynamicCalls(ctx: AppContext): number {
  const now = ctx.now();
  let expired = 0;
  for (const chatId of chatsWithExpiredCalls(ctx.db, now)) {
    const inserted: ChatMessage[] = [];
    let resumed = false;
    ctx.db.transaction(() => {
      const chat = getChatRow(ctx.db, chatId);
      if (!chat) return;
      for (const a of actionsOfChats(ctx.db, [chatId], true)) {
        if (a.kind !== 'dynamic' || !a.deadline_at || Date.parse(a.deadline_at) > now) continue;
        if (!answerDynamicAction(ctx.db, chatId, a.tool_call_id, 'timed_out', now)) continue;
        inserted.push(resultMessage(ctx, chatId, a, { error: TIMED_OUT }, true, now));
      }
      if (chat.status === 'requires_action' && openActionCount(ctx.db, chatId) === 0) resumed = moveChat(ctx.db, chatId, 'pending', { updated_at: now }, { from: ['requires_action'] });
    }).immediate();
    expired += inserted.length;
    for (const message of inserted) ctx.events.stream(chatId, { type: 'message', message });
    if (resumed) {
      emitStatus(ctx, chatId);
      ctx.wake();
    }
  }
  return expired;
}
