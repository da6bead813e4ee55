// The change feed between processes sharing one database file. Each connection records, through TEMP
// triggers carrying its own origin, which chats it changed (their row, or a new message); a server reads
// what other origins recorded since it last looked, when SQLite's data_version says another connection
// wrote. Heartbeats are not changes anyone needs to see, so only the columns clients show are watched.
import type { Db } from './db';

const SHOWN_COLUMNS = 'status, title, pin_order, archived, labels, mode, permission_mode, workspace_folder, last_read_message_id, last_error, updated_at';
const KEEP_MS = 10 * 60_000;
/** A diff status another server wrote (its git refresh, its pull request lookup) reaches this one's clients too. */
const DIFF_SHOWN_COLUMNS = 'git_branch, base_branch, changed_files, additions, deletions, url, pull_request_state, pull_request_draft, pull_request_title, pr_error';

export function recordChatChanges(db: Db, origin: string): void {
  const insert = (chatId: string) => `INSERT INTO main.chat_changes (chat_id, origin, changed_at) VALUES (${chatId}, '${origin.replace(/'/g, "''")}', CAST(unixepoch('subsec') * 1000 AS INTEGER));`;
  db.exec(`
    CREATE TEMP TRIGGER IF NOT EXISTS chat_changes_chat_created AFTER INSERT ON main.chats BEGIN ${insert('NEW.id')} END;
    CREATE TEMP TRIGGER IF NOT EXISTS chat_changes_chat_updated AFTER UPDATE OF ${SHOWN_COLUMNS} ON main.chats BEGIN ${insert('NEW.id')} END;
    CREATE TEMP TRIGGER IF NOT EXISTS chat_changes_message_added AFTER INSERT ON main.chat_messages BEGIN ${insert('NEW.chat_id')} END;
    CREATE TEMP TRIGGER IF NOT EXISTS chat_changes_diff_created AFTER INSERT ON main.chat_diff_statuses BEGIN ${insert('NEW.chat_id')} END;
    CREATE TEMP TRIGGER IF NOT EXISTS chat_changes_diff_updated AFTER UPDATE OF ${DIFF_SHOWN_COLUMNS} ON main.chat_diff_statuses BEGIN ${insert('NEW.chat_id')} END;
  `);
}

export function lastChangeSeq(db: Db): number {
  return (db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM chat_changes').get() as { seq: number }).seq;
}

/** Chats other origins changed after `afterSeq`, and the sequence number to read from next time. */
export function changesByOthers(db: Db, afterSeq: number, origin: string): { chatIds: string[]; seq: number } {
  const rows = db.prepare('SELECT seq, chat_id, origin FROM chat_changes WHERE seq > ? ORDER BY seq').all(afterSeq) as Array<{ seq: number; chat_id: string; origin: string }>;
  const chatIds = [...new Set(rows.filter((r) => r.origin !== origin).map((r) => r.chat_id))];
  return { chatIds, seq: rows.length ? rows[rows.length - 1].seq : afterSeq };
}

export function pruneChatChanges(db: Db, now: number): void {
  db.prepare('DELETE FROM chat_changes WHERE changed_at < ?').run(now - KEEP_MS);
}
