// One model config's form: display name, context limit, max output, reasoning effort, image input, the four
// prices per million tokens, the default flag, and for Azure the deployment. A new model can be picked from
// the provider's list ("Fetch models"), which fills in what the list publishes (OpenRouter: prices).
import { useState } from 'preact/hooks';
import type { ModelConfig, Provider } from '../../server/protocol';
import { CreateModelConfig, UpdateModelConfig } from '../../server/protocol/methods';
import type { ProviderModel } from '../../server/protocol/requests';
import { describeModel } from '../components/ProviderForm';
import { providerSetup, request, RequestError } from '../rpc';
import { createParams, FieldError, formFromConfig, formFromListing, PRICE_FIELDS, REASONING_EFFORTS, updateParams, type ModelFormState } from './modelForm';

interface Props { provider: Provider; config?: ModelConfig; onDone(): void; onCancel(): void }

const priceTestId = (key: string) => `model-price-${key.replace(/_price_per_million_tokens$/, '').replace(/_/g, '-')}`;

export function ModelEditor({ provider, config, onDone, onCancel }: Props) {
  const [f, setF] = useState<ModelFormState>(() => (config ? formFromConfig(config) : formFromListing(undefined)));
  const [listed, setListed] = useState<ProviderModel[]>([]);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<ModelFormState>) => setF((s) => ({ ...s, ...patch }));
  const setPrice = (key: keyof ModelFormState['prices'], v: string) => setF((s) => ({ ...s, prices: { ...s.prices, [key]: v } }));

  const fetchModels = async () => {
    setBusy(true);
    setError(null);
    const r = await providerSetup({ op: 'models', base_url: provider.base_url, provider: provider.provider, options: provider.options, provider_id: provider.id, form: `models-${provider.id}` });
    setBusy(false);
    if (!r.ok) { setError({ message: r.error ?? 'The models could not be listed.', field: 'model' }); return; }
    setListed(r.details ?? []);
    if (!f.model && r.details?.[0]) setF({ ...formFromListing(r.details[0]), is_default: f.is_default });
  };
  const pick = (id: string) => setF({ ...formFromListing(listed.find((d) => d.id === id), id), is_default: f.is_default, display_name: f.display_name });

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      if (config) await request(UpdateModelConfig, updateParams(config, f));
      else await request(CreateModelConfig, createParams(provider.id, f));
      onDone();
    } catch (e) {
      setError({ message: e instanceof RequestError && e.detail && !e.message.includes(e.detail) ? `${e.message} ${e.detail}` : (e as Error).message, field: e instanceof FieldError || e instanceof RequestError ? e.field : undefined });
    } finally {
      setBusy(false);
    }
  };
  const at = (...fields: string[]) => (error?.field && fields.includes(error.field)
    ? <div class="tool-error field-error" data-testid="field-error" data-field={error.field}>{error.message}</div> : null);
  const known = ['model', 'display_name', 'context_limit', 'options.max_output_tokens', 'options.reasoning_effort', 'options.image_input', 'options.deployment', 'is_default', ...PRICE_FIELDS.map(([k]) => `options.cost.${k}`)];

  return (
    <div class="model-editor setup-form" data-testid="model-editor">
      {!config && (
        <div class="setup-row">
          <label class="grow">Model
            {listed.length > 0
              ? <select data-testid="model-id" value={f.model} onChange={(e) => pick((e.target as HTMLSelectElement).value)}>{listed.map((d) => <option key={d.id} value={d.id}>{d.id}</option>)}</select>
              : <input data-testid="model-id" value={f.model} placeholder="model id" onInput={(e) => set({ model: (e.target as HTMLInputElement).value })} />}
          </label>
          <button class="secondary small" data-testid="model-fetch" disabled={busy} onClick={() => void fetchModels()}>Fetch models</button>
        </div>
      )}
      {!config && listed.length > 0 && <div class="hint">{describeModel(listed.find((d) => d.id === f.model)) || 'The list publishes nothing more about this model.'}</div>}
      {at('model')}
      <div class="field-grid">
        <label>Display name
          <input data-testid="model-display-name" value={f.display_name} placeholder={f.model || 'as the model id'} onInput={(e) => set({ display_name: (e.target as HTMLInputElement).value })} />
          {at('display_name')}
        </label>
        {provider.provider === 'azure' && <label>Deployment
          <input data-testid="model-deployment" value={f.deployment} placeholder={f.model || 'deployment name'} onInput={(e) => set({ deployment: (e.target as HTMLInputElement).value })} />
          {at('options.deployment')}
        </label>}
        <label>Context limit (tokens)
          <input data-testid="model-context-limit" inputMode="numeric" value={f.context_limit} placeholder="128000" onInput={(e) => set({ context_limit: (e.target as HTMLInputElement).value })} />
          {at('context_limit')}
        </label>
        <label>Max output (tokens)
          <input data-testid="model-max-output" inputMode="numeric" value={f.max_output_tokens} placeholder="provider default" onInput={(e) => set({ max_output_tokens: (e.target as HTMLInputElement).value })} />
          {at('options.max_output_tokens')}
        </label>
        <label>Reasoning effort
          <select data-testid="model-reasoning" value={f.reasoning_effort} onChange={(e) => set({ reasoning_effort: (e.target as HTMLSelectElement).value as ModelFormState['reasoning_effort'] })}>
            <option value="">provider default</option>
            {REASONING_EFFORTS.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
          {at('options.reasoning_effort')}
        </label>
        <label>Image input
          <select data-testid="model-image-input" value={f.image_input} onChange={(e) => set({ image_input: (e.target as HTMLSelectElement).value as ModelFormState['image_input'] })}>
            <option value="unknown">unknown (tried)</option>
            <option value="yes">yes</option>
            <option value="no">no</option>
          </select>
          {at('options.image_input')}
        </label>
      </div>
      <div class="field-grid prices">
        {PRICE_FIELDS.map(([key, label]) => (
          <label key={key}>{label} $/M tokens
            <input data-testid={priceTestId(key)} inputMode="decimal" value={f.prices[key]} placeholder="unpriced" onInput={(e) => setPrice(key, (e.target as HTMLInputElement).value)} />
            {at(`options.cost.${key}`)}
          </label>
        ))}
      </div>
      <label class="check"><input type="checkbox" data-testid="model-default" checked={f.is_default} onChange={(e) => set({ is_default: (e.target as HTMLInputElement).checked })} /> Default for new chats</label>
      {error && !known.includes(error.field ?? '') && <div class="tool-error" data-testid="model-error">{error.message}</div>}
      <div class="actions">
        <button data-testid="model-save" disabled={busy} onClick={() => void save()}>{config ? 'Save model' : 'Add model'}</button>
        <button class="secondary" data-testid="model-cancel" disabled={busy} onClick={onCancel}>Cancel</button>
      </div>
    </div>
  );
}
