// The request log's rows: one per attempt sent to a provider. The usage_slots rollup follows by trigger.
import type { ModelRequest } from '../protocol/usage';
import { iso } from '../util/time';
import { prepareCached, type Db } from './db';

export interface ModelRequestInsert {
  chatId: string | null;
  messageId: number | null;
  sessionKey: string;
  kind: ModelRequest['kind'];
  provider: string;
  providerId: string | null;
  providerName: string;
  modelConfigId: string | null;
  model: string;
  api: string;
  credentialKind: string;
  credentialHint: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  reasoningTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  costMicros: number | null;
  statusCode: number | null;
  outcome: ModelRequest['outcome'];
  errorKind: string | null;
  error: string | null;
  attempt: number;
  startedAt: number;
  durationMs: number | null;
  ttftMs: number | null;
}

export function insertModelRequest(db: Db, r: ModelRequestInsert): number {
  const info = prepareCached(db, `INSERT INTO model_requests (chat_id, message_id, session_key, kind, provider, provider_id, provider_name, model_config_id, model, api,
      credential_kind, credential_hint, input_tokens, output_tokens, reasoning_tokens, cache_read_input_tokens, cache_write_input_tokens, cost_micros,
      status_code, outcome, error_kind, error, attempt, started_at, duration_ms, ttft_ms)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
    r.chatId, r.messageId, r.sessionKey, r.kind, r.provider, r.providerId, r.providerName, r.modelConfigId, r.model, r.api,
    r.credentialKind, r.credentialHint, r.inputTokens, r.outputTokens, r.reasoningTokens, r.cacheReadTokens, r.cacheWriteTokens, r.costMicros,
    r.statusCode, r.outcome, r.errorKind, r.error, r.attempt, r.startedAt, r.durationMs, r.ttftMs,
  );
  return Number(info.lastInsertRowid);
}

/** The requests of a step belong to the assistant message the step produced. */
export function linkRequestsToMessage(db: Db, requestIds: number[], messageId: number): void {
  const stmt = prepareCached(db, 'UPDATE model_requests SET message_id = ? WHERE id = ?');
  db.transaction(() => { for (const id of requestIds) stmt.run(messageId, id); })();
}

export interface ModelRequestFilter {
  chatId?: string;
  model?: string;
  providerName?: string;
  outcome?: string;
  kind?: string;
  fromMs?: number;
  toMs?: number;
  beforeId?: number;
  limit: number;
}

interface ModelRequestRow {
  id: number; chat_id: string | null; chat_title: string | null; message_id: number | null; session_key: string; kind: ModelRequest['kind'];
  provider: string; provider_name: string; model: string; api: string; credential_kind: string; credential_hint: string | null;
  input_tokens: number | null; output_tokens: number | null; reasoning_tokens: number | null; cache_read_input_tokens: number | null;
  cache_write_input_tokens: number | null; cost_micros: number | null; started_at: number; duration_ms: number | null; ttft_ms: number | null;
  status_code: number | null; outcome: ModelRequest['outcome']; error_kind: ModelRequest['error_kind']; error: string | null; attempt: number;
}

/** Newest first, one page; a chat's filter takes in its subagents' requests. */
export function listModelRequests(db: Db, f: ModelRequestFilter): ModelRequest[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.chatId) {
    where.push('(r.chat_id = ? OR r.chat_id IN (SELECT id FROM chats WHERE root_chat_id = ?))');
    args.push(f.chatId, f.chatId);
  }
  if (f.model) { where.push('r.model = ?'); args.push(f.model); }
  if (f.providerName) { where.push('r.provider_name = ?'); args.push(f.providerName); }
  if (f.outcome) { where.push('r.outcome = ?'); args.push(f.outcome); }
  if (f.kind) { where.push('r.kind = ?'); args.push(f.kind); }
  if (f.fromMs !== undefined) { where.push('r.started_at >= ?'); args.push(f.fromMs); }
  if (f.toMs !== undefined) { where.push('r.started_at < ?'); args.push(f.toMs); }
  if (f.beforeId !== undefined) { where.push('r.id < ?'); args.push(f.beforeId); }
  args.push(f.limit);
  const rows = prepareCached(db, `SELECT r.id, r.chat_id, c.title AS chat_title, r.message_id, r.session_key, r.kind, r.provider, r.provider_name, r.model, r.api,
      r.credential_kind, r.credential_hint, r.input_tokens, r.output_tokens, r.reasoning_tokens, r.cache_read_input_tokens, r.cache_write_input_tokens,
      r.cost_micros, r.started_at, r.duration_ms, r.ttft_ms, r.status_code, r.outcome, r.error_kind, r.error, r.attempt
    FROM model_requests r LEFT JOIN chats c ON c.id = r.chat_id
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.id DESC LIMIT ?`).all(...args) as ModelRequestRow[];
  return rows.map((r) => ({ ...r, started_at: iso(r.started_at) }));
}
