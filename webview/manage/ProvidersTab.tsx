// Providers & Models: every provider (name, type, base URL, where its key comes from) with its model configs;
// add or edit a provider with the shared provider form; add, edit, delete models and pick the default.
import { useEffect, useState } from 'preact/hooks';
import type { ModelConfig, Provider } from '../../server/protocol';
import { DeleteModelConfig, ListModelConfigs, ListProviders, UpdateModelConfig } from '../../server/protocol/methods';
import { ProviderForm } from '../components/ProviderForm';
import { manageOp, onHostMessage, request } from '../rpc';
import { ModelEditor } from './ModelEditor';
import { dollars } from './format';

const TYPE_LABEL: Record<Provider['provider'], string> = { openai: 'OpenAI', 'openai-compat': 'OpenAI-compatible', azure: 'Azure OpenAI' };

function keySource(p: Provider): string {
  if (p.key_source === 'personal') return 'personal key (VS Code secret storage)';
  // The provider made from OPENAI_BASE_URL has its key from OPENAI_API_KEY.
  if (p.key_source === 'centralized') return `centralized key from $${p.key_env ?? (p.source === 'env_preset' ? 'OPENAI_API_KEY' : 'environment')}`;
  return p.key_env ? `no key ($${p.key_env} is not set)` : 'no key';
}

const price = (v: string | undefined) => (v === undefined ? '–' : dollars(Math.round(Number(v) * 1e6)));

export function ProvidersTab() {
  const [providers, setProviders] = useState<Provider[] | null>(null);
  const [configs, setConfigs] = useState<ModelConfig[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const load = async () => {
    try {
      const [p, c] = await Promise.all([request(ListProviders, {}), request(ListModelConfigs, {})]);
      setProviders(p);
      setConfigs(c);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  useEffect(() => { void load(); return onHostMessage((m) => { if (m.type === 'providersChanged') void load(); }); }, []);

  const remove = async (p: Provider) => {
    const r = await manageOp({ op: 'deleteProvider', provider_id: p.id });
    if (!r.ok && !r.cancelled) setError(r.error ?? 'The provider could not be deleted.');
    void load();
  };

  return (
    <div class="providers" data-testid="providers-tab">
      <div class="toolbar">
        <button data-testid="add-provider" disabled={adding} onClick={() => setAdding(true)}><span class="codicon codicon-add" /> Add provider</button>
        <span class="hint">Keys are kept in VS Code's secret storage; a stored key wins over the provider's environment variable.</span>
      </div>
      {error && <div class="tool-error" data-testid="providers-error">{error}</div>}
      {adding && (
        <section class="panel-card" data-testid="new-provider">
          <h3>New provider</h3>
          <ProviderForm mode="manage" onSaved={() => { setAdding(false); void load(); }} onCancel={() => setAdding(false)} />
        </section>
      )}
      {providers?.length === 0 && !adding && <div class="empty">No provider yet. Add one to start chatting.</div>}
      {providers?.map((p) => (
        <section key={p.id} class="panel-card provider" data-testid="provider-row" data-name={p.provider_name}>
          <div class="provider-head">
            <h3>{p.provider_name}</h3>
            <span class="badge">{TYPE_LABEL[p.provider]}</span>
            {p.source === 'env_preset' && <span class="badge" title="Made from OPENAI_BASE_URL / OPENAI_API_KEY">environment</span>}
            <span class="spacer" />
            <button class="secondary small" data-testid="provider-edit" onClick={() => setEditing(editing === p.id ? null : p.id)}>Edit</button>
            <button class="secondary small" data-testid="provider-delete" onClick={() => void remove(p)}>Delete</button>
          </div>
          <div class="provider-meta">
            <span data-testid="provider-base-url">{p.base_url}</span>
            {p.options.api_version && <span>api-version {p.options.api_version}</span>}
            <span data-testid="provider-key-source" data-source={p.key_source}><span class="codicon codicon-key" /> {keySource(p)}</span>
          </div>
          {editing === p.id && (
            <ProviderForm mode="manage" provider={p} onSaved={() => { setEditing(null); void load(); }} onCancel={() => setEditing(null)} />
          )}
          <ModelList provider={p} configs={configs.filter((c) => c.provider_id === p.id)} onChanged={() => void load()} />
        </section>
      ))}
    </div>
  );
}

function ModelList({ provider, configs, onChanged }: { provider: Provider; configs: ModelConfig[]; onChanged(): void }) {
  const [editing, setEditing] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const act = async (run: () => Promise<unknown>) => {
    setError(null);
    try { await run(); } catch (e) { setError((e as Error).message); }
    onChanged();
  };
  return (
    <div class="models">
      <table class="grid" data-testid="model-table">
        <thead><tr><th>Model</th><th>Context</th><th>Max output</th><th>Reasoning</th><th>Images</th><th>$/M in</th><th>$/M out</th><th>$/M cache read</th><th>$/M cache write</th><th /></tr></thead>
        <tbody>
          {configs.length === 0 && <tr><td colSpan={10} class="muted">No model yet.</td></tr>}
          {configs.map((c) => [
            <tr key={c.id} data-testid="model-row" data-model={c.model} class={c.is_default ? 'default' : ''}>
              <td>
                {c.is_default && <span class="codicon codicon-star-full" title="Default for new chats" data-testid="model-default-mark" />} {c.display_name}
                {c.display_name !== c.model && <span class="muted"> {c.model}</span>}
                {c.options.deployment && <span class="muted"> → {c.options.deployment}</span>}
              </td>
              <td class="num">{c.context_limit.toLocaleString('en-US')}</td>
              <td class="num">{c.options.max_output_tokens?.toLocaleString('en-US') ?? '–'}</td>
              <td>{c.options.reasoning_effort ?? '–'}</td>
              <td>{c.options.image_input ?? 'unknown'}</td>
              <td class="num" data-testid="model-price-in">{price(c.options.cost?.input_price_per_million_tokens)}</td>
              <td class="num">{price(c.options.cost?.output_price_per_million_tokens)}</td>
              <td class="num">{price(c.options.cost?.cache_read_price_per_million_tokens)}</td>
              <td class="num">{price(c.options.cost?.cache_write_price_per_million_tokens)}</td>
              <td class="row-actions">
                {!c.is_default && <button class="link" data-testid="model-make-default" onClick={() => void act(() => request(UpdateModelConfig, { model_config_id: c.id, is_default: true }))}>Make default</button>}
                <button class="link" data-testid="model-edit" onClick={() => setEditing(editing === c.id ? null : c.id)}>Edit</button>
                {confirming === c.id
                  ? <button class="link danger" data-testid="model-delete-confirm" onClick={() => { setConfirming(null); void act(() => request(DeleteModelConfig, { model_config_id: c.id })); }}>Really delete?</button>
                  : <button class="link" data-testid="model-delete" onClick={() => setConfirming(c.id)}>Delete</button>}
              </td>
            </tr>,
            editing === c.id && (
              <tr key={`${c.id}-edit`}><td colSpan={10}>
                <ModelEditor provider={provider} config={c} onDone={() => { setEditing(null); onChanged(); }} onCancel={() => setEditing(null)} />
              </td></tr>
            ),
          ])}
        </tbody>
      </table>
      {error && <div class="tool-error">{error}</div>}
      {adding
        ? <ModelEditor provider={provider} onDone={() => { setAdding(false); onChanged(); }} onCancel={() => setAdding(false)} />
        : <button class="secondary small" data-testid="model-add" onClick={() => setAdding(true)}><span class="codicon codicon-add" /> Add model</button>}
    </div>
  );
}
