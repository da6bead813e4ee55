// A model step over the Chat Completions API, streamed.
import { APIError } from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { ChatUsage } from '../protocol';
import { clientFor } from './client';
import { isAbort } from './errors';
import { joinedText, pairToolCalls, resultText } from './history';
import { withRetries } from './retry';
import type { ModelToolCall, StepRequest, StepResult } from './types';

export function toChatMessages(req: StepRequest): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [{ role: 'system', content: req.system }];
  for (const m of pairToolCalls(req.history)) {
    if (m.role === 'system') {
      const text = joinedText(m.content);
      if (text) out.push({ role: 'system', content: text });
    } else if (m.role === 'user') {
      out.push({ role: 'user', content: joinedText(m.content) });
    } else if (m.role === 'assistant') {
      const calls = m.content.flatMap((p) => (p.type === 'tool-call' ? [{ id: p.tool_call_id, type: 'function' as const, function: { name: p.tool_name, arguments: p.args } }] : []));
      out.push({ role: 'assistant', content: joinedText(m.content) || (calls.length ? null : ''), ...(calls.length ? { tool_calls: calls } : {}) });
    } else {
      for (const p of m.content) if (p.type === 'tool-result') out.push({ role: 'tool', tool_call_id: p.tool_call_id, content: resultText(p) });
    }
  }
  return out;
}

export function usageFromChunk(u: ChatCompletionChunk['usage']): ChatUsage {
  const cached = u?.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    input_tokens: u ? u.prompt_tokens - cached : null,
    output_tokens: u?.completion_tokens ?? null,
    total_tokens: u?.total_tokens ?? null,
    reasoning_tokens: u?.completion_tokens_details?.reasoning_tokens ?? null,
    cache_read_tokens: u ? cached : null,
    cache_creation_tokens: null,
  };
}

export async function chatCompletionsStep(req: StepRequest): Promise<StepResult> {
  const { target } = req;
  const client = clientFor(target);
  const tools: ChatCompletionTool[] = req.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));
  const messages = toChatMessages(req);
  let acc = empty();
  try {
    return await withRetries(req, async () => {
      acc = empty();
      const started = Date.now();
      let status: number | undefined;
      try {
        const stream = await client.chat.completions.create({
          model: target.model,
          messages,
          stream: true,
          stream_options: { include_usage: true },
          ...(tools.length ? { tools } : {}),
          ...(target.maxOutputTokens ? { max_completion_tokens: target.maxOutputTokens } : {}),
          ...(target.reasoningEffort ? { reasoning_effort: target.reasoningEffort as 'low' } : {}),
        }, { signal: req.signal });
        status = 200;
        for await (const chunk of stream) accumulate(acc, chunk, req);
        req.onAttempt?.({ statusCode: status, usage: acc.usage, startedAt: started, durationMs: Date.now() - started });
        return finish(acc, false);
      } catch (err) {
        if (!isAbort(err)) req.onAttempt?.({ statusCode: err instanceof APIError ? err.status : status, error: (err as Error).message, startedAt: started, durationMs: Date.now() - started });
        throw err;
      }
    });
  } catch (err) {
    if (req.signal.aborted) return finish(acc, true);
    throw err;
  }
}

interface Acc { text: string; reasoning: string; calls: Map<number, ModelToolCall>; usage: ChatUsage; finish: string }
const empty = (): Acc => ({ text: '', reasoning: '', calls: new Map(), usage: usageFromChunk(undefined), finish: '' });

function accumulate(acc: Acc, chunk: ChatCompletionChunk, req: StepRequest): void {
  if (chunk.usage) acc.usage = usageFromChunk(chunk.usage);
  const choice = chunk.choices[0];
  if (!choice) return;
  const delta = choice.delta as ChatCompletionChunk.Choice.Delta & { reasoning_content?: string; reasoning?: string };
  const reasoning = delta.reasoning_content ?? delta.reasoning;
  if (reasoning) {
    acc.reasoning += reasoning;
    req.onDelta({ type: 'reasoning', text: reasoning });
  }
  if (delta.content) {
    acc.text += delta.content;
    req.onDelta({ type: 'text', text: delta.content });
  }
  for (const tc of delta.tool_calls ?? []) {
    let call = acc.calls.get(tc.index);
    if (!call) {
      call = { id: tc.id ?? `call_${tc.index}`, name: '', args: '' };
      acc.calls.set(tc.index, call);
    }
    if (tc.id) call.id = tc.id;
    if (tc.function?.name) call.name += tc.function.name;
    const piece = tc.function?.arguments ?? '';
    call.args += piece;
    req.onDelta({ type: 'tool-call', tool_call_id: call.id, tool_name: call.name, args_delta: piece });
  }
  if (choice.finish_reason) acc.finish = choice.finish_reason;
}

function finish(acc: Acc, aborted: boolean): StepResult {
  const toolCalls = aborted ? [] : [...acc.calls.entries()].sort((a, b) => a[0] - b[0]).map(([, c]) => c).filter((c) => c.name);
  return { text: acc.text, reasoning: acc.reasoning, toolCalls, usage: acc.usage, finishReason: acc.finish || (aborted ? 'aborted' : 'stop'), aborted };
}
