// Payload types shared by the server, the extension host and the webview.
// Each shape is declared once as a zod schema; the TypeScript type is inferred from it.
import { z } from 'zod';

export const CHAT_STATUSES = ['waiting', 'pending', 'running', 'paused', 'completed', 'error', 'requires_action'] as const;
export const ChatStatusSchema = z.enum(CHAT_STATUSES);
export type ChatStatus = z.infer<typeof ChatStatusSchema>;

export const ChatModeSchema = z.enum(['default', 'plan', 'explore', 'computer_use']);
export type ChatMode = z.infer<typeof ChatModeSchema>;

/** How much a chat may do without asking (a chat field, apart from its `mode`). */
export const PERMISSION_MODES = ['default', 'acceptEdits', 'bypass'] as const;
export const PermissionModeSchema = z.enum(PERMISSION_MODES, { error: 'Permission mode must be "default", "acceptEdits" or "bypass".' });
export type PermissionMode = z.infer<typeof PermissionModeSchema>;
/** Where a permission rule came from. `default`: the built-in read-only list (the settings' default value). */
export const RuleSourceSchema = z.enum(['default', 'user', 'workspace', 'chat', 'cli']);
export type RuleSource = z.infer<typeof RuleSourceSchema>;
/** What decided a tool call: the mode table, Workspace Trust, a rule, the permission mode's default, or a person. */
export const ToolDecisionBySchema = z.enum(['availability', 'trust', 'rule', 'mode', 'user']);
export type ToolDecisionBy = z.infer<typeof ToolDecisionBySchema>;

export const ClientTypeSchema = z.enum(['ui', 'api']);
export type ClientType = z.infer<typeof ClientTypeSchema>;

export const MessageRoleSchema = z.enum(['system', 'user', 'assistant', 'tool']);
export type MessageRole = z.infer<typeof MessageRoleSchema>;

export const BusyBehaviorSchema = z.enum(['queue', 'interrupt'], {
  error: 'Busy behavior must be "queue" or "interrupt".',
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
export const ToolDecisionInfoSchema = z.object({
  decision: z.enum(['allow', 'deny']),
  by: z.enum(['availability', 'trust', 'rule', 'mode', 'user']),
  rule: z.string().optional(),
  source: z.enum(['default', 'user', 'workspace', 'chat', 'cli']).optional(),
  reason: z.string().optional(),
});
export type ToolDecisionInfo = z.infer<typeof ToolDecisionInfoSchema>;

export const ToolResultPartSchema = z.object({
  type: z.literal('tool-result'),
  tool_call_id: z.string(),
  tool_name: z.string(),
  result: z.unknown(),
  is_error: z.boolean().optional(),
  /** Who let the call run or refused it, and by which rule (shown on hover; the model is sent only `result`). */
  decision: ToolDecisionInfoSchema.optional(),
});
export const FilePartSchema = z.object({
  type: z.literal('file'),
  /** An uploaded file (POST /chats/files); its name and media type are filled in from the upload. */
  file_id: z.string().optional(),
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
/**
 * A context boundary: the messages up to `covers_through_message_id` are no longer sent to the model;
 * `summary` (empty after a reset) stands in for them, followed by the user messages that were not yet
 * answered (`kept_user_message_ids`, word for word). The older messages stay in the chat.
 */
export const CompactionPartSchema = z.object({
  type: z.literal('compaction'),
  reason: z.enum(['threshold', 'manual', 'context_exceeded', 'reset']),
  summary: z.string(),
  covers_through_message_id: z.number().int(),
  kept_user_message_ids: z.array(z.number().int()),
  /** Our estimate of the request before and after, in tokens. */
  tokens_before: z.number().int(),
  tokens_after: z.number().int(),
  /** What the user asked the summary to keep (`/compact focus`). */
  focus: z.string().optional(),
  model: z.string().optional(),
});
export const MessagePartSchema = z.discriminatedUnion('type', [
  CompactionPartSchema,
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
export type CompactionPart = z.infer<typeof CompactionPartSchema>;
export type MessagePart = z.infer<typeof MessagePartSchema>;

/**
 * What a user may send: text, attached files (a workspace file inline, or an upload by `file_id`), and a
 * reference to lines of a file (sent as text).
 */
export const InputPartSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string().min(1, 'cannot be empty.') }),
  z.object({
    type: z.literal('file'),
    file_id: z.string().min(1, 'cannot be empty.').optional(),
    name: z.string().min(1, 'cannot be empty.').optional(),
    media_type: z.string().min(1).optional(),
    path: z.string().optional(),
    content: z.string().optional(),
  }).refine((p) => p.file_id !== undefined || (p.name !== undefined && p.media_type !== undefined), 'a file part needs file_id, or name and media_type.'),
  z.object({
    type: z.literal('file-reference'),
    file_name: z.string({ error: 'is required.' }).min(1, 'cannot be empty.'),
    start_line: z.number().int().positive().optional(),
    end_line: z.number().int().positive().optional(),
    content: z.string().optional(),
  }),
], { error: 'unsupported part type (expected text, file or file-reference).' });
export type InputPart = z.infer<typeof InputPartSchema>;

export const LabelsSchema = z.record(z.string(), z.string());

/** A tool the client executes: the model may call it, the chat then waits for the client's result. */
export const DynamicToolSchema = z.object({
  name: z.string({ error: 'Dynamic tool name must not be empty.' }).trim().min(1, 'Dynamic tool name must not be empty.')
    .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'Dynamic tool name must be 1-64 letters, digits, "_" or "-".'),
  description: z.string().max(10000).default(''),
  input_schema: z.record(z.string(), z.unknown(), { error: 'input_schema must be a JSON Schema object.' })
    .refine((s) => s.type === 'object', 'input_schema must be a JSON Schema of type "object".'),
});
export type DynamicTool = z.output<typeof DynamicToolSchema>;

/** A file linked to a chat: an attachment, an upload sent in a message, or the plan file. */
export const ChatFileSchema = z.object({
  id: z.string(),
  name: z.string(),
  media_type: z.string(),
  /** The workspace file it came from; null for uploads. */
  path: z.string().nullable(),
  size: z.number().int(),
  /** `attachment` or `plan`. */
  kind: z.string(),
  created_at: z.string(),
});
export type ChatFile = z.infer<typeof ChatFileSchema>;
export type Labels = z.infer<typeof LabelsSchema>;


/** One part of a call that needs approval, with the rule that would allow exactly it. */
export const ApprovalNeedSchema = z.object({ subject: z.string(), reason: z.string(), rule: z.string() });
export type ApprovalNeed = z.infer<typeof ApprovalNeedSchema>;

/** A tool call the chat waits on (`requires_action`): an approval, or a client-executed (dynamic) tool. */
export const PendingActionSchema = z.object({
  id: z.number().int(),
  chat_id: z.string(),
  /** The title of the chat the call belongs to (a subagent's, when it shows in its parent's panel). */
  chat_title: z.string(),
  tool_call_id: z.string(),
  kind: z.enum(['approval', 'dynamic']),
  tool_name: z.string(),
  /** JSON text of the call's arguments. */
  args: z.string(),
  /** The MCP server of an MCP tool. */
  mcp_server_config_id: z.string().nullable(),
  /** For people: why it waits. */
  reason: z.string(),
  needs: z.array(ApprovalNeedSchema),
  /** answered: a client posted its result; timed_out: none came before the deadline. */
  state: z.enum(['pending', 'allowed', 'denied', 'cancelled', 'answered', 'timed_out']),
  created_at: z.string(),
  decided_at: z.string().nullable(),
  /** Dynamic tools: when the call gets "Tool execution timed out" unless a result comes first. */
  deadline_at: z.string().nullable(),
});
export type PendingAction = z.infer<typeof PendingActionSchema>;

export const CHAT_ERROR_KINDS = [
  'generic', 'overloaded', 'rate_limit', 'timeout', 'stream_silence_timeout', 'auth', 'config',
  'usage_limit', 'missing_key', 'provider_disabled', 'content_filter', 'interrupted', 'context_length',
] as const;
export type ChatErrorKind = (typeof CHAT_ERROR_KINDS)[number];
export const ChatErrorSchema = z.object({
  message: z.string(),
  detail: z.string().optional(),
  kind: z.enum(CHAT_ERROR_KINDS),
  provider: z.string().optional(),
  retryable: z.boolean().optional(),
  status_code: z.number().int().optional(),
});
export type ChatError = z.infer<typeof ChatErrorSchema>;

/** GitHub's pull request states; a draft is an open pull request with `pull_request_draft`. */
export const PULL_REQUEST_STATES = ['open', 'closed', 'merged'] as const;
export const PullRequestStateSchema = z.enum(PULL_REQUEST_STATES);
export type PullRequestState = z.infer<typeof PullRequestStateSchema>;

/** One changed file of a chat's branch against the merge base with its base branch (uncommitted changes included). */
export const ChatDiffFileSchema = z.object({
  path: z.string(),
  status: z.enum(['added', 'modified', 'deleted', 'renamed', 'untracked']),
  /** null: a binary file. */
  additions: z.number().int().nullable(),
  deletions: z.number().int().nullable(),
});
export type ChatDiffFile = z.infer<typeof ChatDiffFileSchema>;

/** The seed's ChatDiffStatus: the branch the chat worked on, its changes, and its GitHub pull request. */
export const ChatDiffStatusSchema = z.object({
  git_branch: z.string().nullable(),
  /** The remote's URL without credentials. */
  git_remote_origin: z.string().nullable(),
  base_branch: z.string().nullable(),
  head_branch: z.string().nullable(),
  changed_files: z.number().int(),
  additions: z.number().int(),
  deletions: z.number().int(),
  url: z.string().nullable(),
  pr_number: z.number().int().nullable(),
  pull_request_state: PullRequestStateSchema.nullable(),
  pull_request_title: z.string().nullable(),
  pull_request_draft: z.boolean().nullable(),
  author_login: z.string().nullable(),
  /** Why the last pull request lookup failed (rate limit, no access), else null. */
  pr_error: z.string().nullable(),
  refreshed_at: z.string(),
  pr_refreshed_at: z.string().nullable(),
  /** When the pull request is looked up again. */
  stale_at: z.string().nullable(),
});
export type ChatDiffStatus = z.infer<typeof ChatDiffStatusSchema>;

export const ChatSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: ChatStatusSchema,
  /** The VS Code workspace the chat was created in (folder path or .code-workspace path). */
  workspace: z.string(),
  /** The folder the chat's tools act on; inside `workspace`'s folders. */
  workspace_folder: z.string().nullable(),
  parent_chat_id: z.string().nullable(),
  /** The parent's spawn_agent / spawn_explore_agent call that started this subagent chat. */
  parent_tool_call_id: z.string().nullable(),
  root_chat_id: z.string().nullable(),
  mode: ChatModeSchema,
  /** null: the default permission mode of the settings (subagents use their root chat's). */
  permission_mode: PermissionModeSchema.nullable(),
  client_type: ClientTypeSchema,
  labels: LabelsSchema,
  pin_order: z.number().int(),
  archived: z.boolean(),
  last_model_config_id: z.string().nullable(),
  last_read_message_id: z.number().int().nullable(),
  mcp_server_ids: z.array(z.string()),
  last_error: ChatErrorSchema.nullable(),
  has_unread: z.boolean(),
  /** The chat or one of its subagents waits for a decision (an approval) or a client's tool result. */
  awaiting_decision: z.boolean(),
  /** Number of subagent chats directly under this one. */
  child_count: z.number().int(),
  /** The seed's spelling of `mode === 'plan'`. */
  plan_mode: z.enum(['', 'plan']),
  /** Names of the client-executed tools declared at create. */
  dynamic_tools: z.array(z.string()),
  /** The root chat's branch, changed files and pull request; null until a turn ended in a git checkout (subagents: null). */
  diff_status: ChatDiffStatusSchema.nullable(),
  /** GetChat only: the files linked to the chat. */
  files: z.array(ChatFileSchema).optional(),
  /** CreateChat only: what was accepted with a change (a dynamic tool that lost to a built-in). */
  warnings: z.array(z.string()).optional(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Chat = z.infer<typeof ChatSchema>;

export const ChatUsageSchema = z.object({
  input_tokens: z.number().int().nullable(),
  output_tokens: z.number().int().nullable(),
  total_tokens: z.number().int().nullable(),
  reasoning_tokens: z.number().int().nullable(),
  cache_read_tokens: z.number().int().nullable(),
  cache_creation_tokens: z.number().int().nullable(),
});
export type ChatUsage = z.infer<typeof ChatUsageSchema>;

export const ChatMessageSchema = z.object({
  id: z.number().int(),
  chat_id: z.string(),
  role: MessageRoleSchema,
  content_version: z.number().int(),
  content: z.array(MessagePartSchema),
  model_config_id: z.string().nullable(),
  created_at: z.string(),
  usage: ChatUsageSchema,
  total_cost_micros: z.number().int().nullable(),
  runtime_ms: z.number().int().nullable(),
  /** Responses API id of the response that produced this assistant message (chaining). */
  provider_response_id: z.string().nullable().optional(),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

export const QueuedMessageSchema = z.object({
  id: z.number().int(),
  chat_id: z.string(),
  content: z.array(InputPartSchema),
  model_config_id: z.string().nullable(),
  mode: ChatModeSchema,
  created_at: z.string(),
});
export type QueuedMessage = z.infer<typeof QueuedMessageSchema>;

export const PROVIDER_TYPES = ['openai', 'openai-compat', 'azure'] as const;
export const ProviderTypeSchema = z.enum(PROVIDER_TYPES, { error: `Provider must be one of: ${PROVIDER_TYPES.join(', ')}.` });
export type ProviderType = z.infer<typeof ProviderTypeSchema>;

/** Azure OpenAI: the API version the requests name (deployments are per model: ModelOptions.deployment). */
export const ProviderOptionsSchema = z.object({
  api_version: z.string().trim().min(1, 'api_version must not be empty.').max(40).optional(),
});
export type ProviderOptions = z.infer<typeof ProviderOptionsSchema>;

export const ProviderSchema = z.object({
  id: z.string(),
  provider: ProviderTypeSchema,
  /** The instance's unique name ("ollama-laptop"): CLI flags, the request log and usage name it. */
  provider_name: z.string(),
  display_name: z.string(),
  base_url: z.string(),
  /** The environment variable the key is read from when VS Code holds none (`providers add --key-env`). */
  key_env: z.string().nullable(),
  /** Where this process's key came from: SecretStorage (`personal`), the environment (`centralized`), or none. */
  key_source: z.enum(['personal', 'centralized', 'none']),
  options: ProviderOptionsSchema,
  enabled: z.boolean(),
  /** `database` for user-created providers, `env_preset` for the one made from OPENAI_BASE_URL / OPENAI_API_KEY. */
  source: z.enum(['database', 'env_preset']),
  /** Whether this server process holds a key for the provider; the key itself never leaves SecretStorage/the server's memory. */
  has_api_key: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Provider = z.infer<typeof ProviderSchema>;

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
  /** Compact the chat's context when a request reaches this share of context_limit (100: never). Default 70, 30 from 500k tokens. */
  compaction_threshold_percent: z.number().int().min(1).max(100).optional(),
  /** Where context_limit came from: the user's value wins; `discovered` from the provider; `fallback` 128k. */
  context_limit_source: z.enum(['user', 'discovered', 'fallback']).optional(),
  /** Another model of the same provider that writes compaction summaries (a cheaper one). */
  compaction_model: z.string().trim().min(1).optional(),
  /** Whether the model takes images (screenshots, attachments); `unknown` is tried. */
  image_input: z.enum(['yes', 'no', 'unknown'], { error: 'image_input must be yes, no or unknown.' }).optional(),
  /** Azure OpenAI: the deployment that serves this model (default: the model id). */
  deployment: z.string().trim().min(1).max(200).optional(),
});
export type ModelOptions = z.infer<typeof ModelOptionsSchema>;

export const ModelConfigSchema = z.object({
  id: z.string(),
  provider_id: z.string(),
  model: z.string(),
  display_name: z.string(),
  enabled: z.boolean(),
  is_default: z.boolean(),
  context_limit: z.number().int(),
  options: ModelOptionsSchema,
  deleted: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type ModelConfig = z.infer<typeof ModelConfigSchema>;

/** Events of one chat, streamed to every client following it. */
export type ChatStreamEvent =
  | { type: 'message_part'; role: MessageRole; part: StreamPart }
  | { type: 'message'; message: ChatMessage }
  | { type: 'status'; status: ChatStatus }
  | { type: 'error'; error: ChatError }
  | { type: 'queue_update'; queued_messages: QueuedMessage[] }
  | { type: 'retry'; attempt: number; delay_ms: number; error: string; kind: ChatErrorKind; status_code?: number; retrying_at: string }
  | { type: 'messages_deleted'; message_ids: number[] }
  /**
   * The chat waits for these calls to be decided (approvals) or answered (client tools). `tool_calls` is the
   * seed's shape of the same calls.
   */
  | { type: 'action_required'; actions: PendingAction[]; tool_calls: ActionToolCall[] }
  /** Something the user should know about a turn that is not an error of the turn (an MCP server that failed to connect). */
  | { type: 'notice'; level: 'info' | 'warning'; message: string }
  /** The chat's checkpoints changed (a file change recorded, kept, undone or restored): list them again. */
  | { type: 'file_changes' };

export interface ActionToolCall { tool_call_id: string; tool_name: string; args: string; kind: PendingAction['kind'] }

export const actionRequiredEvent = (actions: PendingAction[]): Extract<ChatStreamEvent, { type: 'action_required' }> => ({
  type: 'action_required', actions, tool_calls: actions.map((a) => ({ tool_call_id: a.tool_call_id, tool_name: a.tool_name, args: a.args, kind: a.kind })),
});

/** A streamed delta. Text and reasoning carry the new text; tool calls carry argument deltas; results carry output deltas. */
export type StreamPart =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'tool-call'; tool_call_id: string; tool_name: string; args_delta: string }
  | { type: 'tool-result'; tool_call_id: string; tool_name: string; result_delta: string };

/** `changed_elsewhere`: another process on the same database (a second window, the CLI) changed the chat or added to it. */
/** `diff_status_change`: the chat's branch, changed files or pull request changed. */
export type ChatWatchKind = 'created' | 'deleted' | 'status_change' | 'title_change' | 'updated' | 'changed_elsewhere' | 'diff_status_change';

/** Spend and tokens of one group (a local day, a model, a root chat with its subagents) from the request log. */
export const CostSummaryRowSchema = z.object({
  key: z.string(),
  /** The chat's title, the model's provider instance; the day itself for days. */
  label: z.string(),
  /** null: no request of the group was priced. */
  total_cost_micros: z.number().int().nullable(),
  requests: z.number().int(),
  priced_requests: z.number().int(),
  unpriced_requests: z.number().int(),
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  reasoning_tokens: z.number().int(),
  cache_read_tokens: z.number().int(),
  cache_creation_tokens: z.number().int(),
});
export type CostSummaryRow = z.infer<typeof CostSummaryRowSchema>;

/** `data` of every JSON-RPC error the server returns. */
export interface ErrorData {
  status: number;
  detail?: string;
  field?: string;
}
