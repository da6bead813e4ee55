// Title (editable), status, context use, cost, branch and pull request, and files of the chat.
import { useState } from 'preact/hooks';
import type { Chat, ChatMessage, ModelConfig } from '../../server/protocol';
import { UpdateChat } from '../../server/protocol/methods';
import { post, request } from '../rpc';
import { ContextMeter } from './ContextMeter';
import { CostChip } from './CostChip';
import { FilesChip } from './FilesChip';
import { BranchChip } from './BranchChip';

export function Header({ chat, messages, models }: { chat: Chat | null; messages: ChatMessage[]; models: ModelConfig[] }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  if (!chat) return <div class="header"><span class="title" data-testid="chat-title">New chat</span></div>;
  const save = async () => {
    setEditing(false);
    if (draft.trim() && draft.trim() !== chat.title) await request(UpdateChat, { chat_id: chat.id, title: draft.trim() });
  };
  return (
    <div class="header">
      {editing ? (
        <input class="title-input" data-testid="title-input" value={draft} autoFocus
          onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
          onKeyDown={(e) => { if (e.key === 'Enter') void save(); if (e.key === 'Escape') setEditing(false); }} onBlur={() => void save()} />
      ) : (
        <span class="title" data-testid="chat-title" title="Rename" onDblClick={() => { setDraft(chat.title); setEditing(true); }}>{chat.title || 'New chat'}</span>
      )}
      {chat.mode !== 'default' && <span class="badge mode">{chat.mode.replace('_', ' ')}</span>}
      <span class={`badge status ${chat.status}`} data-testid="chat-status">{chat.status}</span>
      <ContextMeter messages={messages} models={models} fallbackConfigId={chat.last_model_config_id} />
      <CostChip chat={chat} />
      <BranchChip chat={chat} />
      <FilesChip chat={chat} />
      <button class="icon" title="Rename" onClick={() => { setDraft(chat.title); setEditing(true); }}><span class="codicon codicon-edit" /></button>
      <button class="icon" title="Open in Editor" onClick={() => post({ type: 'runCommand', command: 'localAgents.openChatInEditor' })}><span class="codicon codicon-go-to-file" /></button>
    </div>
  );
}
