// Payload types shared by the server, the extension host and the webview.
// Each shape is declared once as a zod schema; the TypeScript type is inferred from it.
import { z } from 'zod';

export const CHAT_STATUSES = ['waiting', 'pending', 'running', 'paused', 'completed', 'error', 'requires_action'] as const;
export const ChatStatusSchema = z.enum(CHAT_STATUSES);
export type ChatStatus = z.infer<typeof ChatStatusSchema>;

export const ChatModeSchema = z.enum(['default', 'plan', 'explore']);
export type ChatMode = z.infer<typeof ChatModeSchema>;

/** How much a chat may do without asking (a chat field, apart from its `mode`). */
export const PERMISSION_MODES = ['default', 'acceptEdits', 'bypass'] as const;
export const PermissionModeSchema = z.enum(PERMISSION_MODES, { error: 'Permission mode must be "default", "acceptEdits" or "bypass".' });
export type PermissionMode = z.infer<typeof PermissionModeSchema>;
/** Where a permission rule came from. `default`: the built-in read-only list (the settings' default value). */
export type RuleSource = 'default' | 'user' | 'workspace' | 'chat' | 'cli';
/** What decided a tool call: the mode table, Workspace Trust, a rule, the permission mode's default, or a person. */
export type ToolDecisionBy = 'availability' | 'trust' | 'rule' | 'mode' | 'user';

export const ClientTypeSchema = z.enum(['ui', 'api']);
export type ClientType = z.infer<typeof ClientTypeSchema>;

export const MessageRoleSchema = z.enum(['system', 'user', 'assistant', 'tool']);
export type MessageRole = z.infer<typeof MessageRoleSchema>;

export const BusyBehaviorSchema = z.enum(['queue', 'interrupt'], {
  error: 'Must be "queue" or "interrupt".',
});
export type BusyBehavior = z.infer<typeof BusyBehaviorSchema>;

/** Message parts (content_version 1). */
export const TextPartSchema = z.object({ type: z.literal('text'), text: z.string() });
export const ReasoningPartSchema = z.object({ type: z.literal('reasoning'), text: z.string() });
export const ToolCallPartSchema = z.object({
  type: z.literal('tool-call'),
  tool_call_id: z.string(),
  tool_name: z.string(),
  /** JSON text of the arguments as the model produced them. */
  args: z.string(),
  mcp_server_config_id: z.string().optional(),
  /** model_intent label shown instead of the tool name when present. */
  model_intent: z.string().optional(),
});
export const ToolResultPartSchema = z.object({
  type: z.literal('tool-result'),
  tool_call_id: z.string(),
  tool_name: z.string(),
  result: z.unknown(),
  is_error: z.boolean().optional(),
  /** Who let the call run or refused it, and by which rule (shown on hover; the model is sent only `result`). */
  decision: z.custom<ToolDecisionInfo>().optional(),
});
export const FilePartSchema = z.object({
  type: z.literal('file'),
  name: z.string(),
  media_type: z.string(),
  /** Workspace-relative or absolute path of an attached workspace file. */
  path: z.string().optional(),
  /** Inline text content for text files. */
  content: z.string().optional(),
});
export const ContextFilePartSchema = z.object({
  type: z.literal('context-file'),
  context_file_path: z.string(),
  context_file_truncated: z.boolean().optional(),
  content: z.string().optional(),
});
export const SkillPartSchema = z.object({
  type: z.literal('skill'),
  skill_name: z.string(),
  skill_description: z.string(),
});
export const MessagePartSchema = z.discriminatedUnion('type', [
  TextPartSchema,
  ReasoningPartSchema,
  ToolCallPartSchema,
  ToolResultPartSchema,
  FilePartSchema,
  ContextFilePartSchema,
  SkillPartSchema,
]);
export type TextPart = z.infer<typeof TextPartSchema>;
export type ReasoningPart = z.infer<typeof ReasoningPartSchema>;
export type ToolCallPart = z.infer<typeof ToolCallPartSchema>;
export type ToolResultPart = z.infer<typeof ToolResultPartSchema>;
export type FilePart = z.infer<typeof FilePartSchema>;
export type ContextFilePart = z.infer<typeof ContextFilePartSchema>;
export type SkillPart = z.infer<typeof SkillPartSchema>;
export type MessagePart = z.infer<typeof MessagePartSchema>;

/** What a user may send: text and attached files. */
export const InputPartSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string().min(1, 'cannot be empty.') }),
  FilePartSchema,
]);
export type InputPart = z.infer<typeof InputPartSchema>;

export const LabelsSchema = z.record(z.string(), z.string());
export type Labels = z.infer<typeof LabelsSchema>;

export interface ToolDecisionInfo {
  decision: 'allow' | 'deny';
  by: ToolDecisionBy;
  rule?: string;
  source?: RuleSource;
  reason?: string;
}

/** One part of a call that needs approval, with the rule that would allow exactly it. */
export interface ApprovalNeed { subject: string; reason: string; rule: string }

/** A tool call the chat waits on (`requires_action`): an approval, or (issue #8) a client-executed tool. */
export interface PendingAction {
  id: number;
  chat_id: string;
  /** The title of the chat the call belongs to (a subagent's, when it shows in its parent's panel). */
  chat_title: string;
  tool_call_id: string;
  kind: 'approval' | 'dynamic';
  tool_name: string;
  /** JSON text of the call's arguments. */
  args: string;
  /** The MCP server of an MCP tool. */
  mcp_server_config_id: string | null;
  /** For people: why it waits. */
  reason: string;
  needs: ApprovalNeed[];
  state: 'pending' | 'allowed' | 'denied' | 'cancelled';
  created_at: string;
  decided_at: string | null;
}

export interface ChatError {
  message: string;
  detail?: string;
  kind: ChatErrorKind;
  provider?: string;
  retryable?: boolean;
  status_code?: number;
}
export type ChatErrorKind =
  | 'generic' | 'overloaded' | 'rate_limit' | 'timeout' | 'stream_silence_timeout' | 'auth' | 'config'
  | 'usage_limit' | 'missing_key' | 'provider_disabled' | 'content_filter' | 'interrupted';

export interface Chat {
  id: string;
  title: string;
  status: ChatStatus;
  /** The VS Code workspace the chat was created in (folder path or .code-workspace path). */
  workspace: string;
  /** The folder the chat's tools act on; inside `workspace`'s folders. */
  workspace_folder: string | null;
  parent_chat_id: string | null;
  /** The parent's spawn_agent / spawn_explore_agent call that started this subagent chat. */
  parent_tool_call_id: string | null;
  root_chat_id: string | null;
  mode: ChatMode;
  /** null: the default permission mode of the settings (subagents use their root chat's). */
  permission_mode: PermissionMode | null;
  client_type: ClientType;
  labels: Labels;
  pin_order: number;
  archived: boolean;
  last_model_config_id: string | null;
  last_read_message_id: number | null;
  mcp_server_ids: string[];
  last_error: ChatError | null;
  has_unread: boolean;
  /** The chat or one of its subagents waits for a decision (an approval). */
  awaiting_decision: boolean;
  /** Number of subagent chats directly under this one. */
  child_count: number;
  created_at: string;
  updated_at: string;
}

export interface ChatUsage {
  input_tokens: number | null;
  output_tokens: number | null;
  total_tokens: number | null;
  reasoning_tokens: number | null;
  cache_read_tokens: number | null;
  cache_creation_tokens: number | null;
}

export interface ChatMessage {
  id: number;
  chat_id: string;
  role: MessageRole;
  content_version: number;
  content: MessagePart[];
  model_config_id: string | null;
  created_at: string;
  usage: ChatUsage;
  total_cost_micros: number | null;
  runtime_ms: number | null;
  /** Responses API id of the response that produced this assistant message (chaining). */
  provider_response_id?: string | null;
}

export interface QueuedMessage {
  id: number;
  chat_id: string;
  content: InputPart[];
  model_config_id: string | null;
  mode: ChatMode;
  created_at: string;
}

export const PROVIDER_TYPES = ['openai', 'openai-compat'] as const;
export const ProviderTypeSchema = z.enum(PROVIDER_TYPES, { error: `Provider must be one of: ${PROVIDER_TYPES.join(', ')}.` });
export type ProviderType = z.infer<typeof ProviderTypeSchema>;

export interface Provider {
  id: string;
  provider: ProviderType;
  display_name: string;
  base_url: string;
  enabled: boolean;
  /** `database` for user-created providers, `env_preset` for the one made from OPENAI_BASE_URL / OPENAI_API_KEY. */
  source: 'database' | 'env_preset';
  /** Whether this server process holds a key for the provider; the key itself never leaves SecretStorage/the server's memory. */
  has_api_key: boolean;
  created_at: string;
  updated_at: string;
}

export const PricingSchema = z.object({
  input_price_per_million_tokens: z.string().regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal').optional(),
  output_price_per_million_tokens: z.string().regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal').optional(),
  cache_read_price_per_million_tokens: z.string().regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal').optional(),
  cache_write_price_per_million_tokens: z.string().regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal').optional(),
});
export type Pricing = z.infer<typeof PricingSchema>;

export const ModelApiSchema = z.enum(['chat_completions', 'responses']);
export type ModelApi = z.infer<typeof ModelApiSchema>;

export const ModelOptionsSchema = z.object({
  api: ModelApiSchema.optional(),
  /** Responses API: chain turns with previous_response_id. */
  store: z.boolean().optional(),
  max_output_tokens: z.number().int().positive().optional(),
  reasoning_effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']).optional(),
  cost: PricingSchema.optional(),
});
export type ModelOptions = z.infer<typeof ModelOptionsSchema>;

export interface ModelConfig {
  id: string;
  provider_id: string;
  model: string;
  display_name: string;
  enabled: boolean;
  is_default: boolean;
  context_limit: number;
  options: ModelOptions;
  deleted: boolean;
  created_at: string;
  updated_at: string;
}

/** Events of one chat, streamed to every client following it. */
export type ChatStreamEvent =
  | { type: 'message_part'; role: MessageRole; part: StreamPart }
  | { type: 'message'; message: ChatMessage }
  | { type: 'status'; status: ChatStatus }
  | { type: 'error'; error: ChatError }
  | { type: 'queue_update'; queued_messages: QueuedMessage[] }
  | { type: 'retry'; attempt: number; delay_ms: number; error: string; kind: ChatErrorKind; status_code?: number; retrying_at: string }
  | { type: 'messages_deleted'; message_ids: number[] }
  /** The chat waits for these calls to be decided (approvals) or answered (client tools). */
  | { type: 'action_required'; actions: PendingAction[] }
  /** Something the user should know about a turn that is not an error of the turn (an MCP server that failed to connect). */
  | { type: 'notice'; level: 'info' | 'warning'; message: string };

/** A streamed delta. Text and reasoning carry the new text; tool calls carry argument deltas; results carry output deltas. */
export type StreamPart =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'tool-call'; tool_call_id: string; tool_name: string; args_delta: string }
  | { type: 'tool-result'; tool_call_id: string; tool_name: string; result_delta: string };

/** `changed_elsewhere`: another process on the same database (a second window, the CLI) changed the chat or added to it. */
export type ChatWatchKind = 'created' | 'deleted' | 'status_change' | 'title_change' | 'updated' | 'changed_elsewhere';

export interface CostSummaryRow {
  key: string;
  total_cost_micros: number | null;
  priced_messages: number;
  unpriced_messages: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_creation_tokens: number;
}

/** `data` of every JSON-RPC error the server returns. */
export interface ErrorData {
  status: number;
  detail?: string;
  field?: string;
}
