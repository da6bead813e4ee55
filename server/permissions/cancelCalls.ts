// A chat that stops waiting (interrupt, archive, a message sent with busy_behavior interrupt) answers the
// calls it waited on at once: they were not run, and the model reads so in the next turn.
import type { AppContext } from '../context';
import type { ChatMessage } from '../protocol';
import { actionsOfChats, cancelOpenActions } from '../store/approvals';
import { insertMessage } from '../store/messages';

export const NOT_RUN = 'Tool execution interrupted by user: it was not run.';
/** The seed's words for a client call the chat stopped waiting on. */
export const CLIENT_CALL_INTERRUPTED = 'Tool execution interrupted by user';

/** Inside the caller's transaction. Returns the result messages, to stream after it commits. */
export function cancelWaitingCalls(ctx: AppContext, chatId: string, now: number): ChatMessage[] {
  const open = actionsOfChats(ctx.db, [chatId], true);
  if (open.length === 0) return [];
  cancelOpenActions(ctx.db, chatId, now);
  return open.map((a) => insertMessage(ctx.db, {
    chatId, role: 'tool', createdAt: now,
    content: [a.kind === 'dynamic'
      ? { type: 'tool-result', tool_call_id: a.tool_call_id, tool_name: a.tool_name, is_error: true, result: { error: CLIENT_CALL_INTERRUPTED } }
      : { type: 'tool-result', tool_call_id: a.tool_call_id, tool_name: a.tool_name, is_error: true, result: { error: NOT_RUN }, decision: { decision: 'deny', by: 'user', reason: 'the chat was interrupted before a decision' } }],
  }));
}
