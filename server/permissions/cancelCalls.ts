// A chat that stops waiting (interrupt, archive, a message sent with busy_behavior interrupt) answers the
// calls it waited on at once: they were not run, and the model reads so in the next turn.
import type { AppContext } from '../context';
import type { ChatMessage } from '../protocol';
import { actionsOfChats, cancelOpenActions } from '../store/approvals';
import { insertMessage } from '../store/messages';

export const NOT_RUN = 'Tool execution interrupted by user: it was not run.';

/** Inside the caller's transaction. Returns the result messages, to stream after it commits. */
export function cancelWaitingCalls(ctx: AppContext, chatId: string, now: number): ChatMessage[] {
  const open = actionsOfChats(ctx.db, [chatId], true);
  if (open.length === 0) return [];
  cancelOpenActions(ctx.db, chatId, now);
  return open.map((a) => insertMessage(ctx.db, {
    chatId, role: 'tool', createdAt: now,
    content: [{ type: 'tool-result', tool_call_id: a.tool_call_id, tool_name: a.tool_name, is_error: true, result: { error: NOT_RUN }, decision: { decision: 'deny', by: 'user', reason: 'the chat was interrupted before a decision' } }],
  }));
}
