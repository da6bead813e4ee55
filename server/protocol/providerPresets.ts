// Known providers the provider form offers: the provider type, a base URL to start from and whether a key is
// usually needed. Plain data (no zod), shared by the webview form and the Configure Provider command.
import type { ProviderType } from './types';

export interface ProviderPreset { id: string; label: string; type: ProviderType; baseUrl: string; needsKey: boolean; hint: string }

export const PROVIDER_PRESETS: readonly ProviderPreset[] = [
  { id: 'openai', label: 'OpenAI', type: 'openai', baseUrl: 'https://api.openai.com/v1', needsKey: true, hint: 'A key from platform.openai.com.' },
  { id: 'ollama', label: 'Ollama (local)', type: 'openai-compat', baseUrl: 'http://localhost:11434/v1', needsKey: false, hint: 'Start it with `ollama serve`; no key needed.' },
  { id: 'lmstudio', label: 'LM Studio (local)', type: 'openai-compat', baseUrl: 'http://localhost:1234/v1', needsKey: false, hint: 'Start its local server; no key needed.' },
  { id: 'vllm', label: 'vLLM (local)', type: 'openai-compat', baseUrl: 'http://localhost:8000/v1', needsKey: false, hint: 'Start it with `vllm serve MODEL`; a key only when started with --api-key.' },
  { id: 'openrouter', label: 'OpenRouter', type: 'openai-compat', baseUrl: 'https://openrouter.ai/api/v1', needsKey: true, hint: 'A key from openrouter.ai. Its model list publishes prices, so they are filled in.' },
  { id: 'other', label: 'Other OpenAI-compatible', type: 'openai-compat', baseUrl: '', needsKey: true, hint: 'Any server with /v1/chat/completions (a gateway, llama.cpp…).' },
  { id: 'azure', label: 'Azure OpenAI', type: 'azure', baseUrl: '', needsKey: true, hint: 'The resource endpoint (https://NAME.openai.azure.com), its api-version, and per model the deployment that serves it.' },
];

/** The preset a saved provider matches: its type and URL, else the type's catch-all. */
export function presetOf(type: ProviderType, baseUrl: string): ProviderPreset {
  const url = baseUrl.replace(/\/+$/, '');
  return PROVIDER_PRESETS.find((p) => p.type === type && p.baseUrl && p.baseUrl === url)
    ?? PROVIDER_PRESETS.find((p) => p.type === type && (type !== 'openai-compat' || p.id === 'other'))
    ?? PROVIDER_PRESETS[0];
}
