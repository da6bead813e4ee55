// The models a provider offers (GET /models).
import { clientFor } from './client';
import { toModelError } from './errors';

export async function listProviderModels(baseUrl: string, apiKey: string | undefined): Promise<string[]> {
  const client = clientFor({ baseUrl, apiKey }, 15_000);
  try {
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    return ids.sort();
  } catch (err) {
    throw toModelError(err, { model: '(model list)', baseUrl });
  }
}
