// Full-text search (migration 9's chat_search): the best-ranked chats for some words, each with the
// matching message and a snippet. A title match counts twice a message match (the rank's column weights).
import type { ChatListFilter } from './chats';
import { prepareCached, type Db } from './db';

export interface SearchHit { chat_id: string; message_id: number | null; kind: 'title' | 'message'; snippet: string; rank: number }

/**
 * Words → an FTS5 query: each word quoted (no FTS syntax from users), the last one a prefix, all of them
 * required. Undefined when nothing searchable is left.
 */
export function ftsQuery(text: string): string | undefined {
  const words = text.normalize('NFKC').split(/[^\p{L}\p{N}_]+/u).filter(Boolean).slice(0, 20);
  if (words.length === 0) return undefined;
  return words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}

/** The SQL condition "chat c matches": for the chat list's `q`. */
export const MATCHES_CHAT = 'c.id IN (SELECT chat_id FROM chat_search WHERE chat_search MATCH ?)';

/** Matches looked at per search: the best ones by rank, before grouping by chat and filtering. */
const TOP_HITS = 500;

export function searchChats(db: Db, query: string, f: Pick<ChatListFilter, 'workspace' | 'archived'>, limit: number): SearchHit[] {
  const where = ['c.archived = ?'];
  const args: unknown[] = [query, TOP_HITS, f.archived ? 1 : 0];
  if (f.workspace !== undefined) {
    where.push('c.workspace = ?');
    args.push(f.workspace);
  }
  args.push(limit);
  // FTS5 finds the top matches by rank without sorting them all; per chat the best one is kept.
  const sql = `
    WITH hits AS (
      SELECT chat_id, message_id, kind, snippet(chat_search, -1, '«', '»', '…', 12) AS snippet, rank
      FROM chat_search WHERE chat_search MATCH ? ORDER BY rank LIMIT ?
    ), best AS (
      SELECT h.*, ROW_NUMBER() OVER (PARTITION BY h.chat_id ORDER BY h.rank, h.message_id DESC) AS n FROM hits h
    )
    SELECT b.chat_id, b.message_id, b.kind, b.snippet, b.rank FROM best b JOIN chats c ON c.id = b.chat_id
    WHERE b.n = 1 AND ${where.join(' AND ')} ORDER BY b.rank LIMIT ?`;
  return prepareCached(db, sql).all(...args) as SearchHit[];
}
