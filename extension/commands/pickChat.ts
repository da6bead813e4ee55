// Commands get a chat from a tree item, an id, the active chat view, or a quick pick.
import * as vscode from 'vscode';
import type { Chat } from '../../server/protocol';
import type { AgentsContext } from '../context';

export async function chatIdFrom(ctx: AgentsContext, arg: unknown, placeholder: string, filter: (c: Chat) => boolean = () => true): Promise<string | undefined> {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && typeof (arg as Chat).id === 'string' && 'status' in arg) return (arg as Chat).id;
  const activeId = ctx.panels.activeHost?.chatId;
  if (activeId && filter(ctx.index.get(activeId) ?? ({} as Chat))) return activeId;
  await ctx.server.start();
  if (!ctx.index.isLoaded) await ctx.index.reload();
  const picked = await vscode.window.showQuickPick(
    ctx.index.rootChats().filter(filter).map((c) => ({ label: c.title || 'New Chat', description: c.status, id: c.id })),
    { placeHolder: placeholder },
  );
  return picked?.id;
}
