// The end of a turn, as one transaction on the locked chat row:
// another run owns it (an edit or a recovery replaced this one) → nothing; someone set it pending meanwhile
// (edit) → stays pending; success → next queued message or `waiting`; calls wait for a decision →
// `requires_action` with the worker released; error → `error` + last_error; interrupted → queue head or
// stays `waiting`; shutdown → back to `pending` for the next server.
import type { AppContext } from '../context';
import { actionRequiredEvent } from '../protocol/types';
import { emitQueue, emitStatus } from '../chats/lifecycle';
import { promoteHead } from '../chats/queue';
import { moveChat } from '../chats/status';
import { cancelOpenActions, openActionCount } from '../store/approvals';
import { getChatRow } from '../store/chats';
import type { LocalRun } from './ownership';
import type { TurnOutcome } from './turnRunner';

export function finishTurn(ctx: AppContext, run: LocalRun, outcome: TurnOutcome): void {
  const chatId = run.chatId;
  let promoted = false;
  let touched = false;
  let resumed = false;
  ctx.db.transaction(() => {
    const row = getChatRow(ctx.db, chatId);
    if (!row || row.worker_id !== run.workerId || row.run_id !== run.runId) return;
    touched = true;
    const now = ctx.now();
    const released = { worker_id: null, heartbeat_at: null, recovery_count: 0, updated_at: now };
    if (row.status === 'pending') return moveChat(ctx.db, chatId, 'pending', released);
    if (outcome.kind === 'aborted' && outcome.reason === 'shutdown') {
      return moveChat(ctx.db, chatId, 'pending', { worker_id: null, heartbeat_at: null });
    }
    if (outcome.kind === 'error') return moveChat(ctx.db, chatId, 'error', { ...released, last_error: JSON.stringify(outcome.error) });
    if (outcome.kind === 'requires_action' && row.status === 'running') {
      // Everything was decided while the step's other calls still ran: go on at once.
      if (openActionCount(ctx.db, chatId) === 0) {
        resumed = true;
        return moveChat(ctx.db, chatId, 'pending', { ...released, last_error: null });
      }
      return moveChat(ctx.db, chatId, 'requires_action', { ...released, last_error: null });
    }
    // Interrupted while the last calls were judged: nothing waits on them any more.
    if (outcome.kind === 'requires_action') cancelOpenActions(ctx.db, chatId, now);
    moveChat(ctx.db, chatId, outcome.kind === 'completed' || row.status === 'running' ? 'waiting' : row.status, { ...released, last_error: null });
    if (!row.archived) {
      try {
        promoted = !!promoteHead(ctx, chatId, now);
      } catch (err) {
        // No usable model for the queued message: it stays queued and the chat shows why.
        moveChat(ctx.db, chatId, 'error', { last_error: JSON.stringify({ message: (err as Error).message, kind: 'config' }) });
      }
    }
  }).immediate();
  // A computer-use turn's browser ends with the turn; one waiting for an approval keeps its page.
  if (outcome.kind !== 'requires_action') void ctx.computer?.close(chatId);
  if (!touched) return;
  if (outcome.kind === 'error') ctx.events.stream(chatId, { type: 'error', error: outcome.error });
  if (outcome.kind === 'requires_action' && !resumed) ctx.events.stream(chatId, actionRequiredEvent(outcome.actions));
  if (promoted) emitQueue(ctx, chatId);
  ctx.events.flush();
  emitStatus(ctx, chatId);
  if (promoted || resumed) ctx.wake();
}
