// Records every request sent to a model provider (the seed's "interceptions"), priced by its model config,
// and lists them for the Request Log view, the API and the CLI.
import type { AppContext } from '../context';
import { badRequest } from '../errors';
import { computeCostMicros } from '../llm/cost';
import type { AttemptRecord, ModelTarget } from '../llm/types';
import { maskKey } from '../models/providerKeys';
import type { ModelOptions } from '../protocol';
import type { ModelRequest, ModelRequestsPage } from '../protocol/usage';
import type { ParsedParams } from '../protocol/schemas';
import { insertModelRequest, listModelRequests } from '../store/modelRequests';
import { pricedConfigOptions } from '../models/modelConfigs';
import { localRange } from './localDays';
import { getChatRow } from '../store/chats';
import type { ChatRow } from '../store/rows';

export interface RequestOrigin {
  chatId: string | null;
  /** The client's session key, else the chat tree's root; a request alone is its own session. */
  sessionKey: string | null;
  kind: ModelRequest['kind'];
}

/** A chat's requests group under the client's session key (the chat's or its root's), else the chat tree's root. */
export function sessionKeyOf(ctx: AppContext, chat: Pick<ChatRow, 'id' | 'root_chat_id' | 'session_key'>): string {
  if (chat.session_key) return chat.session_key;
  const root = chat.root_chat_id ? getChatRow(ctx.db, chat.root_chat_id) : undefined;
  return root?.session_key ?? chat.root_chat_id ?? chat.id;
}

/** Returns the row's id (a step links its requests to the message it produced). */
export function recordModelRequest(ctx: AppContext, origin: RequestOrigin, target: ModelTarget, rec: AttemptRecord): number {
  const options: ModelOptions | undefined = pricedConfigOptions(ctx.db, target.modelConfigId, target.providerId, target.modelName);
  const usage = rec.usage;
  const id = insertModelRequest(ctx.db, {
    chatId: origin.chatId, messageId: null, sessionKey: origin.sessionKey ?? `request:${ctx.now()}:${Math.random().toString(36).slice(2, 10)}`,
    kind: origin.kind, provider: target.providerType, providerId: target.providerId, providerName: target.providerName,
    modelConfigId: target.modelConfigId ?? null, model: target.modelName, api: target.api, credentialKind: target.credentialKind, credentialHint: maskKey(target.apiKey),
    inputTokens: usage?.input_tokens ?? null, outputTokens: usage?.output_tokens ?? null, reasoningTokens: usage?.reasoning_tokens ?? null,
    cacheReadTokens: usage?.cache_read_tokens ?? null, cacheWriteTokens: usage?.cache_creation_tokens ?? null,
    costMicros: usage ? computeCostMicros(usage, options?.cost) : null,
    statusCode: rec.statusCode ?? null, outcome: rec.error && rec.error !== 'aborted' ? (rec.retried ? 'retried' : 'error') : 'ok',
    errorKind: rec.errorKind ?? null, error: rec.error ?? null, attempt: rec.attempt ?? 1,
    startedAt: rec.startedAt, durationMs: rec.durationMs, ttftMs: rec.ttftMs ?? null,
  });
  ctx.events.usageChanged();
  return id;
}

const DEFAULT_PAGE = 100;

export function listRequests(ctx: AppContext, p: ParsedParams<'ListModelRequests'>): ModelRequestsPage {
  if (p.from && p.to && p.from > p.to) throw badRequest('from must not be after to.', undefined, 'from');
  const range = p.from || p.to ? localRange(p.from ?? '1970-01-02', p.to ?? '9999-12-30') : undefined;
  const limit = p.limit ?? DEFAULT_PAGE;
  const requests = listModelRequests(ctx.db, {
    chatId: p.chat_id, model: p.model, providerName: p.provider_name, outcome: p.outcome, kind: p.kind,
    fromMs: p.from ? range?.fromMs : undefined, toMs: p.to ? range?.toMs : undefined, beforeId: p.before_id, limit,
  });
  return { requests, next_before_id: requests.length === limit ? requests[requests.length - 1].id : null };
}
