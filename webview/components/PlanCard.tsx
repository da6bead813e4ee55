// A proposed plan: rendered, with Approve (leave plan mode and implement), Revise and Open in Editor.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Chat } from '../../server/protocol';
import type { ChatPlan } from '../../server/protocol/requests';
import { ApprovePlan, GetChatPlan } from '../../server/protocol/methods';
import { renderMarkdown } from '../markdown';
import { post, request } from '../rpc';

export function PlanCard({ chat, onRevise }: { chat: Chat; onRevise(): void }) {
  const [plan, setPlan] = useState<ChatPlan | null>(null);
  useEffect(() => { void request(GetChatPlan, { chat_id: chat.id }).then(setPlan); }, [chat.id, chat.updated_at]);
  const html = useMemo(() => (plan?.content ? renderMarkdown(plan.content) : ''), [plan?.content]);
  if (!plan?.content) return null;
  const approve = () => request(ApprovePlan, { chat_id: chat.id });
  return (
    <div class="card plan" data-testid="plan-card">
      <h3><span class="codicon codicon-checklist" /> Proposed plan</h3>
      <div class="markdown plan-body" dangerouslySetInnerHTML={{ __html: html }} />
      <div class="actions">
        <button data-testid="plan-approve" onClick={() => void approve()}>Approve</button>
        <button class="secondary" data-testid="plan-revise" onClick={onRevise}>Revise</button>
        <button class="secondary" data-testid="plan-open" onClick={() => post({ type: 'openFile', path: plan.path })}>Open in Editor</button>
      </div>
      <div class="hint">To revise, describe the changes in the box below; the chat stays in plan mode.</div>
    </div>
  );
}
