// Queries over `chats` and `chat_labels`.
import type { Chat } from '../protocol';
import { MATCHES_CHAT } from './search';
import { prepareCached, type Db } from './db';
import { chatFromRow, type ChatRow } from './rows';
import { DIFF_STATUS_JSON } from './diffStatuses';

const CHILD_COUNT = `(SELECT COUNT(*) FROM chats k WHERE k.parent_chat_id = c.id)`;
/** The chat or one of its subagents waits for a decision (the open-actions index is small: it holds only open calls). */
const AWAITING = `EXISTS (SELECT 1 FROM chat_pending_actions a JOIN chats k ON k.id = a.chat_id WHERE a.state = 'pending' AND (k.id = c.id OR k.root_chat_id = c.id))`;
const HAS_UNREAD = `EXISTS (SELECT 1 FROM chat_messages m WHERE m.chat_id = c.id AND m.role = 'assistant' AND m.deleted = 0 AND m.id > COALESCE(c.last_read_message_id, 0))`;

type ListedRow = ChatRow & { has_unread: number; child_count: number; awaiting: number; diff_status: string | null };

export function getChatRow(db: Db, id: string): ChatRow | undefined {
  return db.prepare<[string], ChatRow>('SELECT * FROM chats WHERE id = ?').get(id);
}

export function getChat(db: Db, id: string): Chat | undefined {
  const row = prepareCached(db, `SELECT c.*, ${HAS_UNREAD} AS has_unread, ${CHILD_COUNT} AS child_count, ${AWAITING} AS awaiting, ${DIFF_STATUS_JSON} AS diff_status FROM chats c WHERE c.id = ?`).get(id) as ListedRow | undefined;
  return row ? chatFromRow(row, row.has_unread === 1, row.child_count, row.awaiting === 1, row.diff_status) : undefined;
}

function labelCount(db: Db, key: string, value: string): number {
  return (db.prepare<[string, string], { n: number }>('SELECT COUNT(*) AS n FROM chat_labels WHERE key = ? AND value = ?').get(key, value) as { n: number }).n;
}

export interface ChatListFilter {
  workspace?: string;
  archived: boolean;
  labels: Array<[string, string]>;
  hasUnread?: boolean;
  /** An FTS5 query (store/search.ts): the chat's title, labels or a visible message matches it. */
  textQuery?: string;
  clientType?: ChatRow['client_type'];
  parentChatId?: string;
  /** Sort key of the cursor row: rows strictly after it are returned. */
  after?: { pin_sort: number; updated_at: number; id: string };
  limit: number;
}

/**
 * Pinned first (pin_order ascending), then updated_at desc, id desc. Root chats unless a parent is given.
 * Served by idx_chats_list / idx_chats_list_workspace; with a label filter, by idx_chat_labels_list, whose
 * rows carry the chats' sort keys (migration 6), walked in list order from the rarest label.
 */
export function listChats(db: Db, f: ChatListFilter): Chat[] {
  // The rows are walked in list order from `src`: the chats, or the rows of the driving label.
  const labels = f.labels.length > 1
    ? [...f.labels].sort((a, b) => labelCount(db, a[0], a[1]) - labelCount(db, b[0], b[1]))
    : f.labels;
  const driver = labels[0];
  const src = driver ? 'd' : 'c';
  const where: string[] = [`${src}.archived = ?`];
  const args: unknown[] = [];
  if (driver) {
    where.unshift('d.key = ?', 'd.value = ?');
    args.push(driver[0], driver[1]);
  }
  args.push(f.archived ? 1 : 0);
  if (f.parentChatId) {
    where.push('c.parent_chat_id = ?');
    args.push(f.parentChatId);
  } else {
    where.push('c.parent_chat_id IS NULL');
  }
  if (f.workspace !== undefined) {
    where.push('c.workspace = ?');
    args.push(f.workspace);
  }
  for (const [key, value] of labels.slice(1)) {
    where.push('EXISTS (SELECT 1 FROM chat_labels l WHERE l.chat_id = c.id AND l.key = ? AND l.value = ?)');
    args.push(key, value);
  }
  if (f.hasUnread !== undefined) where.push(f.hasUnread ? HAS_UNREAD : `NOT ${HAS_UNREAD}`);
  if (f.textQuery) {
    where.push(MATCHES_CHAT);
    args.push(f.textQuery);
  }
  if (f.clientType) {
    where.push('c.client_type = ?');
    args.push(f.clientType);
  }
  const id = driver ? 'd.chat_id' : 'c.id';
  if (f.after) {
    where.push(`(${src}.pin_sort > ? OR (${src}.pin_sort = ? AND (${src}.updated_at < ? OR (${src}.updated_at = ? AND ${id} < ?))))`);
    args.push(f.after.pin_sort, f.after.pin_sort, f.after.updated_at, f.after.updated_at, f.after.id);
  }
  const from = driver ? 'chat_labels d JOIN chats c ON c.id = d.chat_id' : 'chats c';
  // has_unread is computed for the page only, not for every candidate row before the sort.
  const inner = `SELECT c.* FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${src}.pin_sort ASC, ${src}.updated_at DESC, ${id} DESC LIMIT ?`;
  const order = 'ORDER BY c.pin_sort ASC, c.updated_at DESC, c.id DESC';
  const sql = `SELECT c.*, ${HAS_UNREAD} AS has_unread, ${CHILD_COUNT} AS child_count, ${AWAITING} AS awaiting, ${DIFF_STATUS_JSON} AS diff_status FROM (${inner}) c ${order}`;
  args.push(f.limit);
  const rows = prepareCached(db, sql).all(...args) as ListedRow[];
  return rows.map((r) => chatFromRow(r, r.has_unread === 1, r.child_count, r.awaiting === 1, r.diff_status));
}

export function cursorOf(db: Db, id: string): { pin_sort: number; updated_at: number; id: string } | undefined {
  return db.prepare<[string], { pin_sort: number; updated_at: number; id: string }>('SELECT pin_sort, updated_at, id FROM chats WHERE id = ?').get(id);
}

export function replaceLabels(db: Db, chatId: string, labels: Record<string, string>): void {
  db.prepare('DELETE FROM chat_labels WHERE chat_id = ?').run(chatId);
  const ins = db.prepare('INSERT INTO chat_labels (chat_id, key, value) VALUES (?, ?, ?)');
  for (const [k, v] of Object.entries(labels)) ins.run(chatId, k, v);
  db.prepare('UPDATE chats SET labels = ? WHERE id = ?').run(JSON.stringify(labels), chatId);
}

/** Chat ids of a family: the chat itself and every chat whose root it is. */
export function familyIds(db: Db, rootId: string): string[] {
  return db.prepare<[string, string], { id: string }>('SELECT id FROM chats WHERE id = ? OR root_chat_id = ?').all(rootId, rootId).map((r) => r.id);
}

/** Columns a status change may set beside `status`. */
export interface ChatStatusColumns {
  worker_id?: string | null;
  run_id?: string | null;
  heartbeat_at?: number | null;
  started_at?: number | null;
  last_error?: string | null;
  recovery_count?: number;
  updated_at?: number;
  last_model_config_id?: string | null;
  mode?: ChatRow['mode'];
}

export function readChatStatus(db: Db, id: string): { status: ChatRow['status']; run_id: string | null; recovery_count: number } | undefined {
  return prepareCached(db, 'SELECT status, run_id, recovery_count FROM chats WHERE id = ?').get(id) as { status: ChatRow['status']; run_id: string | null; recovery_count: number } | undefined;
}

/** Only chats/status.ts calls this: every status write goes through its transition table. */
export function writeChatStatus(db: Db, id: string, status: ChatRow['status'], cols: ChatStatusColumns): void {
  const names = Object.keys(cols).filter((k) => cols[k as keyof ChatStatusColumns] !== undefined);
  const sets = ['status = @status', ...names.map((n) => `${n} = @${n}`)];
  prepareCached(db, `UPDATE chats SET ${sets.join(', ')} WHERE id = @id`).run({ ...cols, status, id });
}

/**
 * pending → running for up to `limit` chats of the workspace, each with a new run id: chats free for anyone
 * and those reserved for this worker, or (`onlyReserved`) only the latter. Only chats/status.ts calls this.
 */
export function acquirePendingRows(db: Db, workerId: string, workspace: string, limit: number, now: number, onlyReserved: boolean): ChatRow[] {
  const who = onlyReserved ? 'reserved_by = @worker' : '(reserved_by IS NULL OR reserved_by = @worker)';
  return prepareCached(db, `UPDATE chats SET status = 'running', worker_id = @worker, run_id = lower(hex(randomblob(16))), started_at = @now, heartbeat_at = @now
    WHERE id IN (SELECT id FROM chats WHERE status = 'pending' AND archived = 0 AND workspace = @workspace AND ${who}
      ORDER BY updated_at, id LIMIT @limit)
    RETURNING *`).all({ worker: workerId, now, workspace, limit }) as ChatRow[];
}

export function setWorkspaceFolder(db: Db, id: string, folder: string | null): void {
  db.prepare('UPDATE chats SET workspace_folder = ? WHERE id = ?').run(folder, id);
}

/** Running chats of a workspace (for stale recovery). */
export function runningChats(db: Db, workspace: string): ChatRow[] {
  return db.prepare("SELECT * FROM chats WHERE status = 'running' AND workspace = ?").all(workspace) as ChatRow[];
}

/** Reservations of workers that are gone: the chats are free for any worker again. */
export function reservedWorkers(db: Db, workspace: string): string[] {
  return (db.prepare("SELECT DISTINCT reserved_by FROM chats WHERE reserved_by IS NOT NULL AND workspace = ? AND status IN ('pending', 'running')").all(workspace) as Array<{ reserved_by: string }>).map((r) => r.reserved_by);
}

export function releaseReservations(db: Db, workerId: string): void {
  db.prepare('UPDATE chats SET reserved_by = NULL WHERE reserved_by = ?').run(workerId);
}

/** Idle chats whose queue was left behind (their worker died before promoting it). */
export function idleChatsWithQueue(db: Db, workspace: string, updatedBefore: number): string[] {
  return (db.prepare(`SELECT c.id FROM chats c WHERE c.status IN ('waiting', 'error') AND c.workspace = ? AND c.archived = 0
    AND c.updated_at < ? AND EXISTS (SELECT 1 FROM chat_queued_messages q WHERE q.chat_id = c.id)`).all(workspace, updatedBefore) as Array<{ id: string }>).map((r) => r.id);
}

export function heartbeatRun(db: Db, id: string, workerId: string, runId: string, now: number): boolean {
  return prepareCached(db, "UPDATE chats SET heartbeat_at = ? WHERE id = ? AND worker_id = ? AND run_id = ? AND status = 'running'").run(now, id, workerId, runId).changes > 0;
}

export function runState(db: Db, id: string): { status: ChatRow['status']; worker_id: string | null; run_id: string | null } | undefined {
  return prepareCached(db, 'SELECT status, worker_id, run_id FROM chats WHERE id = ?').get(id) as { status: ChatRow['status']; worker_id: string | null; run_id: string | null } | undefined;
}

export interface NewChatRow {
  id: string;
  workspace: string;
  workspace_folder: string | null;
  title: string;
  status: ChatRow['status'];
  mode: ChatRow['mode'];
  client_type: ChatRow['client_type'];
  last_model_config_id: string;
  mcp_server_ids: string;
  system_prompt?: string | null;
  session_key?: string | null;
  permission_mode?: ChatRow['permission_mode'];
  reserved_by?: string | null;
  dynamic_tools?: string | null;
  parent_chat_id?: string | null;
  parent_tool_call_id?: string | null;
  root_chat_id?: string | null;
  created_at: number;
}

/** Only chats/status.ts's callers create chats, in its initial status. */
export function insertChatRow(db: Db, c: NewChatRow): void {
  db.prepare(`INSERT INTO chats (id, workspace, workspace_folder, title, status, parent_chat_id, parent_tool_call_id, root_chat_id, mode, client_type,
      labels, last_model_config_id, mcp_server_ids, system_prompt, session_key, permission_mode, reserved_by, dynamic_tools, created_at, updated_at)
    VALUES (@id, @workspace, @workspace_folder, @title, @status, @parent_chat_id, @parent_tool_call_id, @root_chat_id, @mode, @client_type,
      '{}', @last_model_config_id, @mcp_server_ids, @system_prompt, @session_key, @permission_mode, @reserved_by, @dynamic_tools, @created_at, @created_at)`).run({
    system_prompt: null, session_key: null, permission_mode: null, reserved_by: null, parent_chat_id: null, parent_tool_call_id: null, root_chat_id: null, dynamic_tools: null, ...c,
  });
}

export function updateChatColumns(db: Db, id: string, cols: Partial<Pick<ChatRow, 'title' | 'mode' | 'permission_mode' | 'workspace_folder' | 'mcp_server_ids' | 'updated_at'>>): void {
  const names = Object.keys(cols).filter((k) => cols[k as keyof typeof cols] !== undefined);
  if (names.length === 0) return;
  db.prepare(`UPDATE chats SET ${names.map((n) => `${n} = @${n}`).join(', ')} WHERE id = @id`).run({ ...cols, id });
}

export function setArchivedColumns(db: Db, id: string, archived: boolean, now: number): void {
  db.prepare(`UPDATE chats SET archived = ?, ${archived ? 'pin_order = 0, ' : ''}updated_at = ? WHERE id = ?`).run(archived ? 1 : 0, now, id);
}

export function markReadToNewest(db: Db, chatId: string): boolean {
  return db.prepare(`UPDATE chats SET last_read_message_id = (SELECT MAX(id) FROM chat_messages WHERE chat_id = chats.id AND deleted = 0)
    WHERE id = ? AND COALESCE(last_read_message_id, 0) IS NOT COALESCE((SELECT MAX(id) FROM chat_messages WHERE chat_id = chats.id AND deleted = 0), 0)`).run(chatId).changes > 0;
}

/** Reserves an idle chat for one worker; false when it works or waits (pending, running, requires_action). */
export function reserveIdleChat(db: Db, chatId: string, workerId: string): boolean {
  return db.prepare("UPDATE chats SET reserved_by = ? WHERE id = ? AND status NOT IN ('pending', 'running', 'requires_action')").run(workerId, chatId).changes > 0;
}
