// One openai SDK client per provider target. The SDK's own retries are off: ours report each retry.
// Azure OpenAI speaks its own dialect (deployments in the path, api-version, an api-key header): the SDK's
// AzureOpenAI client handles it, with the request's `model` naming the deployment.
import OpenAI, { AzureOpenAI } from 'openai';
import { sseFetch } from './sseFetch';
import type { ModelTarget } from './types';

/** What a client needs: where, with which key, and for Azure its api-version. */
export type ClientTarget = Pick<ModelTarget, 'baseUrl' | 'apiKey'> & Partial<Pick<ModelTarget, 'providerType' | 'apiVersion'>>;

/** The api-version Azure requests name when the provider sets none. */
export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

const clients = new Map<string, OpenAI>();

export function clientFor(target: ClientTarget, timeoutMs = 10 * 60_000): OpenAI {
  const azure = target.providerType === 'azure';
  const key = `${target.providerType ?? ''}\n${target.baseUrl}\n${target.apiKey ?? ''}\n${target.apiVersion ?? ''}\n${timeoutMs}`;
  let c = clients.get(key);
  if (!c) {
    // Local OpenAI-compatible servers often need no key; the SDK insists on a non-empty one.
    const common = { apiKey: target.apiKey || 'not-needed', maxRetries: 0, timeout: timeoutMs, fetch: sseFetch };
    // The resource's /openai path is given as baseURL: with `endpoint`, the SDK would also read OPENAI_BASE_URL
    // from the environment (set for the env provider) and refuse both.
    c = azure
      ? new AzureOpenAI({ ...common, baseURL: `${target.baseUrl.replace(/\/+$/, '')}/openai`, apiVersion: target.apiVersion ?? DEFAULT_AZURE_API_VERSION })
      : new OpenAI({ ...common, baseURL: target.baseUrl });
    clients.set(key, c);
  }
  return c;
}
