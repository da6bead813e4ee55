// A model step over the Responses API, streamed. With `store`, a step chains to the last stored
// response (previous_response_id) and sends only what came after it; when the provider no longer
// knows that response, the step is resent once with the full history, unchained.
import type { FunctionTool, ResponseInputItem, ResponseStreamEvent, ResponseUsage } from 'openai/resources/responses/responses';
import type { ReasoningEffort } from 'openai/resources/shared';
import type { ChatMessage, ChatUsage } from '../protocol';
import { clientFor } from './client';
import { isChainBroken } from './errors';
import { joinedText, pairToolCalls } from './history';
import { dataUrl, imagesCaption, planImages, resultTextForModel, sentImages, type ImagePlan, type ToolImage } from './toolImages';
import { countingDeltas, emptyUsage, forEachChunk, runStreamedStep, withArgs, type StepAccumulator } from './streamedStep';
import { ModelError, type ModelToolCall, type StepRequest, type StepResult } from './types';

/** Input items of messages already paired by pairToolCalls; images of tool results follow them in a user message. */
function inputItems(paired: ChatMessage[], plan: ImagePlan): ResponseInputItem[] {
  const items: ResponseInputItem[] = [];
  let images: ToolImage[] = [];
  const flushImages = () => {
    if (images.length === 0) return;
    items.push({ role: 'user', content: [{ type: 'input_text', text: imagesCaption(images) }, ...images.map((i) => ({ type: 'input_image' as const, image_url: dataUrl(i), detail: 'auto' as const }))] });
    images = [];
  };
  for (const m of paired) {
    if (m.role !== 'tool') flushImages();
    if (m.role === 'system' || m.role === 'user') {
      const text = joinedText(m.content);
      if (text) items.push({ role: m.role, content: text });
    } else if (m.role === 'assistant') {
      const text = joinedText(m.content);
      if (text) items.push({ role: 'assistant', content: text });
      for (const p of m.content) if (p.type === 'tool-call') items.push({ type: 'function_call', call_id: p.tool_call_id, name: p.tool_name, arguments: p.args });
    } else {
      for (const p of m.content) {
        if (p.type !== 'tool-result') continue;
        items.push({ type: 'function_call_output', call_id: p.tool_call_id, output: resultTextForModel(p, plan) });
        images.push(...sentImages(p, plan));
      }
    }
  }
  flushImages();
  return items;
}

export interface ResponsesInput {
  previousResponseId?: string;
  input: ResponseInputItem[];
}

/**
 * What to send for `history`: chained to the last assistant message that carries a response id
 * (only the items after it, which start with that message's tool results), or the whole history.
 */
export function responsesInput(history: ChatMessage[], chain: boolean, imagesAllowed = true): ResponsesInput {
  const paired = pairToolCalls(history);
  const plan = planImages(history, imagesAllowed);
  if (chain) {
    for (let i = paired.length - 1; i >= 0; i--) {
      const m = paired[i];
      if (m.role === 'assistant' && m.provider_response_id) return { previousResponseId: m.provider_response_id, input: inputItems(paired.slice(i + 1), plan) };
    }
  }
  return { input: inputItems(paired, plan) };
}

export function usageFromResponse(u: ResponseUsage): ChatUsage {
  const cached = u.input_tokens_details?.cached_tokens ?? 0;
  return {
    input_tokens: Math.max(0, u.input_tokens - cached),
    output_tokens: u.output_tokens,
    total_tokens: u.total_tokens ?? u.input_tokens + u.output_tokens,
    reasoning_tokens: u.output_tokens_details?.reasoning_tokens ?? null,
    cache_read_tokens: cached,
    cache_creation_tokens: null,
  };
}

interface ResponseAccumulator extends StepAccumulator {
  /** Function calls by output item id. */
  calls: Map<string, ModelToolCall & { order: number }>;
  responseId?: string;
  finishReason: string;
}

export function responsesStep(req: StepRequest): Promise<StepResult> {
  const { target } = req;
  const client = clientFor(target);
  const tools: FunctionTool[] = req.tools.map((t) => ({ type: 'function', name: t.name, description: t.description, parameters: t.parameters, strict: false }));
  let request = responsesInput(req.history, target.store, target.imageInput !== 'no');

  return runStreamedStep<ResponseAccumulator>(req, {
    newAccumulator: () => ({ text: '', reasoning: '', usage: emptyUsage(), opened: false, finished: false, deltas: 0, calls: new Map(), finishReason: '' }),

    async streamOnce(acc, signal, touch) {
      const stream = await client.responses.create({
        model: target.model,
        instructions: req.system,
        input: request.input,
        stream: true,
        store: target.store,
        ...(request.previousResponseId ? { previous_response_id: request.previousResponseId } : {}),
        ...(tools.length ? { tools } : {}),
        ...(target.maxOutputTokens ? { max_output_tokens: target.maxOutputTokens } : {}),
        ...(target.reasoningEffort ? { reasoning: { effort: target.reasoningEffort as ReasoningEffort, summary: 'auto' as const } } : {}),
      }, { signal });
      acc.opened = true;
      touch();
      const counted = countingDeltas(req, acc);
      await forEachChunk(stream, acc, (event) => {
        touch();
        accumulate(acc, event, counted);
      });
    },

    recover(err) {
      if (!request.previousResponseId || !isChainBroken(err)) return false;
      // The provider forgot the chain: the rest of this step replays everything, unchained.
      request = responsesInput(req.history, false, target.imageInput !== 'no');
      return true;
    },

    result(acc, aborted) {
      const toolCalls = aborted ? [] : [...acc.calls.values()].sort((a, b) => a.order - b.order).map(({ id, name, args }) => withArgs({ id, name, args }));
      const finishReason = aborted ? 'aborted' : acc.finishReason === 'completed' ? (toolCalls.length ? 'tool_calls' : 'stop') : acc.finishReason;
      return { text: acc.text, reasoning: acc.reasoning, toolCalls, usage: acc.usage, responseId: aborted ? undefined : acc.responseId, finishReason, aborted };
    },
  });
}

function providerFailure(message: string, code: string | null | undefined): ModelError {
  if (code === 'rate_limit_exceeded') return new ModelError(`The provider is rate limiting requests: ${message}`, 'rate_limit', true, undefined, code);
  if (code === 'server_error' || !code) return new ModelError(`The provider failed the response: ${message}`, 'overloaded', true, undefined, code ?? undefined);
  return new ModelError(`The provider failed the response (${code}): ${message}`, 'generic', false, undefined, code);
}

function accumulate(acc: ResponseAccumulator, ev: ResponseStreamEvent, req: StepRequest): void {
  switch (ev.type) {
    case 'response.created':
      acc.responseId = ev.response.id;
      break;
    case 'response.output_text.delta':
      acc.text += ev.delta;
      req.onDelta({ type: 'text', text: ev.delta });
      break;
    case 'response.reasoning_summary_text.delta':
    case 'response.reasoning_text.delta':
      acc.reasoning += ev.delta;
      req.onDelta({ type: 'reasoning', text: ev.delta });
      break;
    case 'response.output_item.added':
      if (ev.item.type === 'function_call') {
        const call = { id: ev.item.call_id, name: ev.item.name, args: '', order: ev.output_index };
        acc.calls.set(ev.item.id ?? ev.item.call_id, call);
        req.onDelta({ type: 'tool-call', tool_call_id: call.id, tool_name: call.name, args_delta: '' });
      }
      break;
    case 'response.function_call_arguments.delta': {
      const call = acc.calls.get(ev.item_id);
      if (call) {
        call.args += ev.delta;
        req.onDelta({ type: 'tool-call', tool_call_id: call.id, tool_name: call.name, args_delta: ev.delta });
      }
      break;
    }
    case 'response.output_item.done':
      if (ev.item.type === 'function_call') {
        // The finished item holds the authoritative arguments.
        const call = acc.calls.get(ev.item.id ?? ev.item.call_id);
        if (call) call.args = ev.item.arguments;
      }
      break;
    case 'response.completed':
    case 'response.incomplete':
      acc.responseId = ev.response.id;
      acc.finished = true;
      acc.finishReason = ev.type === 'response.completed' ? 'completed' : ev.response.incomplete_details?.reason ?? 'incomplete';
      if (ev.response.usage) acc.usage = usageFromResponse(ev.response.usage);
      break;
    case 'response.failed':
      throw providerFailure(ev.response.error?.message ?? 'no reason given', ev.response.error?.code);
    case 'error':
      throw providerFailure(ev.message, ev.code);
    default:
      break;
  }
}
