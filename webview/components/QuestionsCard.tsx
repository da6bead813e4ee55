// The agent asked: each option is a button that answers with its label, or a free answer typed here.
import { useState } from 'preact/hooks';
import type { Chat } from '../../server/protocol';
import { SendMessage } from '../../server/protocol/methods';
import { request } from '../rpc';

export interface Question { header: string; question: string; options: Array<{ label: string; description: string }> }

export function QuestionsCard({ chat, questions }: { chat: Chat; questions: Question[] }) {
  const [free, setFree] = useState('');
  const answer = (text: string) => request(SendMessage, { chat_id: chat.id, content: [{ type: 'text', text }] });
  const sendFree = () => {
    if (!free.trim()) return;
    void answer(free.trim()).then(() => setFree(''));
  };
  return (
    <div class="card questions" data-testid="questions-card">
      {questions.map((q, i) => (
        <div class="question" key={i}>
          <div class="q-header">{q.header}</div>
          <div class="q-text">{q.question}</div>
          <div class="options">
            {q.options.map((o) => (
              <button class="secondary" key={o.label} data-testid="question-option" title={o.description}
                onClick={() => void answer(questions.length > 1 ? `${q.header}: ${o.label}` : o.label)}>{o.label}</button>
            ))}
          </div>
        </div>
      ))}
      <div class="free-answer">
        <input data-testid="question-answer" placeholder="Or answer in your own words…" value={free}
          onInput={(e) => setFree((e.target as HTMLInputElement).value)} onKeyDown={(e) => { if (e.key === 'Enter') sendFree(); }} />
        <button data-testid="question-send" disabled={!free.trim()} onClick={sendFree}>Answer</button>
      </div>
    </div>
  );
}
