// Server-initiated sampling (`sampling/createMessage`) for MCP servers whose config enables it: the
// request runs as one non-streamed completion on the model of the chat the server is working for (the
// default model when it serves several or none). Turning `sampling_enabled` on is the user's consent.
import type { CreateMessageRequest, CreateMessageResult } from '@modelcontextprotocol/sdk/types.js';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { modelTarget } from '../agent/modelTarget';
import type { AppContext } from '../context';
import { maxTokensParam, usageFromCompletion } from '../llm/chatCompletions';
import { toModelError } from '../llm/errors';
import { recordModelRequest, sessionKeyOf } from '../usage/requestLog';
import { assertWithinSpendLimits } from '../usage/spendLimit';
import { clientFor } from '../llm/client';
import { resolveTurnModel } from '../models/modelConfigs';
import { getChatRow } from '../store/chats';

export interface SamplingRequest { chatId: string | null; params: CreateMessageRequest['params'] }
export type Sampler = (req: SamplingRequest) => Promise<CreateMessageResult>;

type SamplingContent = CreateMessageRequest['params']['messages'][number]['content'];

/** Text of a sampling message; images and audio are named, not sent (the chat models here take text). */
function textOf(content: SamplingContent): string {
  const parts = Array.isArray(content) ? content : [content];
  return parts.map((p) => (p.type === 'text' ? p.text : `[${p.type} omitted]`)).join('\n');
}

export function chatModelSampler(ctx: AppContext): Sampler {
  return async ({ chatId, params }) => {
    const chat = chatId ? getChatRow(ctx.db, chatId) : undefined;
    const target = modelTarget(ctx, resolveTurnModel(ctx.db, [chat?.last_model_config_id]));
    const messages: ChatCompletionMessageParam[] = [
      ...(params.systemPrompt ? [{ role: 'system' as const, content: params.systemPrompt }] : []),
      ...params.messages.map((m) => ({ role: m.role, content: textOf(m.content) })),
    ];
    assertWithinSpendLimits(ctx);
    const origin = { chatId, sessionKey: chat ? sessionKeyOf(ctx, chat) : null, kind: 'sampling' as const };
    const startedAt = Date.now();
    let r;
    try {
      r = await clientFor(target).chat.completions.create({
        model: target.model,
        messages,
        ...maxTokensParam(target, params.maxTokens),
        ...(params.temperature !== undefined ? { temperature: params.temperature } : {}),
        ...(params.stopSequences?.length ? { stop: params.stopSequences } : {}),
      });
    } catch (err) {
      const e = toModelError(err, { model: target.model, baseUrl: target.baseUrl });
      recordModelRequest(ctx, origin, target, { statusCode: e.statusCode, error: e.message, errorKind: e.kind, startedAt, durationMs: Date.now() - startedAt });
      throw e;
    }
    recordModelRequest(ctx, origin, target, { statusCode: 200, usage: r.usage ? usageFromCompletion(r.usage) : undefined, startedAt, durationMs: Date.now() - startedAt });
    const choice = r.choices[0];
    return {
      role: 'assistant',
      content: { type: 'text', text: choice?.message?.content ?? '' },
      model: target.model,
      stopReason: choice?.finish_reason === 'length' ? 'maxTokens' : 'endTurn',
    };
  };
}
