// The one owner of chat status: the transition table of SPEC §1. Every status write goes through moveChat
// (or acquirePending, which is pending → running); an illegal change throws instead of being written.
// The server moves chats; clients only read the status.
import { AppError } from '../errors';
import type { ChatStatus } from '../protocol';
import type { Db } from '../store/db';
import { acquirePendingRows, readChatStatus, writeChatStatus, type ChatStatusColumns } from '../store/chats';
import type { ChatRow } from '../store/rows';

/** The status a chat is created in. */
export const INITIAL_STATUS: ChatStatus = 'pending';

/**
 * From → the statuses it may move to. A status may be rewritten to itself to change the columns beside it
 * (an edit of a pending chat, an error replaced by another).
 */
export const TRANSITIONS: Readonly<Record<ChatStatus, readonly ChatStatus[]>> = {
  pending: ['pending', 'running', 'waiting'],
  running: ['waiting', 'error', 'pending', 'requires_action'],
  requires_action: ['pending', 'waiting', 'error'],
  waiting: ['waiting', 'pending', 'error'],
  error: ['error', 'pending', 'waiting'],
  paused: ['pending', 'waiting'],
  completed: ['pending', 'waiting'],
};

/** Statuses in which a chat has work in flight: a new message is queued. */
export const BUSY_STATUSES: readonly ChatStatus[] = ['pending', 'running', 'requires_action'];

export const canMove = (from: ChatStatus, to: ChatStatus): boolean => TRANSITIONS[from].includes(to);

export interface MoveOptions {
  /** Move only from one of these (otherwise nothing happens and false is returned). */
  from?: readonly ChatStatus[];
  /** Move only while this run still owns the chat. */
  runId?: string;
}

/** Moves a chat to `to`, with the given columns; false when `from`/`runId` do not hold (nothing written). */
export function moveChat(db: Db, chatId: string, to: ChatStatus, cols: ChatStatusColumns = {}, opts: MoveOptions = {}): boolean {
  const row = readChatStatus(db, chatId);
  if (!row) return false;
  if (opts.from && !opts.from.includes(row.status)) return false;
  if (opts.runId !== undefined && row.run_id !== opts.runId) return false;
  if (!canMove(row.status, to)) throw new AppError(500, `Illegal chat status change ${row.status} → ${to}.`, `chat ${chatId}`);
  writeChatStatus(db, chatId, to, cols);
  return true;
}

/** pending → running for the chats this worker takes, each with a fresh run id. */
export function acquirePending(db: Db, workerId: string, workspace: string, limit: number, now: number, onlyReserved = false): ChatRow[] {
  return acquirePendingRows(db, workerId, workspace, limit, now, onlyReserved);
}
