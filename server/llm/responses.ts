// A model step over the Responses API, streamed; with `store`, follow-up requests chain through
// previous_response_id and send only what is new, replaying the full history when the chain is broken.
import { APIError } from 'openai';
import type { ResponseInputItem, ResponseStreamEvent, FunctionTool } from 'openai/resources/responses/responses';
import type { ChatMessage, ChatUsage } from '../protocol';
import { clientFor } from './client';
import { isAbort, isChainBroken } from './errors';
import { joinedText, pairToolCalls, resultText } from './history';
import { withRetries } from './retry';
import type { ModelToolCall, StepRequest, StepResult } from './types';

export function toResponsesInput(history: ChatMessage[]): ResponseInputItem[] {
  const items: ResponseInputItem[] = [];
  for (const m of pairToolCalls(history)) {
    if (m.role === 'system' || m.role === 'user') {
      const text = joinedText(m.content);
      if (text) items.push({ role: m.role, content: text });
    } else if (m.role === 'assistant') {
      const text = joinedText(m.content);
      if (text) items.push({ role: 'assistant', content: text });
      for (const p of m.content) if (p.type === 'tool-call') items.push({ type: 'function_call', call_id: p.tool_call_id, name: p.tool_name, arguments: p.args });
    } else {
      for (const p of m.content) if (p.type === 'tool-result') items.push({ type: 'function_call_output', call_id: p.tool_call_id, output: resultText(p) });
    }
  }
  return items;
}

/** With store: the last response id in the history and the messages after it. */
export function chainPoint(history: ChatMessage[]): { previousId?: string; rest: ChatMessage[] } {
  for (let i = history.length - 1; i >= 0; i--) {
    const id = history[i].provider_response_id;
    if (history[i].role === 'assistant' && id) return { previousId: id, rest: history.slice(i + 1) };
  }
  return { rest: history };
}

function usageOf(u: { input_tokens: number; output_tokens: number; total_tokens: number; input_tokens_details?: { cached_tokens?: number }; output_tokens_details?: { reasoning_tokens?: number } } | undefined): ChatUsage {
  const cached = u?.input_tokens_details?.cached_tokens ?? 0;
  return {
    input_tokens: u ? u.input_tokens - cached : null, output_tokens: u?.output_tokens ?? null, total_tokens: u?.total_tokens ?? null,
    reasoning_tokens: u?.output_tokens_details?.reasoning_tokens ?? null, cache_read_tokens: u ? cached : null, cache_creation_tokens: null,
  };
}

interface Acc { text: string; reasoning: string; calls: Map<string, ModelToolCall & { order: number }>; usage: ChatUsage; id?: string; status: string }
const empty = (): Acc => ({ text: '', reasoning: '', calls: new Map(), usage: usageOf(undefined), status: '' });

export async function responsesStep(req: StepRequest): Promise<StepResult> {
  const { target } = req;
  const client = clientFor(target);
  const tools: FunctionTool[] = req.tools.map((t) => ({ type: 'function', name: t.name, description: t.description, parameters: t.parameters, strict: false }));
  let chained = target.store ? chainPoint(req.history) : { rest: req.history };
  let acc = empty();
  const once = async (): Promise<StepResult> => {
    acc = empty();
    const started = Date.now();
    try {
      const stream = await client.responses.create({
        model: target.model,
        instructions: req.system,
        input: toResponsesInput(chained.rest),
        stream: true,
        store: target.store,
        ...(chained.previousId ? { previous_response_id: chained.previousId } : {}),
        ...(tools.length ? { tools } : {}),
        ...(target.maxOutputTokens ? { max_output_tokens: target.maxOutputTokens } : {}),
      }, { signal: req.signal });
      for await (const ev of stream) accumulate(acc, ev, req);
      if (acc.status === 'failed') throw new Error('the provider reported the response as failed');
      req.onAttempt?.({ statusCode: 200, usage: acc.usage, startedAt: started, durationMs: Date.now() - started });
      return finish(acc, false);
    } catch (err) {
      if (!isAbort(err)) req.onAttempt?.({ statusCode: err instanceof APIError ? err.status : undefined, error: (err as Error).message, startedAt: started, durationMs: Date.now() - started });
      throw err;
    }
  };
  try {
    return await withRetries(req, async () => {
      try {
        return await once();
      } catch (err) {
        if (!chained.previousId || !isChainBroken(err)) throw err;
        // The provider forgot the chain: replay everything once, unchained.
        chained = { rest: req.history };
        return await once();
      }
    });
  } catch (err) {
    if (req.signal.aborted) return finish(acc, true);
    throw err;
  }
}

function accumulate(acc: Acc, ev: ResponseStreamEvent, req: StepRequest): void {
  switch (ev.type) {
    case 'response.created': acc.id = ev.response.id; break;
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
      if (ev.item.type === 'function_call') acc.calls.set(ev.item.id ?? ev.item.call_id, { id: ev.item.call_id, name: ev.item.name, args: '', order: ev.output_index });
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
        const call = acc.calls.get(ev.item.id ?? ev.item.call_id);
        if (call) call.args = ev.item.arguments;
      }
      break;
    case 'response.completed':
      acc.id = ev.response.id;
      acc.status = 'completed';
      acc.usage = usageOf(ev.response.usage ?? undefined);
      break;
    case 'response.failed':
      acc.status = 'failed';
      break;
    default:
      break;
  }
}

function finish(acc: Acc, aborted: boolean): StepResult {
  const toolCalls = aborted ? [] : [...acc.calls.values()].sort((a, b) => a.order - b.order).map(({ id, name, args }) => ({ id, name, args }));
  return { text: acc.text, reasoning: acc.reasoning, toolCalls, usage: acc.usage, responseId: aborted ? undefined : acc.id, finishReason: aborted ? 'aborted' : toolCalls.length ? 'tool_calls' : 'stop', aborted };
}
