// Message box: Enter sends, Shift+Enter adds a line; model and mode per message; attachments; Stop while busy.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { FilePart, InputPart, PermissionMode } from '../../server/protocol';
import { CompactChat, CreateChat, InterruptChat, ResetChatContext, SendMessage, UpdateChat } from '../../server/protocol/methods';
import { pickAttachments, request, RequestError } from '../rpc';
import { isBusy } from '../state/chatState';
import type { ChatModel } from './useChat';
import { McpPicker, useMcpSelection } from './McpPicker';

export function Composer({ model, chatId }: { model: ChatModel; chatId: string | null }) {
  const chat = model.state.chat;
  const [text, setText] = useState('');
  const [files, setFiles] = useState<FilePart[]>([]);
  const [modelId, setModelId] = useState<string>('');
  const [mode, setMode] = useState<'plan' | 'default'>('default');
  /** A new chat's permission mode, when the user picked one (else the settings' default applies). */
  const [newPermission, setNewPermission] = useState<PermissionMode | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLSelectElement>(null);
  const mcp = useMcpSelection(chat);
  useEffect(() => { (model.focus.target === 'model' ? picker : input).current?.focus(); }, [model.focus]);
  useEffect(() => { if (chat) setMode(chat.mode === 'plan' ? 'plan' : 'default'); }, [chat?.id, chat?.mode]);
  // A model the user picked stays for this chat; otherwise the picker follows the default (which the
  // management panel or Switch Model may change while this view is open) or a model that went away.
  const picked = useRef(false);
  useEffect(() => { picked.current = false; }, [chat?.id]);
  useEffect(() => {
    if (chat?.last_model_config_id) setModelId(chat.last_model_config_id);
    else if (!picked.current || !model.models.some((m) => m.id === modelId)) setModelId(model.models.find((m) => model.defaultModel && m.model === model.defaultModel)?.id ?? model.models.find((m) => m.is_default)?.id ?? model.models[0]?.id ?? '');
  }, [chat?.id, chat?.last_model_config_id, model.models, model.defaultModel]);

  /** `/compact [focus]` and `/clear` act on the chat's context instead of sending a message. */
  const slashCommand = async (body: string): Promise<boolean> => {
    const m = /^\/(compact|clear)(?:\s+([^]*))?$/.exec(body);
    if (!m || files.length > 0) return false;
    if (!chatId) { setError(`/${m[1]} acts on a chat: send a first message.`); return true; }
    setError(null);
    try {
      setNotice(m[1] === 'compact' ? 'Compacting the conversation…' : null);
      if (m[1] === 'compact') await request(CompactChat, { chat_id: chatId, focus: m[2]?.trim() || undefined });
      else await request(ResetChatContext, { chat_id: chatId });
      setText('');
    } catch (err) {
      const e = err as RequestError;
      setError(e.message + (e.detail ? ` (${e.detail})` : ''));
    } finally {
      setNotice(null);
    }
    return true;
  };

  const send = async () => {
    const body = text.trim();
    if (!body && files.length === 0) return;
    if (await slashCommand(body)) return;
    const content: InputPart[] = [...(body ? [{ type: 'text' as const, text: body }] : []), ...files];
    setError(null);
    try {
      if (!chatId) {
        const created = await request(CreateChat, { content, client_type: 'ui', model_config_id: modelId || undefined, mode, mcp_server_ids: mcp.selected, permission_mode: newPermission ?? undefined });
        setNewPermission(null);
        model.setChatId(created.id);
      } else {
        await request(SendMessage, { chat_id: chatId, content, model_config_id: modelId || undefined, mode, mcp_server_ids: mcp.selected });
      }
      setText('');
      setFiles([]);
    } catch (err) {
      const e = err as RequestError;
      setError(e.message + (e.detail ? ` (${e.detail})` : ''));
    }
  };

  const permission = (chatId ? chat?.permission_mode : newPermission) ?? model.defaultPermissionMode;
  const setPermission = async (next: PermissionMode) => {
    setError(null);
    if (!chatId) { setNewPermission(next); return; }
    try {
      await request(UpdateChat, { chat_id: chatId, permission_mode: next });
    } catch (err) {
      setError((err as RequestError).message);
    }
  };

  return (
    <div class="composer">
      {error && <div class="banner error" data-testid="composer-error">{error}</div>}
      {notice && <div class="banner info" data-testid="composer-notice">{notice}</div>}
      {files.length > 0 && (
        <div class="attachments">
          {files.map((f, i) => (
            <span class="chip" key={i}><span class="codicon codicon-file" /> {f.name}
              <button class="icon" title="Remove" onClick={() => setFiles(files.filter((_, j) => j !== i))}><span class="codicon codicon-close" /></button></span>
          ))}
        </div>
      )}
      <textarea ref={input} data-testid="composer-input" rows={3} value={text}
        placeholder={isBusy(chat) ? 'The agent is working: messages are queued' : 'Ask the agent… (Enter to send, Shift+Enter for a new line; /compact [focus], /clear)'}
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        onKeyDown={(e) => { if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); void send(); } }} />
      <div class="composer-bar">
        <select ref={picker} data-testid="model-picker" title="Model for this message" value={modelId} onChange={(e) => { picked.current = true; setModelId((e.target as HTMLSelectElement).value); }}>
          {model.models.map((m) => <option value={m.id} key={m.id}>{m.display_name}</option>)}
        </select>
        <button class={`toggle ${mode === 'plan' ? 'on' : ''}`} data-testid="mode-toggle" title="Plan mode: the agent plans first and writes only its plan file"
          onClick={() => setMode(mode === 'plan' ? 'default' : 'plan')}><span class="codicon codicon-checklist" /> {mode === 'plan' ? 'Plan' : 'Agent'}</button>
        <McpPicker servers={mcp.servers} selected={mcp.selected} onChange={mcp.setSelected} />
        {!chat?.parent_chat_id && (
          <select data-testid="permission-picker" title="What the agent may do without asking (permission rules still apply; deny rules always win)" value={permission}
            onChange={(e) => void setPermission((e.target as HTMLSelectElement).value as PermissionMode)}>
            <option value="default" title="Reads run; edits, commands and MCP tools ask unless a rule allows them">Ask first</option>
            <option value="acceptEdits" title="File edits inside the workspace run without asking; commands still ask">Accept edits</option>
            <option value="bypass" title="Everything runs except what a deny rule refuses">Bypass approvals</option>
          </select>
        )}
        <button class="icon" data-testid="attach-button" title="Attach files" onClick={async () => setFiles([...files, ...(await pickAttachments<FilePart>())])}><span class="codicon codicon-attach" /></button>
        <span class="spacer" />
        {isBusy(chat) && chat && <button class="secondary" data-testid="stop-button" title="Stop" onClick={() => void request(InterruptChat, { chat_id: chat.id })}><span class="codicon codicon-debug-stop" /> Stop</button>}
        <button data-testid="send-button" title="Send" onClick={() => void send()}><span class="codicon codicon-send" /></button>
      </div>
    </div>
  );
}
