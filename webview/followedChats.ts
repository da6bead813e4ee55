// The subagent chats whose transcripts are open inline; the host relays their stream events while they are.
import { post } from './rpc';

const counts = new Map<string, number>();

function publish(): void {
  post({ type: 'follow', chatIds: [...counts.keys()] });
}

/** Follows `chatId` until the returned function is called (several transcripts of one chat may be open). */
export function followChat(chatId: string): () => void {
  counts.set(chatId, (counts.get(chatId) ?? 0) + 1);
  if (counts.get(chatId) === 1) publish();
  return () => {
    const n = (counts.get(chatId) ?? 1) - 1;
    if (n > 0) counts.set(chatId, n);
    else {
      counts.delete(chatId);
      publish();
    }
  };
}
