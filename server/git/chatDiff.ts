// The diff status requests: read what is stored (a subagent answers with its root chat's), refresh now, and
// the GitHub token the extension hands over from VS Code's session.
import type { z } from 'zod';
import type { AppContext } from '../context';
import { badRequest } from '../errors';
import { requireChat } from '../chats/lifecycle';
import type { ChatDiff, SetGitHubTokenParams } from '../protocol/requests';
import { diffFiles, getDiffStatusRow, makeFailedPullRequestsDue } from '../store/diffStatuses';
import { getChat } from '../store/chats';

export function chatDiff(ctx: AppContext, chatId: string): ChatDiff {
  const row = requireChat(ctx, chatId);
  const rootId = row.root_chat_id ?? row.id;
  const stored = getDiffStatusRow(ctx.db, rootId);
  return { chat_id: rootId, diff_status: stored ? getChat(ctx.db, rootId)?.diff_status ?? null : null, files: stored ? diffFiles(stored) : [] };
}

export async function refreshChatDiff(ctx: AppContext, chatId: string): Promise<ChatDiff> {
  const row = requireChat(ctx, chatId);
  if (!ctx.workspace.trusted) throw badRequest('Git is not read in an untrusted workspace.', 'Trust the workspace to see its branch and pull request.', 'chat_id');
  if (!ctx.diffStatus) throw badRequest('This server does not read git (a read-only command).', undefined, 'chat_id');
  await ctx.diffStatus.refreshForUser(row.root_chat_id ?? row.id);
  return chatDiff(ctx, chatId);
}

export function setGitHubToken(ctx: AppContext, p: z.output<typeof SetGitHubTokenParams>): null {
  const tokens = ctx.diffStatus?.tokens;
  if (!tokens) return null;
  const changed = tokens.clientToken(p.host) !== (p.token ?? undefined);
  tokens.setClientToken(p.host, p.token);
  // Signed in (or out): what failed for want of access is worth asking again now, not after its backoff.
  if (changed) makeFailedPullRequestsDue(ctx.db, ctx.now());
  return null;
}
