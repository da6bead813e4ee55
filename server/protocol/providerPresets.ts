// Known OpenAI-compatible providers the provider form offers: a base URL to start from and whether a key is
// usually needed. Plain data (no zod), shared by the webview form and the Configure Provider command.
export interface ProviderPreset { id: string; label: string; baseUrl: string; needsKey: boolean; hint: string }

export const PROVIDER_PRESETS: readonly ProviderPreset[] = [
  { id: 'openai', label: 'OpenAI', baseUrl: 'https://api.openai.com/v1', needsKey: true, hint: 'A key from platform.openai.com.' },
  { id: 'ollama', label: 'Ollama (local)', baseUrl: 'http://localhost:11434/v1', needsKey: false, hint: 'Start it with `ollama serve`; no key needed.' },
  { id: 'lmstudio', label: 'LM Studio (local)', baseUrl: 'http://localhost:1234/v1', needsKey: false, hint: 'Start its local server; no key needed.' },
  { id: 'openrouter', label: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1', needsKey: true, hint: 'A key from openrouter.ai.' },
  { id: 'other', label: 'Other OpenAI-compatible', baseUrl: '', needsKey: true, hint: 'Any server with /v1/chat/completions (vLLM, a gateway…).' },
];
