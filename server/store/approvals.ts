// Queries over the approval tables: pending actions of chats in `requires_action`, the audit of gate
// decisions, and the rules a chat tree was given ("allow for this chat").
import type { ApprovalNeed, PendingAction, RuleSource, ToolDecisionBy } from '../protocol';
import type { ToolDecisionRecord } from '../protocol/requests';
import { iso } from '../util/time';
import { prepareCached, type Db } from './db';

interface PendingActionRow {
  id: number;
  chat_id: string;
  chat_title: string;
  tool_call_id: string;
  kind: PendingAction['kind'];
  tool_name: string;
  args: string;
  mcp_server_config_id: string | null;
  reason: string;
  needs: string;
  state: PendingAction['state'];
  decision: string | null;
  created_at: number;
  decided_at: number | null;
  deadline_at: number | null;
}

export interface ActionDecision { scope: 'once' | 'chat' | 'always'; rules: string[]; reason?: string }

export interface StoredAction extends PendingAction { decision: ActionDecision | null }

function actionFromRow(r: PendingActionRow): StoredAction {
  return {
    id: r.id, chat_id: r.chat_id, chat_title: r.chat_title, tool_call_id: r.tool_call_id, kind: r.kind, tool_name: r.tool_name, args: r.args,
    mcp_server_config_id: r.mcp_server_config_id, reason: r.reason, needs: JSON.parse(r.needs) as ApprovalNeed[], state: r.state,
    created_at: iso(r.created_at), decided_at: r.decided_at === null ? null : iso(r.decided_at), deadline_at: r.deadline_at === null ? null : iso(r.deadline_at),
    decision: r.decision ? (JSON.parse(r.decision) as ActionDecision) : null,
  };
}

export interface NewPendingAction {
  chatId: string; toolCallId: string; kind: PendingAction['kind']; toolName: string; args: string;
  mcpServerConfigId?: string | null; reason: string; needs: ApprovalNeed[]; createdAt: number; deadlineAt?: number | null;
}

/** A call asked again after a restart keeps its first row (and any decision already made). */
export function insertPendingAction(db: Db, a: NewPendingAction): void {
  prepareCached(db, `INSERT INTO chat_pending_actions (chat_id, tool_call_id, kind, tool_name, args, mcp_server_config_id, reason, needs, created_at, deadline_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (chat_id, tool_call_id) DO NOTHING`)
    .run(a.chatId, a.toolCallId, a.kind, a.toolName, a.args, a.mcpServerConfigId ?? null, a.reason, JSON.stringify(a.needs), a.createdAt, a.deadlineAt ?? null);
}

export function actionsOfChats(db: Db, chatIds: string[], onlyOpen: boolean): StoredAction[] {
  if (chatIds.length === 0) return [];
  const rows = db.prepare(`SELECT a.*, c.title AS chat_title FROM chat_pending_actions a JOIN chats c ON c.id = a.chat_id
    WHERE a.chat_id IN (${chatIds.map(() => '?').join(', ')})${onlyOpen ? " AND a.state = 'pending'" : ''} ORDER BY a.id`)
    .all(...chatIds) as PendingActionRow[];
  return rows.map(actionFromRow);
}

export function getAction(db: Db, chatId: string, toolCallId: string): StoredAction | undefined {
  const row = prepareCached(db, 'SELECT a.*, c.title AS chat_title FROM chat_pending_actions a JOIN chats c ON c.id = a.chat_id WHERE a.chat_id = ? AND a.tool_call_id = ?').get(chatId, toolCallId) as PendingActionRow | undefined;
  return row ? actionFromRow(row) : undefined;
}

/** The first decision wins: false when the action was decided (or cancelled) already. */
export function decideAction(db: Db, chatId: string, toolCallId: string, state: 'allowed' | 'denied', decision: ActionDecision, now: number): boolean {
  return prepareCached(db, `UPDATE chat_pending_actions SET state = ?, decision = ?, decided_at = ? WHERE chat_id = ? AND tool_call_id = ? AND state = 'pending'`)
    .run(state, JSON.stringify(decision), now, chatId, toolCallId).changes > 0;
}

export function openActionCount(db: Db, chatId: string): number {
  return (prepareCached(db, "SELECT COUNT(*) AS n FROM chat_pending_actions WHERE chat_id = ? AND state = 'pending'").get(chatId) as { n: number }).n;
}

/** The chat stopped waiting (interrupt, edit, archive): its open actions will not be decided. */
export function cancelOpenActions(db: Db, chatId: string, now: number): number {
  return prepareCached(db, "UPDATE chat_pending_actions SET state = 'cancelled', decided_at = ? WHERE chat_id = ? AND state = 'pending'").run(now, chatId).changes;
}

export interface NewToolDecision {
  chatId: string; toolCallId: string; toolName: string; subject: string; decision: 'allow' | 'ask' | 'deny';
  by: ToolDecisionBy; rule?: string; source?: RuleSource; reason?: string; createdAt: number;
}

export function recordToolDecision(db: Db, d: NewToolDecision): number {
  return Number(prepareCached(db, `INSERT INTO tool_decisions (chat_id, tool_call_id, tool_name, subject, decision, decided_by, rule, source, reason, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(d.chatId, d.toolCallId, d.toolName, d.subject, d.decision, d.by, d.rule ?? null, d.source ?? null, d.reason ?? null, d.createdAt).lastInsertRowid);
}

export function recordToolOutcome(db: Db, decisionId: number, ok: boolean): void {
  prepareCached(db, 'UPDATE tool_decisions SET outcome = ? WHERE id = ?').run(ok ? 1 : 2, decisionId);
}

export function listToolDecisions(db: Db, chatId: string, limit: number): ToolDecisionRecord[] {
  const rows = prepareCached(db, 'SELECT * FROM tool_decisions WHERE chat_id = ? ORDER BY id DESC LIMIT ?').all(chatId, limit) as Array<Omit<ToolDecisionRecord, 'outcome' | 'created_at'> & { outcome: number | null; created_at: number }>;
  return rows.reverse().map((r) => ({ ...r, outcome: r.outcome === 1 ? 'ok' : r.outcome === 2 ? 'failed' : null, created_at: iso(r.created_at) }));
}

export function chatRules(db: Db, rootChatId: string): Array<{ rule: string; source: 'chat' | 'cli' }> {
  return prepareCached(db, 'SELECT rule, source FROM chat_permission_rules WHERE chat_id = ? ORDER BY created_at, rule').all(rootChatId) as Array<{ rule: string; source: 'chat' | 'cli' }>;
}

export function addChatRules(db: Db, rootChatId: string, rules: string[], source: 'chat' | 'cli', now: number): void {
  const ins = prepareCached(db, 'INSERT INTO chat_permission_rules (chat_id, rule, source, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
  for (const r of rules) ins.run(rootChatId, r, source, now);
}

export function latestDecisionId(db: Db, chatId: string, toolCallId: string): number | undefined {
  return (prepareCached(db, 'SELECT MAX(id) AS id FROM tool_decisions WHERE chat_id = ? AND tool_call_id = ?').get(chatId, toolCallId) as { id: number | null }).id ?? undefined;
}

/** A client's result for a dynamic call: false when the call is no longer pending (another post won). */
export function answerDynamicAction(db: Db, chatId: string, toolCallId: string, state: 'answered' | 'timed_out', now: number): boolean {
  return prepareCached(db, `UPDATE chat_pending_actions SET state = ?, decided_at = ? WHERE chat_id = ? AND tool_call_id = ? AND kind = 'dynamic' AND state = 'pending'`)
    .run(state, now, chatId, toolCallId).changes > 0;
}

/** Chats with a dynamic call past its deadline. */
export function chatsWithExpiredCalls(db: Db, now: number, limit = 50): string[] {
  return (prepareCached(db, `SELECT DISTINCT chat_id FROM chat_pending_actions WHERE state = 'pending' AND kind = 'dynamic' AND deadline_at <= ? LIMIT ?`)
    .all(now, limit) as Array<{ chat_id: string }>).map((r) => r.chat_id);
}
