// Another chat's newest messages, live: its first page, then its stream events, which the host relays while
// the chat is followed (a subagent's transcript, a computer-use agent's live view).
import { useEffect, useState } from 'preact/hooks';
import { GetMessages } from '../../server/protocol/methods';
import { followChat } from '../followedChats';
import { onHostMessage, request } from '../rpc';
import { applyStreamEvents, emptyState, type ChatViewState } from '../state/chatState';

export function useFollowedChat(chatId: string, limit: number): ChatViewState | null {
  const [state, setState] = useState<ChatViewState | null>(null);
  useEffect(() => {
    let live = true;
    // Events that arrive before the first page are applied on top of it.
    let early: Parameters<typeof applyStreamEvents>[1] = [];
    let current: ChatViewState | null = null;
    const unfollow = followChat(chatId);
    const off = onHostMessage((m) => {
      if (m.type !== 'stream' || m.chatId !== chatId) return;
      if (!current) { early.push(...m.events); return; }
      current = applyStreamEvents(current, m.events);
      setState(current);
    });
    void request(GetMessages, { chat_id: chatId, limit }).then((page) => {
      if (!live) return;
      current = applyStreamEvents({ ...emptyState(), messages: page.messages, hasMore: page.has_more }, early);
      early = [];
      setState(current);
    }, () => undefined);
    return () => { live = false; off(); unfollow(); };
  }, [chatId, limit]);
  return state;
}
