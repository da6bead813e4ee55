// The chat view: header, messages, cards (setup, plan, questions), queue and composer.
import type { ChatMessage, ToolCallPart } from '../../server/protocol';
import { EditMessage } from '../../server/protocol/methods';
import { request } from '../rpc';
import { isBusy, resultsByCallId } from '../state/chatState';
import { Composer } from './Composer';
import { Header } from './Header';
import { MessageList } from './MessageList';
import { PlanCard } from './PlanCard';
import { QuestionsCard, type Question } from './QuestionsCard';
import { QueueList } from './QueueList';
import { ApprovalCard } from './ApprovalCard';
import { RetryBanner } from './RetryBanner';
import { SetupCard } from './SetupCard';
import { useChat } from './useChat';
import { WorkspaceFolder } from '../renderers/workspaceFolder';

/** The newest tool call of the current turn (after the last user message) with its result, if any. */
function lastToolCall(turn: ChatMessage[]): { call: ToolCallPart; result?: { result: unknown; is_error?: boolean } } | undefined {
  const results = resultsByCallId(turn);
  for (let i = turn.length - 1; i >= 0; i--) {
    const calls = turn[i].role === 'assistant' ? turn[i].content.filter((p): p is ToolCallPart => p.type === 'tool-call') : [];
    if (calls.length) { const call = calls[calls.length - 1]; return { call, result: results.get(call.tool_call_id) }; }
  }
  return undefined;
}

/** Index of the last user message; the stream re-renders every frame, so no copy of a long chat. */
function lastUserIndex(messages: ChatMessage[]): number {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === 'user') return i;
  return -1;
}

export function App() {
  const model = useChat();
  const { state, chatId, trusted, providersReady } = model;
  const chat = state.chat;
  const userAt = lastUserIndex(state.messages);
  const lastUser = userAt >= 0 ? state.messages[userAt] : undefined;
  const last = lastToolCall(state.messages.slice(userAt + 1));
  const idle = chat && !isBusy(chat);
  const showPlan = idle && chat.mode === 'plan' && last?.call.tool_name === 'propose_plan' && last.result && !last.result.is_error;
  const questions = idle && last?.call.tool_name === 'ask_user_question' && last.result && !last.result.is_error
    ? ((last.result.result as { questions?: Question[] }).questions ?? []) : [];
  const retry = () => {
    if (chat && lastUser) void request(EditMessage, { chat_id: chat.id, message_id: lastUser.id, content: lastUser.content.filter((p) => p.type === 'text' || p.type === 'file') });
  };
  return (
    <WorkspaceFolder.Provider value={chat?.workspace_folder ?? model.workspace}>
      <div class="app">
        {!trusted && <div class="banner trust" data-testid="trust-banner"><span class="codicon codicon-shield" /> This workspace is not trusted: the agent cannot run commands or write files.</div>}
        <Header chat={chat} messages={state.messages} models={model.models} />
        {providersReady === false && <SetupCard />}
        <MessageList state={state} onLoadOlder={model.loadOlder} />
        {state.retry && <RetryBanner retry={state.retry} />}
        {state.notices.map((n, i) => <div key={i} class="banner notice" data-testid="notice">{n}</div>)}
        {chat?.status === 'error' && chat.last_error && (
          <div class="banner error" data-testid="error-banner">
            <span class="codicon codicon-error" /> {chat.last_error.message}
            {chat.last_error.detail && <div class="detail">{chat.last_error.detail}</div>}
            {lastUser && <button class="secondary" data-testid="retry-button" onClick={retry}>Retry</button>}
          </div>
        )}
        {chat && <ApprovalCard actions={model.approvals} chatId={chat.id} />}
        {showPlan && chat && <PlanCard chat={chat} onRevise={model.focusComposer} />}
        {questions.length > 0 && chat && <QuestionsCard chat={chat} questions={questions} />}
        <QueueList chat={chat} queued={state.queued} />
        <Composer model={model} chatId={chatId} />
      </div>
    </WorkspaceFolder.Provider>
  );
}
