// The files linked to the chat (attachments, uploads sent through the API, the plan file): a count in the
// header that opens the list; workspace files open in the editor.
import { useEffect, useState } from 'preact/hooks';
import type { Chat, ChatFile } from '../../server/protocol';
import { ListChatFiles } from '../../server/protocol/methods';
import { post, request } from '../rpc';

export function FilesChip({ chat }: { chat: Chat }) {
  const [files, setFiles] = useState<ChatFile[]>([]);
  const [open, setOpen] = useState(false);
  useEffect(() => { void request(ListChatFiles, { chat_id: chat.id }).then(setFiles).catch(() => setFiles([])); }, [chat.id, chat.updated_at]);
  if (files.length === 0) return null;
  return (
    <span class="files-chip">
      <button class="icon" data-testid="files-chip" title="Files of this chat" onClick={() => setOpen(!open)}>
        <span class="codicon codicon-files" /> {files.length}
      </button>
      {open && (
        <ul class="files-list" data-testid="files-list">
          {files.map((f) => (
            <li key={f.id}>
              <span class={`codicon codicon-${f.kind === 'plan' ? 'checklist' : 'file'}`} />{' '}
              {f.path ? <a href="#" onClick={(e) => { e.preventDefault(); post({ type: 'openFile', path: f.path as string }); }}>{f.name}</a> : <span title="Uploaded through the API">{f.name}</span>}
              <span class="muted"> {f.kind === 'plan' ? 'plan' : f.media_type}</span>
            </li>
          ))}
        </ul>
      )}
    </span>
  );
}
