// Secrets: the user secrets the agent's commands may use (name, environment variable and/or file, where they
// are enabled), added, edited and deleted through the host: the value is typed into VS Code's password box,
// never into this view, and this view never receives one.
import { useEffect, useState } from 'preact/hooks';
import { ListUserSecrets } from '../../server/protocol/methods';
import type { UserSecret } from '../../server/protocol/usage';
import { manageOp, onHostMessage, request } from '../rpc';
import { when } from './format';
import { scopeOf, whereEnabled, workspacesOf, type Scope } from './secretScope';

interface Draft { name: string; env_var: string; file_path: string; scope: Scope; change_value: boolean }

function SecretForm({ secret, workspace, onDone, onCancel }: { secret?: UserSecret; workspace: string | null; onDone(): void; onCancel(): void }) {
  const [d, setD] = useState<Draft>(() => ({
    name: secret?.name ?? '', env_var: secret?.env_var ?? '', file_path: secret?.file_path ?? '',
    scope: secret ? scopeOf(secret, workspace) : workspace ? 'workspace' : 'all', change_value: false,
  }));
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Draft>) => setD((s) => ({ ...s, ...patch }));
  const save = async () => {
    setBusy(true);
    setError(null);
    const fields = { name: d.name.trim(), env_var: d.env_var.trim() || null, file_path: d.file_path.trim() || null, workspaces: workspacesOf(d.scope, secret?.workspaces ?? [], workspace) };
    const r = secret
      ? await manageOp({ op: 'updateSecret', secret_id: secret.id, change_value: d.change_value, ...fields })
      : await manageOp({ op: 'createSecret', ...fields });
    setBusy(false);
    if (r.ok) onDone();
    else if (!r.cancelled) setError({ message: r.error ?? 'The secret could not be saved.', field: r.field });
  };
  const at = (field: string) => (error?.field === field ? <div class="tool-error field-error" data-testid="field-error" data-field={field}>{error.message}</div> : null);
  return (
    <div class="setup-form secret-form" data-testid="secret-form">
      <label>Name <input data-testid="secret-name" value={d.name} placeholder="e.g. GitHub token" onInput={(e) => set({ name: (e.target as HTMLInputElement).value })} /></label>
      {at('name')}
      <div class="field-grid">
        <label>Environment variable <input data-testid="secret-env-var" value={d.env_var} placeholder="e.g. GITHUB_TOKEN" onInput={(e) => set({ env_var: (e.target as HTMLInputElement).value })} />{at('env_var')}</label>
        <label>File (in the command's private folder) <input data-testid="secret-file" value={d.file_path} placeholder="e.g. token.txt" onInput={(e) => set({ file_path: (e.target as HTMLInputElement).value })} />{at('file_path')}</label>
      </div>
      <fieldset class="scope" data-testid="secret-scope">
        <legend>Enabled for</legend>
        <label class="check"><input type="radio" name="scope" data-testid="secret-scope-all" checked={d.scope === 'all'} onChange={() => set({ scope: 'all' })} /> chats of every workspace</label>
        <label class="check"><input type="radio" name="scope" data-testid="secret-scope-workspace" disabled={!workspace} checked={d.scope === 'workspace'} onChange={() => set({ scope: 'workspace' })} /> chats of this workspace{workspace ? ` (${workspace})` : ' (no folder open)'}</label>
        <label class="check"><input type="radio" name="scope" data-testid="secret-scope-chats" checked={d.scope === 'chats'} onChange={() => set({ scope: 'chats' })} /> only the chats I enable it for (Local Agents: Enable Secrets for This Chat)</label>
      </fieldset>
      {at('workspaces')}
      {secret && <label class="check"><input type="checkbox" data-testid="secret-change-value" checked={d.change_value} onChange={(e) => set({ change_value: (e.target as HTMLInputElement).checked })} /> Enter a new value</label>}
      <div class="hint">{secret && !d.change_value ? 'The stored value stays.' : 'Save asks for the value in VS Code\'s password box; it is kept in VS Code\'s secret storage and masked as [secret:NAME] in command output.'}</div>
      {error && !['name', 'env_var', 'file_path', 'workspaces'].includes(error.field ?? '') && <div class="tool-error" data-testid="secret-error">{error.message}</div>}
      <div class="actions">
        <button data-testid="secret-save" disabled={busy || !d.name.trim()} onClick={() => void save()}>{secret ? 'Save' : 'Add secret…'}</button>
        <button class="secondary" disabled={busy} onClick={onCancel}>Cancel</button>
      </div>
    </div>
  );
}

export function SecretsTab({ workspace }: { workspace: string | null }) {
  const [secrets, setSecrets] = useState<UserSecret[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const load = () => request(ListUserSecrets, {}).then((s) => { setSecrets(s); setError(null); }, (e: Error) => setError(e.message));
  useEffect(() => { void load(); return onHostMessage((m) => { if (m.type === 'secretsChanged') void load(); }); }, []);
  const remove = async (s: UserSecret) => {
    const r = await manageOp({ op: 'deleteSecret', secret_id: s.id });
    if (!r.ok && !r.cancelled) setError(r.error ?? 'The secret could not be deleted.');
    void load();
  };
  const done = () => { setEditing(null); void load(); };
  return (
    <div class="secrets" data-testid="secrets-tab">
      <div class="toolbar">
        <button data-testid="add-secret" disabled={editing === 'new'} onClick={() => setEditing('new')}><span class="codicon codicon-add" /> Add secret</button>
        <span class="hint">Commands the agent runs get these as environment variables or files; their values never reach the model (output shows [secret:NAME]).</span>
      </div>
      {error && <div class="tool-error" data-testid="secrets-error">{error}</div>}
      {editing === 'new' && <section class="panel-card"><h3>New secret</h3><SecretForm workspace={workspace} onDone={done} onCancel={() => setEditing(null)} /></section>}
      <table class="grid" data-testid="secrets-table">
        <thead><tr><th>Name</th><th>Environment variable</th><th>File</th><th>Enabled for</th><th>Value</th><th>Changed</th><th /></tr></thead>
        <tbody>
          {secrets?.length === 0 && <tr><td colSpan={7} class="muted">No secrets yet.</td></tr>}
          {secrets?.map((s) => [
            <tr key={s.id} data-testid="secret-row" data-name={s.name}>
              <td>{s.name}</td>
              <td>{s.env_var ? <code>${s.env_var}</code> : '–'}</td>
              <td>{s.file_path ?? '–'}</td>
              <td data-testid="secret-where">{whereEnabled(s, workspace)}</td>
              <td>{s.has_value ? 'stored' : <span class="tool-error">missing</span>}</td>
              <td>{when(s.updated_at)}</td>
              <td class="row-actions">
                <button class="link" data-testid="secret-edit" onClick={() => setEditing(editing === s.id ? null : s.id)}>Edit</button>
                <button class="link" data-testid="secret-delete" onClick={() => void remove(s)}>Delete</button>
              </td>
            </tr>,
            editing === s.id && <tr key={`${s.id}-edit`}><td colSpan={7}><SecretForm secret={s} workspace={workspace} onDone={done} onCancel={() => setEditing(null)} /></td></tr>,
          ])}
        </tbody>
      </table>
    </div>
  );
}
