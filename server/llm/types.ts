// The contract between the agent loop and the model layer. The loop hands over persisted history;
// the model layer turns it into the wire format of the configured API, streams, retries and reports.
import type { ChatErrorKind, ChatMessage, ChatUsage, ModelApi, ProviderType, StreamPart } from '../protocol';

export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

export interface ModelTarget {
  providerId: string;
  providerType: ProviderType;
  /** The provider's display name, recorded with each request. */
  providerName: string;
  baseUrl: string;
  apiKey: string | undefined;
  /** `personal` for a key the user entered, `centralized` for one from the environment. */
  credentialKind: 'personal' | 'centralized' | 'none';
  /** What requests name: the model id, or for Azure the deployment that serves it. */
  model: string;
  /** The model config's model id: the request log and prices name this one. */
  modelName: string;
  /** The model config the target was made from (absent for a provider test). */
  modelConfigId?: string;
  /** Azure OpenAI's api-version. */
  apiVersion?: string;
  api: ModelApi;
  /** Responses API: chain follow-up requests with previous_response_id. */
  store: boolean;
  maxOutputTokens?: number;
  reasoningEffort?: string;
  /** The model config's image input: `no` sends no images (tool results say so in words); unknown is tried. */
  imageInput?: 'yes' | 'no' | 'unknown';
}

export interface RetryInfo {
  attempt: number;
  delayMs: number;
  error: string;
  kind: ChatErrorKind;
  statusCode?: number;
}

/** One HTTP request to the provider, for the model_requests record. */
export interface AttemptRecord {
  statusCode?: number;
  error?: string;
  errorKind?: ChatErrorKind;
  /** A retry followed this failed attempt. */
  retried?: boolean;
  attempt?: number;
  /** Milliseconds from sending the request to its first streamed delta. */
  ttftMs?: number;
  usage?: ChatUsage;
  startedAt: number;
  durationMs: number;
}

export interface StepRequest {
  target: ModelTarget;
  system: string;
  /** Non-deleted messages of the chat, oldest first, as persisted. */
  history: ChatMessage[];
  tools: ToolDefinition[];
  signal: AbortSignal;
  onDelta: (part: StreamPart) => void;
  /** A retry discards what was streamed of this step so far. */
  onRetry: (info: RetryInfo) => void;
  onAttempt?: (rec: AttemptRecord) => void;
  /** Upper bound of attempts for retryable failures (429, 5xx, network, broken stream). */
  maxAttempts?: number;
  /** An attempt that receives nothing for this long is abandoned (kind stream_silence_timeout) and retried. */
  silenceTimeoutMs?: number;
}

export interface ModelToolCall { id: string; name: string; args: string }

export interface StepResult {
  text: string;
  reasoning: string;
  toolCalls: ModelToolCall[];
  usage: ChatUsage;
  /** Responses API id of this response, for chaining. */
  responseId?: string;
  finishReason: string;
  /** The signal fired: what is here is the partial output streamed until then. */
  aborted: boolean;
}

/** A failure the loop reports on the chat as `last_error`. */
export class ModelError extends Error {
  constructor(
    message: string,
    readonly kind: ChatErrorKind,
    readonly retryable: boolean,
    readonly statusCode?: number,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}
