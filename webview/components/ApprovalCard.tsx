// A call that waits for the user: what it would do (the command, the edit with its diff, the MCP tool and
// its arguments), why it asks, and the four answers: Allow once, Allow for this chat, Always allow (the
// exact rule, editable before it is saved), Deny (with a reason the model reads). The server decides what
// each answer means; this only says which one was picked. Calls of client-executed (dynamic) tools show
// read-only: the API client answers them.
import { useState } from 'preact/hooks';
import type { PendingAction } from '../../server/protocol';
import { DecideToolCall } from '../../server/protocol/methods';
import { request, RequestError } from '../rpc';
import { EditRenderer } from '../renderers/EditRenderer';
import { prettyWithoutBinary } from '../renderers/imagePlaceholders';
import { parseArgs } from '../renderers/toolArgs';

type Answer = 'allow_once' | 'allow_chat' | 'allow_always' | 'deny';

function WhatItDoes({ action }: { action: PendingAction }) {
  const args = parseArgs(action.args);
  if (action.tool_name === 'execute') {
    return <div class="tool-body terminal" data-testid="approval-command"><div class="command">$ {typeof args?.command === 'string' ? args.command : action.args}</div></div>;
  }
  if (action.tool_name === 'write_file' || action.tool_name === 'edit_files') {
    return <EditRenderer call={{ type: 'tool-call', tool_call_id: action.tool_call_id, tool_name: action.tool_name, args: action.args }} />;
  }
  return <div class="generic"><pre data-testid="approval-args">{args ? prettyWithoutBinary(args) : action.args}</pre></div>;
}

function ApprovalItem({ action, fromSubagent }: { action: PendingAction; fromSubagent?: string }) {
  const [mode, setMode] = useState<'buttons' | 'always' | 'deny'>('buttons');
  const [rules, setRules] = useState(action.needs.map((n) => n.rule).join('\n'));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const answer = async (decision: Answer) => {
    setBusy(true);
    setError(null);
    try {
      await request(DecideToolCall, {
        chat_id: action.chat_id, tool_call_id: action.tool_call_id, decision,
        ...(decision === 'allow_always' || decision === 'allow_chat' ? { rules: decision === 'allow_always' ? rules.split('\n').map((r) => r.trim()).filter(Boolean) : undefined } : {}),
        ...(decision === 'deny' && reason.trim() ? { reason: reason.trim() } : {}),
      });
    } catch (err) {
      const e = err as RequestError;
      setError(e.message + (e.detail ? ` (${e.detail})` : ''));
      setBusy(false);
    }
  };
  return (
    <div class="approval" data-testid="approval-item" data-tool={action.tool_name}>
      <div class="approval-head">
        <span class="codicon codicon-shield" /> <b>{action.tool_name}</b> needs your approval{fromSubagent ? <span class="muted"> (subagent “{fromSubagent}”)</span> : null}
      </div>
      <WhatItDoes action={action} />
      <ul class="approval-needs" data-testid="approval-needs">
        {action.needs.map((n, i) => <li key={i}><code>{n.subject}</code> <span class="muted">— {n.reason}</span></li>)}
      </ul>
      {mode === 'buttons' && (
        <div class="actions">
          <button data-testid="approval-allow-once" disabled={busy} onClick={() => void answer('allow_once')}>Allow once</button>
          <button class="secondary" data-testid="approval-allow-chat" disabled={busy} title={`Allow ${action.needs.map((n) => n.rule).join(', ')} for the rest of this chat`} onClick={() => void answer('allow_chat')}>Allow for this chat</button>
          <button class="secondary" data-testid="approval-always" disabled={busy} onClick={() => setMode('always')}>Always allow…</button>
          <button class="secondary" data-testid="approval-deny" disabled={busy} onClick={() => setMode('deny')}>Deny…</button>
        </div>
      )}
      {mode === 'always' && (
        <div class="approval-form">
          <label class="hint" for={`rule-${action.id}`}>Saved to your settings (localAgents.permissions.allow), one rule a line; edit it to allow more or less:</label>
          <textarea id={`rule-${action.id}`} data-testid="approval-rule-input" rows={Math.max(1, rules.split('\n').length)} value={rules} onInput={(e) => setRules((e.target as HTMLTextAreaElement).value)} />
          <div class="actions">
            <button data-testid="approval-always-confirm" disabled={busy || !rules.trim()} onClick={() => void answer('allow_always')}>Save rule and allow</button>
            <button class="secondary" onClick={() => setMode('buttons')}>Back</button>
          </div>
        </div>
      )}
      {mode === 'deny' && (
        <div class="approval-form">
          <input data-testid="approval-deny-reason" placeholder="Why not? (optional, the agent reads it)" value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)}
            onKeyDown={(e) => { if (e.key === 'Enter') void answer('deny'); }} />
          <div class="actions">
            <button data-testid="approval-deny-confirm" disabled={busy} onClick={() => void answer('deny')}>Deny</button>
            <button class="secondary" onClick={() => setMode('buttons')}>Back</button>
          </div>
        </div>
      )}
      {error && <div class="tool-error" data-testid="approval-error">{error}</div>}
    </div>
  );
}

/** A client-executed (dynamic) call: the API client that declared the tool answers it, not the user. */
function ClientCallItem({ action }: { action: PendingAction }) {
  const deadline = action.deadline_at ? new Date(action.deadline_at).toLocaleTimeString() : null;
  return (
    <div class="approval client-call" data-testid="client-call-item" data-tool={action.tool_name}>
      <div class="approval-head">
        <span class="codicon codicon-plug" /> <b>{action.tool_name}</b> runs in the API client that made this chat
      </div>
      <WhatItDoes action={action} />
      <div class="hint">Waiting for its result (POST /chats/{'{id}'}/tool-results){deadline ? `; answered "Tool execution timed out" at ${deadline}` : ''}. Stop answers it "Tool execution interrupted by user".</div>
    </div>
  );
}

export function ApprovalCard({ actions, chatId }: { actions: PendingAction[]; chatId: string }) {
  if (actions.length === 0) return null;
  const approvals = actions.filter((a) => a.kind === 'approval');
  const clientCalls = actions.filter((a) => a.kind === 'dynamic');
  return (
    <>
      {approvals.length > 0 && (
        <div class="card approvals" data-testid="approval-card">
          <h3><span class="codicon codicon-question" /> {approvals.length === 1 ? 'A call waits for your decision' : `${approvals.length} calls wait for your decision`}</h3>
          {approvals.map((a) => <ApprovalItem key={a.id} action={a} fromSubagent={a.chat_id !== chatId ? a.chat_title : undefined} />)}
        </div>
      )}
      {clientCalls.length > 0 && (
        <div class="card approvals client-calls" data-testid="client-calls-card">
          <h3><span class="codicon codicon-watch" /> {clientCalls.length === 1 ? 'A call waits for the API client' : `${clientCalls.length} calls wait for the API client`}</h3>
          {clientCalls.map((a) => <ClientCallItem key={a.id} action={a} />)}
        </div>
      )}
    </>
  );
}
