// First run: no provider yet. The provider form: a preset or a base URL, the key (entered in VS Code's own
// input box; this view only learns whether there is one), the models the provider lists, a Test that makes
// one tiny request and says in words what is wrong, and Save.
import { useState } from 'preact/hooks';
import type { TestProviderResult } from '../../server/protocol/requests';
import { PROVIDER_PRESETS } from '../../server/protocol/providerPresets';
import { providerSetup } from '../rpc';

export function SetupCard() {
  const [presetId, setPresetId] = useState(PROVIDER_PRESETS[0].id);
  const preset = PROVIDER_PRESETS.find((p) => p.id === presetId) ?? PROVIDER_PRESETS[0];
  const [baseUrl, setBaseUrl] = useState(preset.baseUrl);
  const [hasKey, setHasKey] = useState(false);
  const [models, setModels] = useState<string[]>([]);
  const [model, setModel] = useState('');
  const [test, setTest] = useState<TestProviderResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

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
    setModels([]);
    setTest(null);
  };
  const askKey = () => step('key', async () => {
    const r = await providerSetup({ op: 'askKey' });
    if (r.ok) setHasKey(!!r.has_key);
    setTest(null);
  });
  const fetchModels = () => step('models', async () => {
    const r = await providerSetup({ op: 'models', base_url: baseUrl.trim() });
    if (!r.ok) { setError(r.error ?? 'The models could not be listed.'); return; }
    setModels(r.models ?? []);
    if (!model && r.models?.[0]) setModel(r.models[0]);
  });
  const runTest = () => step('test', async () => {
    const r = await providerSetup({ op: 'test', base_url: baseUrl.trim(), model: model.trim() });
    if (!r.ok) setError(r.error ?? 'The test could not run.');
    else setTest(r.test ?? null);
  });
  const save = () => step('save', async () => {
    const r = await providerSetup({ op: 'save', base_url: baseUrl.trim(), model: model.trim() });
    if (!r.ok) setError(r.error ?? 'The provider could not be saved.');
  });
  const urlOk = /^https?:\/\/\S+$/.test(baseUrl.trim());

  return (
    <div class="card setup" data-testid="setup-card">
      <h3><span class="codicon codicon-plug" /> Connect a model provider</h3>
      <div class="setup-form">
        <label>Provider
          <select data-testid="setup-preset" value={presetId} onChange={(e) => pickPreset((e.target as HTMLSelectElement).value)}>
            {PROVIDER_PRESETS.map((p) => <option key={p.id} value={p.id}>{p.label}</option>)}
          </select>
        </label>
        <div class="hint">{preset.hint}</div>
        <label>Base URL
          <input data-testid="setup-base-url" value={baseUrl} placeholder="https://…/v1" onInput={(e) => { setBaseUrl((e.target as HTMLInputElement).value); setTest(null); }} />
        </label>
        <div class="setup-row">
          <span data-testid="setup-key-state">API key: {hasKey ? 'entered' : preset.needsKey ? 'not set' : 'not needed'}</span>
          <button class="secondary small" data-testid="setup-key" disabled={!!busy} onClick={() => void askKey()}>{hasKey ? 'Change key…' : 'Enter key…'}</button>
        </div>
        <div class="setup-row">
          <label class="grow">Model
            {models.length > 0
              ? <select data-testid="setup-model" value={model} onChange={(e) => { setModel((e.target as HTMLSelectElement).value); setTest(null); }}>{models.map((m) => <option key={m} value={m}>{m}</option>)}</select>
              : <input data-testid="setup-model" value={model} placeholder="model id" onInput={(e) => { setModel((e.target as HTMLInputElement).value); setTest(null); }} />}
          </label>
          <button class="secondary small" data-testid="setup-fetch-models" disabled={!!busy || !urlOk} onClick={() => void fetchModels()}>{busy === 'models' ? 'Listing…' : 'Fetch models'}</button>
        </div>
        {test && <div class={`setup-test ${test.ok ? 'ok' : 'fail'}`} data-testid="setup-test-result"><span class={`codicon codicon-${test.ok ? 'check' : 'error'}`} /> {test.ok ? `${test.message} (${test.latency_ms} ms)` : test.message}</div>}
        {error && <div class="tool-error" data-testid="setup-error">{error}</div>}
        <div class="actions">
          <button class="secondary" data-testid="setup-test" disabled={!!busy || !urlOk || !model.trim()} onClick={() => void runTest()}>{busy === 'test' ? 'Testing…' : 'Test'}</button>
          <button data-testid="setup-save" disabled={!!busy || !urlOk || !model.trim()} onClick={() => void save()}>Save</button>
        </div>
        <div class="hint">Or set <code>OPENAI_BASE_URL</code> / <code>OPENAI_API_KEY</code> before starting VS Code. The key is kept in VS Code's secret storage.</div>
      </div>
    </div>
  );
}
