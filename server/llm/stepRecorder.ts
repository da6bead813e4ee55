// Test support for the model layer: a target pointing at the fake OpenAI server, history builders,
// and a StepRequest that records every delta, retry and attempt it is told about.
import type { ChatMessage, MessagePart, MessageRole, StreamPart } from '../protocol';
import type { AttemptRecord, ModelTarget, RetryInfo, StepRequest, ToolDefinition } from './types';

export function targetFor(baseUrl: string, overrides: Partial<ModelTarget> = {}): ModelTarget {
  return {
    providerId: 'p1', providerType: 'openai-compat', providerName: 'Fake', baseUrl, apiKey: 'test-key', credentialKind: 'personal',
    model: 'fake-model', modelName: 'fake-model', api: 'chat_completions', store: false, ...overrides,
  };
}

let nextId = 1;
export function message(role: MessageRole, content: MessagePart[], extra: Partial<ChatMessage> = {}): ChatMessage {
  const id = nextId++;
  return {
    id, chat_id: 'c1', role, content_version: 1, content, model_config_id: null, created_at: new Date(0).toISOString(),
    usage: { input_tokens: null, output_tokens: null, total_tokens: null, reasoning_tokens: null, cache_read_tokens: null, cache_creation_tokens: null },
    total_cost_micros: null, runtime_ms: null, ...extra,
  };
}

export const userText = (text: string): ChatMessage => message('user', [{ type: 'text', text }]);

export const readFileTool: ToolDefinition = {
  name: 'read_file', description: 'Reads a file.', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
};

export interface StepRecording {
  request: StepRequest;
  deltas: StreamPart[];
  retries: RetryInfo[];
  attempts: AttemptRecord[];
  /** Concatenated text deltas, including those of attempts that were later retried. */
  streamedText(): string;
}

export function recordingRequest(target: ModelTarget, history: ChatMessage[], extra: Partial<StepRequest> = {}): StepRecording {
  const deltas: StreamPart[] = [];
  const retries: RetryInfo[] = [];
  const attempts: AttemptRecord[] = [];
  const request: StepRequest = {
    target, system: 'You are a test assistant.', history, tools: [], signal: new AbortController().signal,
    onDelta: (part) => deltas.push(part),
    onRetry: (info) => retries.push(info),
    onAttempt: (rec) => attempts.push(rec),
    ...extra,
  };
  const streamedText = () => deltas.map((d) => (d.type === 'text' ? d.text : '')).join('');
  return { request, deltas, retries, attempts, streamedText };
}
