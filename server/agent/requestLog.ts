// Records every request sent to a model provider (the seed's "interceptions").
import type { AppContext } from '../context';
import type { AttemptRecord, ModelTarget } from '../llm/types';
import { maskKey } from '../models/providerKeys';

export function recordModelRequest(ctx: AppContext, chatId: string, sessionKey: string, target: ModelTarget, rec: AttemptRecord): void {
  ctx.db.prepare(`INSERT INTO model_requests (chat_id, session_key, provider, provider_name, model, api, credential_kind, credential_hint,
      input_tokens, output_tokens, reasoning_tokens, cache_read_input_tokens, cache_write_input_tokens, status_code, error, started_at, duration_ms)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
    chatId, sessionKey, target.providerType, target.providerName, target.model, target.api, target.credentialKind, maskKey(target.apiKey),
    rec.usage?.input_tokens ?? null, rec.usage?.output_tokens ?? null, rec.usage?.reasoning_tokens ?? null,
    rec.usage?.cache_read_tokens ?? null, rec.usage?.cache_creation_tokens ?? null, rec.statusCode ?? null, rec.error ?? null,
    rec.startedAt, rec.durationMs,
  );
}
