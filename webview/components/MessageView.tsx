// One message: user text (editable), assistant text / reasoning / tool calls, context files.
import { useMemo, useState } from 'preact/hooks';
import type { ChatMessage, CompactionPart, InputPart } from '../../server/protocol';
import { EditMessage } from '../../server/protocol/methods';
import { renderMarkdown } from '../markdown';
import { request } from '../rpc';
import type { StreamingMessage } from '../state/chatState';
import { ReasoningBlock } from '../renderers/ReasoningBlock';
import { ToolCallView } from '../renderers/ToolCallView';

/** Tokens, cost and time of an assistant step, shown when the pointer is over the message. */
function usageLine(m: ChatMessage): string {
  const u = m.usage;
  const parts: string[] = [];
  if (u.input_tokens !== null) parts.push(`in ${u.input_tokens}${u.cache_read_tokens ? ` (+${u.cache_read_tokens} cached)` : ''}`);
  if (u.output_tokens !== null) parts.push(`out ${u.output_tokens}${u.reasoning_tokens ? ` (${u.reasoning_tokens} reasoning)` : ''}`);
  if (m.total_cost_micros !== null) parts.push(`$${(m.total_cost_micros / 1e6).toFixed(4)}`);
  if (m.runtime_ms !== null) parts.push(`${(m.runtime_ms / 1000).toFixed(1)} s`);
  return parts.join(' · ');
}

/** Copy buttons on rendered code blocks (event delegation: the HTML is sanitised markup). */
function onMarkdownClick(e: MouseEvent) {
  const btn = (e.target as HTMLElement).closest('.copy-code');
  if (!btn) return;
  const code = btn.parentElement?.querySelector('code')?.textContent ?? '';
  void navigator.clipboard.writeText(code);
  btn.classList.add('copied');
  setTimeout(() => btn.classList.remove('copied'), 1200);
}

export function Markdown({ text, testid }: { text: string; testid?: string }) {
  // Every streamed frame re-renders the visible rows: only a changed text is parsed and sanitised again.
  const html = useMemo(() => renderMarkdown(text), [text]);
  return <div class="markdown" data-testid={testid} onClick={onMarkdownClick} dangerouslySetInnerHTML={{ __html: html }} />;
}

function UserMessage({ message, chatId, readOnly }: { message: ChatMessage; chatId: string; readOnly?: boolean }) {
  const text = message.content.map((p) => (p.type === 'text' ? p.text : '')).join('\n');
  const files = message.content.filter((p) => p.type === 'file');
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(text);
  const [restoreFiles, setRestoreFiles] = useState(false);
  const save = async () => {
    const content: InputPart[] = [{ type: 'text', text: draft.trim() }, ...(files as InputPart[])];
    await request(EditMessage, { chat_id: chatId, message_id: message.id, content, restore_files: restoreFiles || undefined });
    setEditing(false);
  };
  return (
    <div class="message user" data-testid="message" data-role="user" data-message-id={message.id}>
      {editing ? (
        <div class="edit">
          <textarea data-testid="edit-input" value={draft} rows={3} onInput={(e) => setDraft((e.target as HTMLTextAreaElement).value)} />
          <div class="actions">
            <button data-testid="edit-save" onClick={() => void save()} disabled={!draft.trim()}>Send</button>
            <button class="secondary" onClick={() => setEditing(false)}>Cancel</button>
          </div>
          <label class="hint"><input type="checkbox" data-testid="edit-restore-files" checked={restoreFiles} onChange={(e) => setRestoreFiles((e.target as HTMLInputElement).checked)} />
            {' '}Restore files too: put back what the agent changed after this message (files you changed since stay)</label>
          <div class="hint">Sending replaces this message and removes everything after it.</div>
        </div>
      ) : (
        <>
          <div class="user-text">{text}</div>
          {files.map((f) => f.type === 'file' && <span class="chip"><span class="codicon codicon-file" /> {f.name}</span>)}
          {!readOnly && <button class="icon edit-button" data-testid="edit-message" title="Edit" onClick={() => { setDraft(text); setEditing(true); }}><span class="codicon codicon-edit" /></button>}
        </>
      )}
    </div>
  );
}

const tokens = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : n.toLocaleString());
const BOUNDARY_LABEL: Record<CompactionPart['reason'], string> = {
  threshold: 'Context compacted', manual: 'Context compacted', context_exceeded: 'Context compacted (the provider refused its length)', reset: 'Context reset',
};

/** Where the model's context starts again: older messages stay visible above, but are no longer sent. */
function CompactionBoundary({ part }: { part: CompactionPart }) {
  const [open, setOpen] = useState(false);
  return (
    <div class="message compaction" data-testid="compaction-boundary" data-reason={part.reason}>
      <div class="compaction-line">
        <span class="codicon codicon-fold" /> {BOUNDARY_LABEL[part.reason]}: ~{tokens(part.tokens_before)} → ~{tokens(part.tokens_after)} tokens
        {part.focus ? ` (focus: ${part.focus})` : ''}
        {part.summary && <button class="link" data-testid="compaction-toggle" onClick={() => setOpen(!open)}>{open ? 'Hide summary' : 'Show summary'}</button>}
      </div>
      {open && <Markdown text={part.summary} testid="compaction-summary" />}
    </div>
  );
}

export function MessageView({ message, results, chatId, toolOutput, readOnly }: { message: ChatMessage; results: Map<string, { result: unknown; is_error?: boolean }>; chatId: string; toolOutput: Record<string, string>; /** A subagent's transcript: no editing. */ readOnly?: boolean }) {
  if (message.role === 'user') return <UserMessage message={message} chatId={chatId} readOnly={readOnly} />;
  if (message.role === 'system') {
    const boundary = message.content.find((p) => p.type === 'compaction');
    if (boundary && boundary.type === 'compaction') return <CompactionBoundary part={boundary} />;
    const files = message.content.filter((p) => p.type === 'context-file' || p.type === 'skill');
    if (files.length === 0) return null;
    return (
      <div class="message context" data-testid="context-files">
        <span class="codicon codicon-book" /> Context: {files.map((p) => (p.type === 'context-file' ? p.context_file_path.split(/[\\/]/).slice(-2).join('/') : p.type === 'skill' ? `skill ${p.skill_name}` : '')).join(', ')}
      </div>
    );
  }
  const meta = usageLine(message);
  return (
    <div class="message assistant" data-testid="message" data-role="assistant" data-message-id={message.id}>
      {message.content.map((p, i) => {
        if (p.type === 'reasoning') return <ReasoningBlock key={i} text={p.text} />;
        if (p.type === 'text') return <Markdown key={i} text={p.text} testid="assistant-text" />;
        if (p.type === 'tool-call') return <ToolCallView key={i} call={p} result={results.get(p.tool_call_id)} liveOutput={toolOutput[p.tool_call_id]} chatId={chatId} />;
        return null;
      })}
      {meta && <div class="message-meta" data-testid="message-meta">{meta}</div>}
    </div>
  );
}

export function StreamingView({ streaming, toolOutput }: { streaming: StreamingMessage; toolOutput: Record<string, string> }) {
  return (
    <div class="message assistant streaming" data-testid="message" data-role="assistant" data-streaming="true">
      {streaming.reasoning && <ReasoningBlock text={streaming.reasoning} open />}
      {streaming.text && <Markdown text={streaming.text} testid="assistant-text" />}
      {streaming.toolCalls.map((c) => (
        <ToolCallView key={c.id} call={{ type: 'tool-call', tool_call_id: c.id, tool_name: c.name, args: c.args }} liveOutput={toolOutput[c.id]} />
      ))}
      <span class="cursor" />
    </div>
  );
}
