// A model step over the Chat Completions API, streamed.
import { randomUUID } from 'node:crypto';
import type { ChatCompletionChunk, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { ReasoningEffort } from 'openai/resources/shared';
import type { ChatUsage } from '../protocol';
import { clientFor } from './client';
import { joinedText, pairToolCalls } from './history';
import { dataUrl, imagesCaption, planImages, resultTextForModel, sentImages, type ToolImage } from './toolImages';
import { countingDeltas, emptyUsage, forEachChunk, runStreamedStep, withArgs, type StepAccumulator } from './streamedStep';
import type { ModelTarget, ModelToolCall, StepRequest, StepResult } from './types';

export function toChatMessages(system: string, history: StepRequest['history'], imagesAllowed = true): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  if (system) out.push({ role: 'system', content: system });
  const plan = planImages(history, imagesAllowed);
  let images: ToolImage[] = [];
  // Tool messages must follow their assistant message directly: the images of a step's results come after the last of them.
  const flushImages = () => {
    if (images.length === 0) return;
    out.push({ role: 'user', content: [{ type: 'text', text: imagesCaption(images) }, ...images.map((i) => ({ type: 'image_url' as const, image_url: { url: dataUrl(i) } }))] });
    images = [];
  };
  for (const m of pairToolCalls(history)) {
    if (m.role !== 'tool') flushImages();
    if (m.role === 'system') {
      const text = joinedText(m.content);
      if (text) out.push({ role: 'system', content: text });
    } else if (m.role === 'user') {
      out.push({ role: 'user', content: joinedText(m.content) });
    } else if (m.role === 'assistant') {
      const calls = m.content.flatMap((p) => (p.type === 'tool-call'
        ? [{ id: p.tool_call_id, type: 'function' as const, function: { name: p.tool_name, arguments: p.args } }]
        : []));
      const text = joinedText(m.content);
      // An interrupted step may have kept only reasoning: nothing the model needs to read again.
      if (!text && calls.length === 0) continue;
      out.push({ role: 'assistant', content: text || null, ...(calls.length ? { tool_calls: calls } : {}) });
    } else {
      for (const p of m.content) {
        if (p.type !== 'tool-result') continue;
        out.push({ role: 'tool', tool_call_id: p.tool_call_id, content: resultTextForModel(p, plan) });
        images.push(...sentImages(p, plan));
      }
    }
  }
  flushImages();
  return out;
}

/** The output-token cap as the provider wants it: OpenAI's reasoning models refuse max_tokens; many compatible servers know only max_tokens. */
export function maxTokensParam(target: Pick<ModelTarget, 'providerType'>, tokens: number): { max_completion_tokens: number } | { max_tokens: number } {
  return target.providerType === 'openai' ? { max_completion_tokens: tokens } : { max_tokens: tokens };
}

/** Normalised usage: input excludes the cached part, which is counted as cache reads. */
export function usageFromCompletion(u: NonNullable<ChatCompletionChunk['usage']>): ChatUsage {
  const cached = u.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    input_tokens: Math.max(0, u.prompt_tokens - cached),
    output_tokens: u.completion_tokens,
    total_tokens: u.total_tokens ?? u.prompt_tokens + u.completion_tokens,
    reasoning_tokens: u.completion_tokens_details?.reasoning_tokens ?? null,
    cache_read_tokens: cached,
    cache_creation_tokens: null,
  };
}

interface CompletionAccumulator extends StepAccumulator {
  calls: Map<number, ModelToolCall>;
  finishReason: string;
}

/** Compatible servers put reasoning in fields the SDK does not type. */
type DeltaWithReasoning = ChatCompletionChunk.Choice.Delta & { reasoning_content?: string | null; reasoning?: string | null };

export function chatCompletionsStep(req: StepRequest): Promise<StepResult> {
  const { target } = req;
  const client = clientFor(target);
  const tools: ChatCompletionTool[] = req.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));
  const messages = toChatMessages(req.system, req.history, target.imageInput !== 'no');
  // Servers that omit tool-call ids still need ids unique across the chat's history.
  const idPrefix = `call_${randomUUID().slice(0, 8)}`;

  return runStreamedStep<CompletionAccumulator>(req, {
    newAccumulator: () => ({ text: '', reasoning: '', usage: emptyUsage(), opened: false, finished: false, deltas: 0, calls: new Map(), finishReason: '' }),

    async streamOnce(acc, signal, touch) {
      const stream = await client.chat.completions.create({
        model: target.model,
        messages,
        stream: true,
        stream_options: { include_usage: true },
        ...(tools.length ? { tools } : {}),
        ...(target.maxOutputTokens ? maxTokensParam(target, target.maxOutputTokens) : {}),
        ...(target.reasoningEffort ? { reasoning_effort: target.reasoningEffort as ReasoningEffort } : {}),
      }, { signal });
      acc.opened = true;
      touch();
      const counted = countingDeltas(req, acc);
      await forEachChunk(stream, acc, (chunk) => {
        touch();
        accumulate(acc, chunk, counted, idPrefix);
      });
    },

    result(acc, aborted) {
      // Half-streamed tool calls of an aborted step cannot run.
      const toolCalls = aborted ? [] : [...acc.calls.entries()].sort((a, b) => a[0] - b[0]).map(([, c]) => withArgs(c)).filter((c) => c.name);
      const finishReason = aborted ? 'aborted' : acc.finishReason || 'stop';
      return { text: acc.text, reasoning: acc.reasoning, toolCalls, usage: acc.usage, finishReason, aborted };
    },
  });
}

function accumulate(acc: CompletionAccumulator, chunk: ChatCompletionChunk, req: StepRequest, idPrefix: string): void {
  if (chunk.usage) {
    acc.usage = usageFromCompletion(chunk.usage);
    // Usage comes after the last choice; a server that skips finish_reason still ends here.
    acc.finished = true;
  }
  const choice = chunk.choices?.[0];
  if (!choice) return;
  const delta = (choice.delta ?? {}) as DeltaWithReasoning;
  const reasoning = delta.reasoning_content ?? delta.reasoning;
  if (reasoning) {
    acc.reasoning += reasoning;
    req.onDelta({ type: 'reasoning', text: reasoning });
  }
  if (delta.content) {
    acc.text += delta.content;
    req.onDelta({ type: 'text', text: delta.content });
  }
  for (const [position, tc] of (delta.tool_calls ?? []).entries()) {
    const index = tc.index ?? position;
    let call = acc.calls.get(index);
    if (!call) {
      call = { id: tc.id || `${idPrefix}_${index}`, name: '', args: '' };
      acc.calls.set(index, call);
    }
    const name = tc.function?.name;
    // Most servers send the name once; some repeat it on every delta, a few split it.
    if (name && name !== call.name) call.name += name;
    const piece = tc.function?.arguments ?? '';
    call.args += piece;
    req.onDelta({ type: 'tool-call', tool_call_id: call.id, tool_name: call.name, args_delta: piece });
  }
  if (choice.finish_reason) {
    acc.finishReason = choice.finish_reason;
    acc.finished = true;
  }
}
