// The end of a turn, as one transaction on the locked chat row:
// another worker owns it → nothing; someone set it pending meanwhile (edit) → stays pending;
// success → next queued message or `waiting`; error → `error` + last_error; interrupted → queue head or stays
// `waiting`; shutdown → back to `pending` for the next server.
import type { AppContext } from '../context';
import { emitQueue, emitStatus } from '../chats/lifecycle';
import { promoteHead } from '../chats/queue';
import { getChatRow } from '../store/chats';
import type { TurnOutcome } from './turnRunner';

export function finishTurn(ctx: AppContext, chatId: string, outcome: TurnOutcome): void {
  let promoted = false;
  let touched = false;
  ctx.db.transaction(() => {
    const row = getChatRow(ctx.db, chatId);
    if (!row || row.worker_id !== ctx.workerId) return;
    touched = true;
    const now = ctx.now();
    const release = (status: string, lastError: string | null = row.last_error) =>
      ctx.db.prepare('UPDATE chats SET status = ?, worker_id = NULL, heartbeat_at = NULL, last_error = ?, recovery_count = 0, updated_at = ? WHERE id = ?')
        .run(status, lastError, now, chatId);
    if (row.status === 'pending') return release('pending');
    if (outcome.kind === 'aborted' && outcome.reason === 'shutdown') {
      return ctx.db.prepare("UPDATE chats SET status = 'pending', worker_id = NULL, heartbeat_at = NULL WHERE id = ?").run(chatId);
    }
    if (outcome.kind === 'error') return release('error', JSON.stringify(outcome.error));
    release(outcome.kind === 'completed' ? 'waiting' : row.status, null);
    if (!row.archived) {
      try {
        promoted = !!promoteHead(ctx, chatId, now);
      } catch (err) {
        // No usable model for the queued message: it stays queued and the chat shows why.
        ctx.db.prepare("UPDATE chats SET status = 'error', last_error = ? WHERE id = ?")
          .run(JSON.stringify({ message: (err as Error).message, kind: 'config' }), chatId);
      }
    }
  }).immediate();
  if (!touched) return;
  if (outcome.kind === 'error') ctx.events.stream(chatId, { type: 'error', error: outcome.error });
  if (promoted) emitQueue(ctx, chatId);
  ctx.events.flush();
  emitStatus(ctx, chatId);
  if (promoted) ctx.wake();
}
