// Approvals: the policy a chat's calls are judged by, the calls it waits on, and a person's decision on
// them (allow once, for this chat, always with a rule, or deny with a reason the model reads). The chat
// waits in `requires_action` until every call is decided, then goes back to `pending` and the worker
// runs what was allowed.
import type { z } from 'zod';
import { actionRequiredEvent } from '../protocol/types';
import type { AppContext } from '../context';
import { chatPayload, emitStatus, requireChat } from '../chats/lifecycle';
import { moveChat } from '../chats/status';
import { AppError, badRequest, conflict, notFound } from '../errors';
import { log } from '../logger';
import type { PendingAction } from '../protocol';
import type { DecideParams, DecideResult, ToolDecisionRecord } from '../protocol/requests';
import {
  actionsOfChats, addChatRules, chatRules, decideAction, getAction, listToolDecisions, openActionCount, recordToolDecision,
} from '../store/approvals';
import { familyIds, getChatRow } from '../store/chats';
import type { ChatRow } from '../store/rows';
import { writeAllowRules } from '../settings/settingsFile';
import { compileRule, compileRules, mergeRules, type PermissionPolicy } from './rules';
import { compiledPermissions, withAllowRules } from './settings';

export const rootOf = (ctx: AppContext, chat: ChatRow): ChatRow => (chat.root_chat_id ? getChatRow(ctx.db, chat.root_chat_id) ?? chat : chat);

/** The mode and rules a chat's calls are judged by: its root chat's mode and rules, and the settings'. */
export function policyForChat(ctx: AppContext, chat: ChatRow): PermissionPolicy {
  const root = rootOf(ctx, chat);
  const own = chatRules(ctx.db, root.id);
  const chatSet = compileRules([
    { rules: own.filter((r) => r.source === 'chat').map((r) => r.rule), list: 'allow', source: 'chat' },
    { rules: own.filter((r) => r.source === 'cli').map((r) => r.rule), list: 'allow', source: 'cli' },
  ]).rules;
  return {
    mode: root.permission_mode ?? ctx.settings.permissions.defaultMode,
    rules: mergeRules(compiledPermissions(ctx.settings.permissions).rules, chatSet),
  };
}

/** The open calls of a chat, and with `include_subagents` those of its whole tree (a child's approval shows in its parent's panel). */
export function listPendingActions(ctx: AppContext, chatId: string, includeSubagents: boolean): PendingAction[] {
  const chat = requireChat(ctx, chatId);
  const ids = includeSubagents ? familyIds(ctx.db, chat.root_chat_id ?? chat.id) : [chat.id];
  return actionsOfChats(ctx.db, ids, true).map(({ decision: _d, ...a }) => a);
}

function validRules(rules: string[]): string[] {
  rules.forEach((r, i) => {
    try {
      compileRule(r, 'allow', 'user');
    } catch (err) {
      throw badRequest((err as Error).message, undefined, `rules.${i}`);
    }
  });
  return rules.map((r) => r.trim());
}

/** "Always allow": the rules join the user's allow list, where the settings live. */
export function addAlwaysAllowRules(ctx: AppContext, rules: string[]): void {
  if (ctx.settingsOwner.kind === 'file') writeAllowRules(ctx.settingsOwner.path, ctx.settings, rules);
  ctx.settings = { ...ctx.settings, permissions: withAllowRules(ctx.settings.permissions, rules) };
  ctx.client.permissionRulesAdded?.(rules);
}

export function decidePendingAction(ctx: AppContext, p: z.output<typeof DecideParams>): DecideResult {
  let rules: string[] = [];
  let resumed = false;
  ctx.db.transaction(() => {
    const chat = requireChat(ctx, p.chat_id);
    const action = getAction(ctx.db, chat.id, p.tool_call_id);
    if (!action) throw notFound('Pending action not found.', `Chat ${chat.id} has no call ${p.tool_call_id} waiting.`);
    if (action.kind !== 'approval') throw badRequest('This call waits for a client tool result, not an approval.', 'Post its result to tool-results.', 'tool_call_id');
    // While the step's allowed calls still run (running), the card is already shown and may be answered.
    if (chat.status !== 'requires_action' && chat.status !== 'running') throw conflict('Chat is not waiting for a decision.', `Its status is ${chat.status}.`);
    if (action.state !== 'pending') throw conflict('This call was already decided.', `It is ${action.state}.`);
    const allow = p.decision !== 'deny';
    if (p.decision === 'allow_chat' || p.decision === 'allow_always') rules = validRules(p.rules ?? action.needs.map((n) => n.rule));
    if (rules.length === 0 && (p.decision === 'allow_chat' || p.decision === 'allow_always')) throw badRequest('No rule to save: give rules.', undefined, 'rules');
    const scope = p.decision === 'allow_chat' ? 'chat' : p.decision === 'allow_always' ? 'always' : 'once';
    const now = ctx.now();
    if (!decideAction(ctx.db, chat.id, p.tool_call_id, allow ? 'allowed' : 'denied', { scope, rules, reason: p.reason }, now)) {
      throw conflict('This call was already decided.');
    }
    if (scope === 'chat') addChatRules(ctx.db, rootOf(ctx, chat).id, rules, 'chat', now);
    recordToolDecision(ctx.db, {
      chatId: chat.id, toolCallId: p.tool_call_id, toolName: action.tool_name, subject: action.needs.map((n) => n.subject).join('; ') || action.tool_name,
      decision: allow ? 'allow' : 'deny', by: 'user', rule: rules.join(', ') || undefined, source: scope === 'chat' ? 'chat' : scope === 'always' ? 'user' : undefined,
      reason: p.reason ?? `${p.decision.replace('_', ' ')}`, createdAt: now,
    });
    if (openActionCount(ctx.db, chat.id) === 0) resumed = moveChat(ctx.db, chat.id, 'pending', { updated_at: now }, { from: ['requires_action'] });
  }).immediate();
  if (p.decision === 'allow_always') {
    try {
      addAlwaysAllowRules(ctx, rules);
    } catch (err) {
      // The call still runs (it was allowed); the rule could not be kept.
      log.warn('an "always allow" rule was not saved', { error: (err as Error).message });
      throw new AppError(500, `The call was allowed, but the rule was not saved: ${(err as Error).message}`);
    }
  }
  const open = listPendingActions(ctx, p.chat_id, false);
  ctx.events.stream(p.chat_id, actionRequiredEvent(open));
  const chat = resumed ? emitStatus(ctx, p.chat_id) : chatPayload(ctx, p.chat_id);
  if (resumed) ctx.wake();
  const action = getAction(ctx.db, p.chat_id, p.tool_call_id);
  if (!action) throw new AppError(500, 'the decided call vanished');
  const { decision: _d, ...payload } = action;
  return { action: payload, chat, rules_added: rules };
}

export function listChatToolDecisions(ctx: AppContext, chatId: string, limit = 200): ToolDecisionRecord[] {
  requireChat(ctx, chatId);
  return listToolDecisions(ctx.db, chatId, limit);
}
