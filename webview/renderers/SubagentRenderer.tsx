// spawn_agent / spawn_explore_agent: the subagent's title and status, and its transcript inline, live
// while it runs. The child is found by the call that started it (`parent_tool_call_id`), so it shows
// before the call returns.
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Chat } from '../../server/protocol';
import { MessageView, StreamingView } from '../components/MessageView';
import { GetChat, ListChats } from '../../server/protocol/methods';
import { onHostMessage, request } from '../rpc';
import { resultsByCallId } from '../state/chatState';
import { prettyWithoutBinary } from './imagePlaceholders';
import type { ToolViewProps } from './ToolCallView';
import { parseArgs } from './toolArgs';
import { useFollowedChat } from './useFollowedChat';

export const SUBAGENT_TOOLS = new Set(['spawn_agent', 'spawn_explore_agent']);

function useChildChat(parentChatId: string | undefined, toolCallId: string, resultChatId: string | undefined): Chat | null {
  const [child, setChild] = useState<Chat | null>(null);
  useEffect(() => {
    let live = true;
    const found = (c: Chat | undefined) => { if (live && c) setChild(c); };
    if (resultChatId) void request(GetChat, { chat_id: resultChatId }).then(found, () => undefined);
    else if (parentChatId) {
      void request(ListChats, { parent_chat_id: parentChatId, limit: 200 })
        .then((page) => found(page.chats.find((c) => c.parent_tool_call_id === toolCallId)), () => undefined);
    }
    const off = onHostMessage((m) => {
      if (m.type === 'watch' && (m.event.chat.parent_tool_call_id === toolCallId || m.event.chat.id === resultChatId)) found(m.event.chat);
    });
    return () => { live = false; off(); };
  }, [parentChatId, toolCallId, resultChatId]);
  return child;
}

function Transcript({ chatId }: { chatId: string }) {
  const state = useFollowedChat(chatId, 200);
  const results = useMemo(() => resultsByCallId(state?.messages ?? []), [state?.messages]);
  if (!state) return <div class="transcript-loading">Loading…</div>;
  return (
    <div class="transcript" data-testid="subagent-transcript">
      {state.hasMore && <div class="older-hint">Showing the last 200 messages; open the chat for all.</div>}
      {state.messages.map((m) => <MessageView key={m.id} message={m} results={results} chatId={chatId} toolOutput={state.toolOutput} readOnly />)}
      {state.streaming && <StreamingView streaming={state.streaming} toolOutput={state.toolOutput} />}
    </div>
  );
}

export interface SubagentViewProps extends ToolViewProps {
  icon?: string;
  /** More of the child under its head line, once it is known (the computer-use agent's live view). */
  live?: (child: Chat) => ComponentChildren;
}

export function SubagentRenderer({ call, result, chatId, icon = 'hubot', live }: SubagentViewProps) {
  const args = parseArgs(call.args) as { prompt?: string; title?: string; type?: string } | null;
  const resultChatId = (result?.result as { chat_id?: unknown } | undefined)?.chat_id;
  const child = useChildChat(chatId, call.tool_call_id, typeof resultChatId === 'string' ? resultChatId : undefined);
  const [open, setOpen] = useState(false);
  const report = (result?.result as { report?: unknown } | undefined)?.report;
  return (
    <div class="tool-body subagent" data-testid="subagent">
      <div class="subagent-head">
        <span class={`codicon codicon-${icon}`} />
        <span class="subagent-title">{child?.title ?? args?.title ?? 'Subagent'}</span>
        {child && <span class={`badge status ${child.status}`} data-testid="subagent-status">{child.status}</span>}
      </div>
      {args?.prompt && <div class="subagent-prompt">{args.prompt}</div>}
      {child && live?.(child)}
      {child && (
        <details class="subagent-transcript" onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
          <summary data-testid="subagent-toggle">Transcript</summary>
          {open && <Transcript chatId={child.id} />}
        </details>
      )}
      {typeof report === 'string' && report && <details class="subagent-report"><summary>Report</summary><pre>{report}</pre></details>}
      {result?.is_error && <pre class="error">{prettyWithoutBinary(result.result)}</pre>}
    </div>
  );
}
