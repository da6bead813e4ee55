// Messages sent while the agent works: remove one, or send it now.
import type { Chat, QueuedMessage } from '../../server/protocol';
import { DeleteQueuedMessage, PromoteQueuedMessage } from '../../server/protocol/methods';
import { request } from '../rpc';

export function QueueList({ chat, queued }: { chat: Chat | null; queued: QueuedMessage[] }) {
  if (!chat || queued.length === 0) return null;
  return (
    <div class="queue" data-testid="queue">
      <div class="queue-title">Queued ({queued.length})</div>
      {queued.map((q) => (
        <div class="queued-item" data-testid="queued-item" key={q.id}>
          <span class="codicon codicon-clock" />
          <span class="queued-text">{q.content.map((p) => (p.type === 'text' ? p.text : `[${p.type === 'file' ? (p.name ?? 'file') : p.file_name}]`)).join(' ')}</span>
          {q.mode === 'plan' && <span class="badge mode">plan</span>}
          <button class="icon" title="Send now" data-testid="queued-send-now" onClick={() => void request(PromoteQueuedMessage, { chat_id: chat.id, queued_message_id: q.id })}><span class="codicon codicon-debug-continue" /></button>
          <button class="icon" title="Remove" data-testid="queued-remove" onClick={() => void request(DeleteQueuedMessage, { chat_id: chat.id, queued_message_id: q.id })}><span class="codicon codicon-close" /></button>
        </div>
      ))}
    </div>
  );
}
