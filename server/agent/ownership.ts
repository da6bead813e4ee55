// A run may write to its chat only while it still owns it: each acquisition gives the chat a new run id, and
// an edit, an interrupt, a stale recovery or another process taking the chat over clears or replaces it, so
// a superseded run (a command still exiting) can never write over the run that replaced it.
import { prepareCached, type Db } from '../store/db';

export type AbortReason = 'interrupted' | 'superseded' | 'archived' | 'shutdown' | 'ownership_lost';

export interface LocalRun {
  chatId: string;
  /** The chat's run_id when this run acquired it. */
  runId: string;
  workerId: string;
  controller: AbortController;
  reason?: AbortReason;
}

export function ownsRun(db: Db, chatId: string, run: Pick<LocalRun, 'runId' | 'workerId'>): boolean {
  return !!prepareCached(db, 'SELECT 1 FROM chats WHERE id = ? AND worker_id = ? AND run_id = ?').get(chatId, run.workerId, run.runId);
}

/** An interrupted (or archived) run keeps what it produced; a superseded or shut-down one writes nothing more. */
export const keepsPartialOutput = (run: LocalRun): boolean => run.reason === 'interrupted' || run.reason === 'archived' || run.reason === undefined;
