// After the first exchange, a generated title replaces the fallback one; failures keep the fallback.
import type { AppContext } from '../context';
import type { Chat } from '../protocol';
import { chatPayload } from '../chats/lifecycle';
import { fallbackTitle, firstText } from '../chats/titles';
import { generateTitle } from '../llm/title';
import { log } from '../logger';
import { resolveTurnModel } from '../models/modelConfigs';
import { getChatRow } from '../store/chats';
import { allVisibleMessages } from '../store/messages';
import { modelTarget } from './modelTarget';
import { recordModelRequest, sessionKeyOf } from '../usage/requestLog';
import { assertWithinSpendLimits } from '../usage/spendLimit';
import type { ChatErrorKind, ChatUsage } from '../protocol';

export async function maybeGenerateTitle(ctx: AppContext, chatId: string, force = false): Promise<void> {
  const chat = getChatRow(ctx.db, chatId);
  if (!chat || chat.parent_chat_id) return;
  const messages = allVisibleMessages(ctx.db, chatId);
  const users = messages.filter((m) => m.role === 'user');
  if (users.length === 0) return;
  const text = firstText(users[0].content);
  if (!force && (users.length !== 1 || (chat.title !== '' && chat.title !== fallbackTitle(text)))) return;
  let target: ReturnType<typeof modelTarget> | undefined;
  const origin = { chatId, sessionKey: sessionKeyOf(ctx, chat), kind: 'title' as const };
  const started = Date.now();
  try {
    // Over a spend limit the fallback title stays: no request.
    assertWithinSpendLimits(ctx);
    target = modelTarget(ctx, resolveTurnModel(ctx.db, [chat.last_model_config_id]));
    let usage: ChatUsage | undefined;
    const title = await generateTitle(target, text, undefined, (u) => { usage = u; });
    recordModelRequest(ctx, origin, target, { statusCode: 200, usage, startedAt: started, durationMs: Date.now() - started });
    const current = getChatRow(ctx.db, chatId);
    // The user may have renamed the chat while the title was generated.
    if (!current || (!force && current.title !== chat.title)) return;
    ctx.db.prepare('UPDATE chats SET title = ? WHERE id = ?').run(title, chatId);
    ctx.events.watch('title_change', chatPayload(ctx, chatId));
  } catch (err) {
    const e = err as Error & { statusCode?: number };
    if (target) recordModelRequest(ctx, origin, target, { statusCode: e.statusCode, error: e.message, errorKind: (e as { kind?: ChatErrorKind }).kind, startedAt: started, durationMs: Date.now() - started });
    log.info('title generation failed; keeping the fallback title', { chat_id: chatId, error: (err as Error).message });
    if (force) throw err;
  }
}

/** The user asked for a new title: errors are theirs to see, and the chat comes back with it. */
export async function regenerateTitle(ctx: AppContext, chatId: string): Promise<Chat> {
  chatPayload(ctx, chatId);
  await maybeGenerateTitle(ctx, chatId, true);
  return chatPayload(ctx, chatId);
}
