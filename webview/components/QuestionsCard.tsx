// The agent asked: options as buttons, or a free answer in the composer.
import type { Chat } from '../../server/protocol';
import { SendMessage } from '../protocolMethods';
import { request } from '../rpc';

export interface Question { header: string; question: string; options: Array<{ label: string; description: string }> }

export function QuestionsCard({ chat, questions }: { chat: Chat; questions: Question[] }) {
  const answer = (text: string) => request(SendMessage, { chat_id: chat.id, content: [{ type: 'text', text }] });
  return (
    <div class="card questions" data-testid="questions-card">
      {questions.map((q, i) => (
        <div class="question" key={i}>
          <div class="q-header">{q.header}</div>
          <div class="q-text">{q.question}</div>
          <div class="options">
            {q.options.map((o) => (
              <button class="secondary" data-testid="question-option" title={o.description} onClick={() => void answer(questions.length > 1 ? `${q.header}: ${o.label}` : o.label)}>{o.label}</button>
            ))}
          </div>
        </div>
      ))}
      <div class="hint">Or type your own answer below.</div>
    </div>
  );
}
