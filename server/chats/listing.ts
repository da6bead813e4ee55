// Reads: chat list with cursor and filters, message pages with the queue.
import type { z } from 'zod';
import type { AppContext } from '../context';
import { badRequest } from '../errors';
import type { Chat } from '../protocol';
import type { GetMessagesParams, ListChatsParams, MessagesPage, SearchResults } from '../protocol/requests';
import type { ParsedParams } from '../protocol/schemas';
import { cursorOf, getChat, listChats } from '../store/chats';
import { messagesAfter, messagesAround, pageMessages } from '../store/messages';
import { ftsQuery, searchChats } from '../store/search';
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
  const textQuery = q.words.length > 0 ? ftsQuery(q.words.join(' ')) : undefined;
  // Words with nothing searchable in them (only punctuation or symbols) match no chat.
  if (q.words.length > 0 && textQuery === undefined) return { chats: [], has_more: false };
  const chats = ctx.workspace.scope === 'workspace' && own === null ? [] : listChats(ctx.db, {
    workspace: ctx.workspace.scope === 'all' ? p.workspace : (own as string),
    archived: q.archived ?? p.archived ?? false,
    labels: parseLabelFilters([...(p.label ?? []), ...q.labels]),
    hasUnread: p.has_unread,
    textQuery,
    clientType: p.client_type,
    parentChatId: p.parent_chat_id,
    after,
    limit: limit + 1,
  });
  return { chats: chats.slice(0, limit), has_more: chats.length > limit };
}

/** `q`: `archived:true|false` and `label:key:value` terms, and words the chat's text must contain (full-text). */
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
  if ([p.before_id, p.after_id, p.around_id].filter((v) => v !== undefined).length > 1) throw badRequest('Give one of before_id, after_id and around_id.', undefined, 'around_id');
  if (p.around_id !== undefined) {
    // Opening a chat at a search hit: the message and its neighbours; older pages load with before_id.
    const page = messagesAround(ctx.db, p.chat_id, p.around_id, p.limit ?? 50);
    return { messages: page.messages, has_more: page.hasMore, has_newer: page.hasNewer, queued_messages: [] };
  }
  if (p.after_id !== undefined) {
    const page = messagesAfter(ctx.db, p.chat_id, p.after_id, p.limit ?? 50);
    return { messages: page.messages, has_more: page.hasMore, queued_messages: [] };
  }
  const { messages, hasMore } = pageMessages(ctx.db, p.chat_id, p.before_id, p.limit ?? 50);
  // The queue belongs to the newest page only.
  return { messages, has_more: hasMore, queued_messages: p.before_id ? [] : listQueued(ctx.db, p.chat_id) };
}


export function searchChatsPage(ctx: AppContext, p: ParsedParams<'SearchChats'>): SearchResults {
  const query = ftsQuery(p.q);
  const own = ctx.workspace.workspace;
  if (!query || (ctx.workspace.scope === 'workspace' && own === null)) return { results: [] };
  const hits = searchChats(ctx.db, query, { workspace: ctx.workspace.scope === 'all' ? undefined : (own as string), archived: p.archived ?? false }, p.limit ?? 20);
  return { results: hits.flatMap((h) => {
    const chat = getChat(ctx.db, h.chat_id);
    return chat ? [{ chat, message_id: h.message_id, kind: h.kind, snippet: h.snippet }] : [];
  }) };
}
