// The models a provider offers (GET /models).
import { clientFor } from './client';
import { toModelError } from './errors';

export const MODEL_LIST_TIMEOUT_MS = 15_000;

/** Model ids served at `${baseUrl}/models`, sorted; a ModelError saying what went wrong otherwise. */
export async function listProviderModels(baseUrl: string, apiKey: string | undefined): Promise<string[]> {
  const client = clientFor({ baseUrl, apiKey }, MODEL_LIST_TIMEOUT_MS);
  try {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    return [...new Set(ids)].sort();
  } catch (err) {
    throw toModelError(err, {
      model: '(model list)',
      baseUrl,
      notFoundMessage: `${baseUrl} has no model list (GET ${baseUrl.replace(/\/+$/, '')}/models answered 404). Check the base URL; it usually ends in /v1.`,
    });
  }
}
