// The one provider form, in the chat view's first-run card and in the management panel: a provider type or a
// preset (OpenAI, Ollama, LM Studio, vLLM, OpenRouter, other OpenAI-compatible, Azure OpenAI), the base URL,
// the key (entered in VS Code's own input box; the view only learns whether there is one), the models the
// provider lists, a Test that makes one tiny request and says in words what is wrong, and Save. The management
// panel adds the instance's name, Azure's api-version and the key's environment variable, and edits saved
// providers. Errors the server names a field for are shown next to that field.
import { useEffect, useState } from 'preact/hooks';
import type { ModelOptions, Provider } from '../../server/protocol';
import type { ProviderModel, TestProviderResult } from '../../server/protocol/requests';
import { PROVIDER_PRESETS, presetOf, type ProviderPreset } from '../../server/protocol/providerPresets';
import { providerSetup } from '../rpc';

export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

export interface ProviderFormProps {
  /** `setup`: the first-run card (no name, the provider at this URL). `manage`: the management panel. */
  mode: 'setup' | 'manage';
  /** A saved provider to edit (manage only): its models are edited in the model list, not here. */
  provider?: Provider;
  onSaved?(provider: Provider): void;
  onCancel?(): void;
}

interface FormError { message: string; field?: string }

const nameOf = (p: ProviderPreset) => p.label.replace(/ \((local)\)$/, '').replace(/^Other /, '');

/** What the list says about a model, in a line (manage mode shows it under the picker). */
export function describeModel(d: ProviderModel | undefined): string {
  if (!d) return '';
  const parts: string[] = [];
  if (d.context_length) parts.push(`context ${d.context_length.toLocaleString()}`);
  if (d.max_output_tokens) parts.push(`max output ${d.max_output_tokens.toLocaleString()}`);
  if (d.cost?.input_price_per_million_tokens) parts.push(`$${d.cost.input_price_per_million_tokens}/M in`);
  if (d.cost?.output_price_per_million_tokens) parts.push(`$${d.cost.output_price_per_million_tokens}/M out`);
  if (d.image_input !== 'unknown') parts.push(d.image_input === 'yes' ? 'images' : 'no images');
  return parts.join(' · ');
}

/** The model options a listed model starts with: its prices, max output and image input. */
export function optionsFromListing(d: ProviderModel | undefined): ModelOptions | undefined {
  if (!d) return undefined;
  const o: ModelOptions = {};
  if (d.cost) o.cost = d.cost;
  if (d.max_output_tokens) o.max_output_tokens = d.max_output_tokens;
  if (d.image_input !== 'unknown') o.image_input = d.image_input;
  return Object.keys(o).length ? o : undefined;
}

export function ProviderForm({ mode, provider, onSaved, onCancel }: ProviderFormProps) {
  const manage = mode === 'manage';
  const editing = !!provider;
  const initial = provider ? presetOf(provider.provider, provider.base_url) : PROVIDER_PRESETS[0];
  const [presetId, setPresetId] = useState(initial.id);
  const preset = PROVIDER_PRESETS.find((p) => p.id === presetId) ?? initial;
  const azure = preset.type === 'azure';
  const [name, setName] = useState(provider?.provider_name ?? nameOf(initial));
  const [nameEdited, setNameEdited] = useState(editing);
  const [baseUrl, setBaseUrl] = useState(provider?.base_url ?? initial.baseUrl);
  const [apiVersion, setApiVersion] = useState(provider?.options.api_version ?? DEFAULT_AZURE_API_VERSION);
  const [keyEnv, setKeyEnv] = useState(provider?.key_env ?? '');
  const [hasKey, setHasKey] = useState(false);
  const [models, setModels] = useState<string[]>([]);
  const [details, setDetails] = useState<ProviderModel[]>([]);
  const [model, setModel] = useState('');
  const [test, setTest] = useState<TestProviderResult | null>(null);
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  // The host holds this form's key under its id; a closed form's key is forgotten.
  const [form] = useState(() => `form-${Math.random().toString(36).slice(2)}`);
  useEffect(() => () => { void providerSetup({ op: 'clearKey', form }); }, [form]);

  const step = async <T,>(what: string, run: () => Promise<T>): Promise<T | undefined> => {
    setBusy(what);
    setError(null);
    try {
      return await run();
    } finally {
      setBusy(null);
    }
  };
  const pickPreset = (id: string) => {
    const next = PROVIDER_PRESETS.find((p) => p.id === id) ?? PROVIDER_PRESETS[0];
    setPresetId(id);
    setBaseUrl(next.baseUrl);
    if (!nameEdited) setName(nameOf(next));
    setModels([]);
    setDetails([]);
    setTest(null);
  };
  const target = () => ({
    base_url: baseUrl.trim(),
    provider: preset.type,
    ...(azure ? { options: { api_version: apiVersion.trim() || DEFAULT_AZURE_API_VERSION } } : {}),
    ...(provider ? { provider_id: provider.id } : {}),
  });
  const fields = () => ({
    ...target(),
    ...(manage ? { provider_name: name.trim() || undefined, key_env: keyEnv.trim() || null } : {}),
  });
  const askKey = () => step('key', async () => {
    const r = await providerSetup({ op: 'askKey', form });
    if (r.ok) setHasKey(!!r.has_key);
    setTest(null);
  });
  const fetchModels = () => step('models', async () => {
    const r = await providerSetup({ op: 'models', ...target(), form });
    if (!r.ok) { setError({ message: r.error ?? 'The models could not be listed.', field: r.field ?? 'base_url' }); return; }
    setModels(r.models ?? []);
    setDetails(r.details ?? []);
    if (!model && r.models?.[0]) setModel(r.models[0]);
  });
  const runTest = () => step('test', async () => {
    const r = await providerSetup({ op: 'test', ...target(), model: model.trim(), form });
    if (!r.ok) setError({ message: r.error ?? 'The test could not run.', field: r.field });
    else setTest(r.test ?? null);
  });
  const save = () => step('save', async () => {
    const listed = details.find((d) => d.id === model.trim());
    const r = provider
      ? await providerSetup({ op: 'update', ...fields(), provider_id: provider.id, form })
      : await providerSetup({
        op: 'save', form, ...fields(), model: model.trim(),
        ...(manage ? { model_options: optionsFromListing(listed), context_limit: listed?.context_length } : {}),
      });
    if (!r.ok) { setError({ message: r.error ?? 'The provider could not be saved.', field: r.field }); return; }
    if (r.provider) onSaved?.(r.provider);
  });
  const urlOk = /^https?:\/\/\S+$/.test(baseUrl.trim());
  const needsModel = !editing;
  const keyState = hasKey ? 'entered'
    : provider?.key_source === 'personal' ? 'stored in VS Code'
      : provider?.key_source === 'centralized' ? `from $${provider.key_env ?? 'environment'}`
        : preset.needsKey ? 'not set' : 'not needed';
  const fieldError = (...names: string[]) => (error?.field && names.some((n) => error.field === n || error.field?.startsWith(`${n}.`))
    ? <div class="tool-error field-error" data-testid="field-error" data-field={error.field}>{error.message}</div> : null);
  const shownAtField = !!error?.field && ['provider_name', 'base_url', 'options', 'key_env', 'model', 'api_key'].some((n) => error.field === n || error.field?.startsWith(`${n}.`));

  return (
    <div class="setup-form provider-form" data-testid="provider-form">
      <label>Provider
        <select data-testid="setup-preset" value={presetId} onChange={(e) => pickPreset((e.target as HTMLSelectElement).value)}>
          {PROVIDER_PRESETS.map((p) => <option key={p.id} value={p.id}>{p.label}</option>)}
        </select>
      </label>
      <div class="hint">{preset.hint}</div>
      {manage && <label>Name
        <input data-testid="provider-name" value={name} placeholder="e.g. ollama-laptop" onInput={(e) => { setName((e.target as HTMLInputElement).value); setNameEdited(true); }} />
      </label>}
      {fieldError('provider_name')}
      <label>{azure ? 'Endpoint' : 'Base URL'}
        <input data-testid="setup-base-url" value={baseUrl} placeholder={azure ? 'https://NAME.openai.azure.com' : 'https://…/v1'} onInput={(e) => { setBaseUrl((e.target as HTMLInputElement).value); setTest(null); }} />
      </label>
      {fieldError('base_url')}
      {azure && <label>API version
        <input data-testid="provider-api-version" value={apiVersion} placeholder={DEFAULT_AZURE_API_VERSION} onInput={(e) => setApiVersion((e.target as HTMLInputElement).value)} />
      </label>}
      {fieldError('options')}
      <div class="setup-row">
        <span data-testid="setup-key-state">API key: {keyState}</span>
        <button class="secondary small" data-testid="setup-key" disabled={!!busy} onClick={() => void askKey()}>{hasKey || provider?.key_source === 'personal' ? 'Change key…' : 'Enter key…'}</button>
      </div>
      {fieldError('api_key')}
      {manage && <label>Key from environment variable (headless runs; a key stored in VS Code wins)
        <input data-testid="provider-key-env" value={keyEnv} placeholder="e.g. OPENROUTER_API_KEY" onInput={(e) => setKeyEnv((e.target as HTMLInputElement).value)} />
      </label>}
      {fieldError('key_env')}
      {needsModel && <div class="setup-row">
        <label class="grow">{azure ? 'Model (deployment name)' : manage ? 'Default model' : 'Model'}
          {models.length > 0
            ? <select data-testid="setup-model" value={model} onChange={(e) => { setModel((e.target as HTMLSelectElement).value); setTest(null); }}>{models.map((m) => <option key={m} value={m}>{m}</option>)}</select>
            : <input data-testid="setup-model" value={model} placeholder="model id" onInput={(e) => { setModel((e.target as HTMLInputElement).value); setTest(null); }} />}
        </label>
        <button class="secondary small" data-testid="setup-fetch-models" disabled={!!busy || !urlOk} onClick={() => void fetchModels()}>{busy === 'models' ? 'Listing…' : 'Fetch models'}</button>
      </div>}
      {needsModel && manage && details.length > 0 && <div class="hint" data-testid="setup-model-details">{describeModel(details.find((d) => d.id === model)) || 'The list publishes nothing more about this model.'}</div>}
      {fieldError('model')}
      {test && <div class={`setup-test ${test.ok ? 'ok' : 'fail'}`} data-testid="setup-test-result"><span class={`codicon codicon-${test.ok ? 'check' : 'error'}`} /> {test.ok ? `${test.message} (${test.latency_ms} ms)` : test.message}</div>}
      {error && !shownAtField && <div class="tool-error" data-testid="setup-error">{error.message}</div>}
      <div class="actions">
        {needsModel && <button class="secondary" data-testid="setup-test" disabled={!!busy || !urlOk || !model.trim()} onClick={() => void runTest()}>{busy === 'test' ? 'Testing…' : 'Test'}</button>}
        <button data-testid="setup-save" disabled={!!busy || !urlOk || (needsModel && !model.trim())} onClick={() => void save()}>{editing ? 'Save' : manage ? 'Save as default' : 'Save'}</button>
        {onCancel && <button class="secondary" data-testid="provider-cancel" disabled={!!busy} onClick={onCancel}>Cancel</button>}
      </div>
    </div>
  );
}
