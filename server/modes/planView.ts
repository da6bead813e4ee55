// What the panel needs to show a chat's plan, its approval, and the files linked to a chat.
import { existsSync, readFileSync } from 'node:fs';
import type { AppContext } from '../context';
import { conflict } from '../errors';
import { requireChat, sendMessage } from '../chats/lifecycle';
import type { ChatFile } from '../protocol';
import type { ChatPlan, SendMessageResult } from '../protocol/requests';
import type { ParsedParams } from '../protocol/schemas';
import { hasPlanFile, listChatFileRows } from '../store/files';
import { planFilePath } from './plan';

export function getChatPlan(ctx: AppContext, chatId: string): ChatPlan {
  const chat = requireChat(ctx, chatId);
  const folder = chat.workspace_folder ?? ctx.workspace.folders[0] ?? '.';
  const file = planFilePath(folder, chat.id, ctx.settings.planDirectory);
  const exists = existsSync(file);
  const proposed = hasPlanFile(ctx.db, chat.id);
  return { path: file, exists, content: exists ? readFileSync(file, 'utf8') : null, proposed };
}

export function listChatFiles(ctx: AppContext, chatId: string): ChatFile[] {
  requireChat(ctx, chatId);
  return listChatFileRows(ctx.db, chatId);
}

const APPROVED = 'The plan is approved. Implement it.';

/** Approve: the chat leaves plan mode and implements the plan, with the user's changes when given. */
export function approvePlan(ctx: AppContext, p: ParsedParams<'ApprovePlan'>): SendMessageResult {
  const chat = requireChat(ctx, p.chat_id);
  if (chat.mode !== 'plan') throw conflict('Chat is not in plan mode.', `Its mode is ${chat.mode}; there is no plan to approve.`);
  const text = p.edit ? `${APPROVED}\n\nChanges to the plan before you start:\n${p.edit}` : APPROVED;
  return sendMessage(ctx, { chat_id: p.chat_id, content: [{ type: 'text', text }], mode: 'default' });
}
