// Secrets audit: every create, update and delete of a user secret, newest first: when, who (the OS user),
// which secret, which fields changed (a changed value shows as "value", never the value).
import { useEffect, useState } from 'preact/hooks';
import { ListSecretAudit } from '../../server/protocol/methods';
import type { SecretAuditEntry } from '../../server/protocol/usage';
import { onHostMessage, request } from '../rpc';

export function AuditTab() {
  const [entries, setEntries] = useState<SecretAuditEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => request(ListSecretAudit, { limit: 500 }).then((e) => { setEntries(e); setError(null); }, (e: Error) => setError(e.message));
  useEffect(() => { void load(); return onHostMessage((m) => { if (m.type === 'secretsChanged') void load(); }); }, []);
  return (
    <div class="audit" data-testid="audit-tab">
      <div class="toolbar">
        <span class="hint">Reads are not audited. A failed change leaves no entry.</span>
        <span class="spacer" />
        <button class="icon" title="Refresh" data-testid="audit-refresh" onClick={() => void load()}><span class="codicon codicon-refresh" /></button>
      </div>
      {error && <div class="tool-error">{error}</div>}
      <table class="grid" data-testid="audit-table">
        <thead><tr><th>When</th><th>Who</th><th>Action</th><th>Secret</th><th>Changed fields</th></tr></thead>
        <tbody>
          {entries?.length === 0 && <tr><td colSpan={5} class="muted">No changes yet.</td></tr>}
          {entries?.map((e) => (
            <tr key={e.id} data-testid="audit-row" data-action={e.action}>
              <td>{new Date(e.at).toLocaleString()}</td>
              <td>{e.actor}</td>
              <td><span class={`badge action-${e.action}`}>{e.action}</span></td>
              <td>{e.secret_name}</td>
              <td>{e.changed_fields.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
