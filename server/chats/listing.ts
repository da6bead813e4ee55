// Reads: chat list with cursor and filters, message pages with the queue.
import type { z } from 'zod';
import type { AppContext } from '../context';
import { badRequest } from '../errors';
import type { Chat } from '../protocol';
import type { GetMessagesParams, ListChatsParams, MessagesPage } from '../protocol/requests';
import { cursorOf, listChats } from '../store/chats';
import { messagesAfter, pageMessages } from '../store/messages';
import { listQueued } from '../store/queue';
import { parseLabelFilters } from './labels';
import { requireChat } from './lifecycle';

export function listChatsPage(ctx: AppContext, p: z.output<typeof ListChatsParams>): { chats: Chat[]; has_more: boolean } {
  const limit = p.limit ?? 50;
  let after: ReturnType<typeof cursorOf>;
  if (p.after_id) {
    after = cursorOf(ctx.db, p.after_id);
    if (!after) throw badRequest('Invalid after_id.', `No chat with id ${p.after_id}.`, 'after_id');
  }
  // A server lists its own workspace's chats; only one serving all of them (the CLI, asked to) lists others.
  const own = ctx.workspace.workspace;
  if (ctx.workspace.scope === 'workspace' && p.workspace !== undefined && p.workspace !== own) {
    throw badRequest('Chats of another workspace are not listed here.', `This server serves ${own ?? 'no workspace'}.`, 'workspace');
  }
  if (p.parent_chat_id) requireChat(ctx, p.parent_chat_id);
  const q = parseQuery(p.q);
  const chats = ctx.workspace.scope === 'workspace' && own === null ? [] : listChats(ctx.db, {
    workspace: ctx.workspace.scope === 'all' ? p.workspace : (own as string),
    archived: q.archived ?? p.archived ?? false,
    labels: parseLabelFilters([...(p.label ?? []), ...q.labels]),
    hasUnread: p.has_unread,
    titleWords: q.words,
    clientType: p.client_type,
    parentChatId: p.parent_chat_id,
    after,
    limit: limit + 1,
  });
  return { chats: chats.slice(0, limit), has_more: chats.length > limit };
}

/** `q`: `archived:true|false` and `label:key:value` terms, and words the title must contain. */
function parseQuery(q: string | undefined): { archived?: boolean; labels: string[]; words: string[] } {
  const out: { archived?: boolean; labels: string[]; words: string[] } = { labels: [], words: [] };
  for (const term of (q ?? '').split(/\s+/).filter(Boolean)) {
    const [key, ...rest] = term.split(':');
    const value = rest.join(':');
    if (key === 'archived' && rest.length > 0) {
      if (value !== 'true' && value !== 'false') throw badRequest('Invalid search query.', `archived:${value}: use archived:true or archived:false.`, 'q');
      out.archived = value === 'true';
    } else if (key === 'label' && rest.length > 0) {
      out.labels.push(value);
    } else {
      out.words.push(term);
    }
  }
  return out;
}

export function getMessagesPage(ctx: AppContext, p: z.output<typeof GetMessagesParams>): MessagesPage {
  requireChat(ctx, p.chat_id);
  if (p.after_id !== undefined) {
    if (p.before_id !== undefined) throw badRequest('Give before_id or after_id, not both.', undefined, 'after_id');
    const page = messagesAfter(ctx.db, p.chat_id, p.after_id, p.limit ?? 50);
    return { messages: page.messages, has_more: page.hasMore, queued_messages: [] };
  }
  const { messages, hasMore } = pageMessages(ctx.db, p.chat_id, p.before_id, p.limit ?? 50);
  // The queue belongs to the newest page only.
  return { messages, has_more: hasMore, queued_messages: p.before_id ? [] : listQueued(ctx.db, p.chat_id) };
}
