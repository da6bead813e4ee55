// The params schemas and result types of the chat, model and settings requests (the table is in
// methods.ts). Params are validated by these schemas on the server, before any rule runs.
import { z } from 'zod';
import {
  BusyBehaviorSchema, ClientTypeSchema, InputPartSchema, LabelsSchema, ModelOptionsSchema, PermissionModeSchema, PricingSchema, ProviderOptionsSchema, ProviderTypeSchema,
  ChatDiffFileSchema, ChatDiffStatusSchema, ChatMessageSchema, ChatSchema, DynamicToolSchema, PendingActionSchema, QueuedMessageSchema, RuleSourceSchema, ToolDecisionBySchema,
  type Chat, type ModelConfig,
  type Provider, 
} from './types';

export const EmptyParams = z.object({});
const id = (field: string) => z.string({ error: `${field} is required.` }).min(1, `${field} is required.`);
const content = z.array(InputPartSchema, { error: 'Content is required.' }).min(1, 'Content is required.');
const planMode = z.enum(['', 'plan'], { error: 'plan_mode must be "" or "plan".' }).optional();
/** The modes a client may give a chat; `computer_use` belongs to the subagents spawn_computer_use_agent starts. */
const ClientChatModeSchema = z.enum(['default', 'plan', 'explore'], {
  error: 'mode must be "default", "plan" or "explore" (computer_use is the mode of subagents started with spawn_computer_use_agent).',
});

// ---- chats ----
export const CreateChatParams = z.object({
  content,
  workspace: z.string().min(1).optional(),
  workspace_folder: z.string().min(1).optional(),
  model_config_id: z.string().min(1).optional(),
  labels: LabelsSchema.optional(),
  mode: ClientChatModeSchema.optional(),
  permission_mode: PermissionModeSchema.optional(),
  client_type: ClientTypeSchema.optional(),
  mcp_server_ids: z.array(z.string()).optional(),
  system_prompt: z.string().max(10000, 'must be at most 10000 characters').optional(),
  /** The client's session key: the request log groups this chat's requests (and its subagents') under it. */
  session_key: z.string().trim().min(1, 'session_key must not be empty.').max(200, 'session_key must be at most 200 characters.').optional(),
  /** The seed's spelling of `mode`: "plan" starts in plan mode, "" in the default mode. */
  plan_mode: planMode,
  /** Tools the client executes; their calls wait in requires_action until POST tool-results. */
  unsafe_dynamic_tools: z.array(DynamicToolSchema).max(250, 'Too many dynamic tools.').superRefine((tools, c) => {
    const seen = new Set<string>();
    tools.forEach((t, i) => {
      if (seen.has(t.name)) c.addIssue({ code: 'custom', message: 'Duplicate dynamic tool name.', path: [i, 'name'] });
      seen.add(t.name);
    });
  }).optional(),
});

export type CreateChatResult = Chat;

export const ListChatsParams = z.object({
  workspace: z.string().optional(),
  archived: z.boolean().optional(),
  /** `key:value` filters, AND-ed. */
  label: z.array(z.string()).optional(),
  has_unread: z.boolean().optional(),
  /** Words the title must contain; `archived:true|false` and `label:key:value` terms filter too. */
  q: z.string().max(500).optional(),
  /** Only chats made by this kind of client (the Chats tree's filter). */
  client_type: ClientTypeSchema.optional(),
  /** Children of this chat instead of root chats. */
  parent_chat_id: z.string().optional(),
  after_id: z.string().optional(),
  limit: z.number().int().min(1).max(200).optional(),
});


export const UpdateChatParams = z.object({
  chat_id: id('chat_id'),
  title: z.string().trim().min(1, 'Title must not be empty.').max(200).optional(),
  archived: z.boolean().optional(),
  pin_order: z.number({ error: 'Pin order must be an integer.' }).int('Pin order must be an integer.').optional(),
  labels: LabelsSchema.optional(),
  mode: ClientChatModeSchema.optional(),
  /** null: back to the settings' default permission mode. */
  permission_mode: PermissionModeSchema.nullable().optional(),
  workspace_folder: z.string().min(1).optional(),
  plan_mode: planMode,
});

export const GetMessagesParams = z.object({
  chat_id: id('chat_id'),
  before_id: z.number({ error: 'Invalid before_id.' }).int().positive('Invalid before_id.').optional(),
  /** Instead of before_id: the page around this message (opening a chat at a search hit). */
  around_id: z.number({ error: 'Invalid around_id.' }).int().positive('Invalid around_id.').optional(),
  /** Instead of before_id: the messages after this one, oldest first (catching up; no queued messages). */
  after_id: z.number({ error: 'Invalid after_id.' }).int().min(0, 'Invalid after_id.').optional(),
  limit: z.number({ error: 'Invalid limit parameter (1-200).' }).int().min(1, 'Invalid limit parameter (1-200).').max(200, 'Invalid limit parameter (1-200).').optional(),
});
export const ChatsPageSchema = z.object({ chats: z.array(ChatSchema), has_more: z.boolean() });
export type ChatsPage = z.infer<typeof ChatsPageSchema>;
export const MessagesPageSchema = z.object({
  messages: z.array(ChatMessageSchema), queued_messages: z.array(QueuedMessageSchema), has_more: z.boolean(),
  /** around_id pages: newer messages exist after this page. */
  has_newer: z.boolean().optional(),
});

export const SearchChatsParams = z.object({
  q: z.string({ error: 'q is required.' }).trim().min(1, 'q is required.').max(500),
  archived: z.boolean().optional(),
  limit: z.number().int().min(1).max(100).optional(),
});
export const SearchResultsSchema = z.object({
  results: z.array(z.object({
    chat: ChatSchema,
    /** The matching message (null: the title or a label matched). */
    message_id: z.number().int().nullable(),
    kind: z.enum(['title', 'message']),
    /** The match in context, the words between « and ». */
    snippet: z.string(),
  })),
});
export type SearchResults = z.infer<typeof SearchResultsSchema>;
export type MessagesPage = z.infer<typeof MessagesPageSchema>;

export const SendMessageParams = z.object({
  chat_id: id('chat_id'),
  content,
  model_config_id: z.string().min(1).optional(),
  busy_behavior: BusyBehaviorSchema.optional(),
  mode: ClientChatModeSchema.optional(),
  /** MCP servers selected for this message (and the chat from now on); force_on servers are always added. */
  mcp_server_ids: z.array(z.string().min(1)).max(100).optional(),
  plan_mode: planMode,
});
export const SendMessageResultSchema = z.object({ queued: z.boolean(), message: ChatMessageSchema.optional(), queued_message: QueuedMessageSchema.optional() });
export type SendMessageResult = z.infer<typeof SendMessageResultSchema>;

// The seed's wording: the message says what is wrong, the detail what a valid id is. Typed as a number for
// callers; at run time anything else is that 400.
const messageId = z.unknown().transform((v, c) => {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
  c.addIssue({ code: 'custom', message: 'Invalid chat message ID.', params: { detail: 'Message ID must be a positive integer.' } });
  return z.NEVER;
}).meta({ type: 'integer', minimum: 1 }) as unknown as z.ZodType<number, number>;

export const EditMessageParams = z.object({
  chat_id: id('chat_id'),
  message_id: messageId,
  content,
  model_config_id: z.string().min(1).optional(),
  /** Also put back the files the agent changed after this message (checkpoints). */
  restore_files: z.boolean().optional(),
});
export type EditMessageResult = z.infer<typeof EditMessageResultSchema>;

export const ChatIdParams = z.object({ chat_id: id('chat_id') });

/** A root chat's diff status with its changed files (the list is capped; `diff_status.changed_files` counts them all). */
export const ChatDiffSchema = z.object({ chat_id: z.string(), diff_status: ChatDiffStatusSchema.nullable(), files: z.array(ChatDiffFileSchema) });
export type ChatDiff = z.infer<typeof ChatDiffSchema>;
export const SetGitHubTokenParams = z.object({
  /** The web host the token is for: github.com or the Enterprise server's host. */
  host: z.string().trim().min(1, 'host is required.').max(253),
  /** null: signed out, forget it. */
  token: z.string().min(1, 'token must not be empty.').max(4096).nullable(),
});
/** Advances the read cursor to the newest message (on open and on leave). */

/** `edit`: what to change before implementing (the plan file may be edited too). */
// ---- checkpoints ----
export const FileChangeSchema = z.object({
  id: z.number().int(),
  chat_id: z.string(),
  /** The assistant message whose tool call made it (restore to an earlier message undoes it). */
  message_id: z.number().int().nullable(),
  tool_call_id: z.string().nullable(),
  path: z.string(),
  /** Relative to the chat's workspace folder when inside it. */
  relative_path: z.string(),
  before_exists: z.boolean(),
  after_exists: z.boolean(),
  added: z.number().int(),
  removed: z.number().int(),
  source: z.enum(['write_file', 'edit_files', 'execute', 'restore']),
  restore_id: z.number().int().nullable(),
  state: z.enum(['applied', 'kept', 'undone']),
  created_at: z.string(),
});
export type FileChange = z.infer<typeof FileChangeSchema>;
export const RestoreResultSchema = z.object({
  /** Null for a dry run or when nothing was written. */
  restore_id: z.number().int().nullable(),
  dry_run: z.boolean(),
  restored: z.array(z.object({ path: z.string(), action: z.enum(['restored', 'deleted', 'recreated']) })),
  /** Files left as they are, and why (the user changed them since; the earlier content was not kept). */
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
});
export type RestoreResult = z.infer<typeof RestoreResultSchema>;
export const EditMessageResultSchema = z.object({ message: ChatMessageSchema, deleted_message_ids: z.array(z.number().int()), restore: RestoreResultSchema.optional() });
const changeIds = z.array(z.number().int().positive(), { error: 'change_ids must be a list of change ids.' }).min(1, 'At least one change id is required.').max(10_000);
export const RestoreCheckpointParams = z.object({
  chat_id: id('chat_id'),
  message_id: z.number({ error: 'Message ID must be a positive integer.' }).int().positive('Message ID must be a positive integer.'),
  dry_run: z.boolean().optional(),
});
export const UndoFileChangesParams = z.object({ chat_id: id('chat_id'), change_ids: changeIds, dry_run: z.boolean().optional() });
export const KeepFileChangesParams = z.object({ chat_id: id('chat_id'), change_ids: changeIds });
export const UndoRestoreParams = z.object({ chat_id: id('chat_id'), restore_id: z.number({ error: 'Restore ID must be a positive integer.' }).int().positive('Restore ID must be a positive integer.') });
export const FileChangeContentParams = z.object({ chat_id: id('chat_id'), change_id: z.number().int().positive(), side: z.enum(['before', 'after']) });
export const FileChangeContentSchema = z.object({ path: z.string(), exists: z.boolean(), content: z.string() });
export type FileChangeContent = z.infer<typeof FileChangeContentSchema>;

export const CompactChatParams = z.object({ chat_id: id('chat_id'), focus: z.string().trim().max(2000, 'Focus must be at most 2000 characters.').optional() });
export const CompactChatResultSchema = z.object({ message: ChatMessageSchema.nullable() });
export type CompactChatResult = z.infer<typeof CompactChatResultSchema>;
export const ResetChatContextResultSchema = z.object({ message: ChatMessageSchema });
export type ResetChatContextResult = z.infer<typeof ResetChatContextResultSchema>;
export const ApprovePlanParams = z.object({ chat_id: id('chat_id'), edit: z.string().trim().max(20000).optional() });

// ---- client-executed (dynamic) tools ----
export const SubmitToolResultsParams = z.object({
  chat_id: id('chat_id'),
  results: z.array(z.object({
    tool_call_id: id('tool_call_id'),
    /** Any JSON value; the model reads it as JSON text. */
    output: z.unknown().refine((v) => v !== undefined, 'Tool result output must be valid JSON.'),
    is_error: z.boolean().optional(),
  }), { error: 'At least one tool result is required.' }).min(1, 'At least one tool result is required.'),
});

// ---- uploaded files ----
/** At most this many bytes per upload. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const UploadChatFileParams = z.object({
  name: z.string({ error: 'Name is required.' }).trim().min(1, 'Name is required.').max(255),
  media_type: z.string({ error: 'media_type is required.' }).regex(/^[\w.+-]+\/[\w.+-]+$/, 'media_type must be a MIME type such as text/plain.'),
  /** The bytes, base64 (over HTTP: the request body itself). */
  data: z.base64({ error: 'data must be base64.' }).refine((d) => d.length * 0.75 <= MAX_UPLOAD_BYTES + 2, `The file is larger than ${MAX_UPLOAD_BYTES} bytes.`),
});
export const FileIdParams = z.object({ file_id: id('file_id') });
export interface ChatFileData { id: string; name: string; media_type: string; size: number; data: string; created_at: string }

export const QueuedMessageParams = z.object({ chat_id: id('chat_id'), queued_message_id: z.number().int().positive() });
/** Sends a queued message now; while a turn runs it moves to the front and the run is interrupted (`queued: true`). */

// ---- approvals ----
export const ListPendingActionsParams = z.object({ chat_id: id('chat_id'), include_subagents: z.boolean().optional() });
/** The calls a chat (and with include_subagents its whole tree) waits on. */
export const DecideParams = z.object({
  chat_id: id('chat_id'),
  tool_call_id: id('tool_call_id'),
  decision: z.enum(['allow_once', 'allow_chat', 'allow_always', 'deny'], { error: 'Decision must be allow_once, allow_chat, allow_always or deny.' }),
  /** allow_chat / allow_always: the rules to keep (default: the exact rules the call needs). */
  rules: z.array(z.string().min(1, 'A rule must not be empty.')).max(50).optional(),
  /** deny: why, for the model to read. */
  reason: z.string().max(2000).optional(),
});
export const DecideResultSchema = z.object({ action: PendingActionSchema, chat: ChatSchema, rules_added: z.array(z.string()) });
export type DecideResult = z.infer<typeof DecideResultSchema>;
export const ToolDecisionRecordSchema = z.object({
  id: z.number().int(), chat_id: z.string(), tool_call_id: z.string(), tool_name: z.string(), subject: z.string(), decision: z.enum(['allow', 'ask', 'deny']),
  decided_by: ToolDecisionBySchema, rule: z.string().nullable(), source: RuleSourceSchema.nullable(), reason: z.string().nullable(),
  outcome: z.enum(['ok', 'failed']).nullable(), created_at: z.string(),
});
export type ToolDecisionRecord = z.infer<typeof ToolDecisionRecordSchema>;
export const ListToolDecisionsParams = z.object({ chat_id: id('chat_id'), limit: z.number().int().min(1).max(1000).optional() });
// ---- context files, plan, linked files ----
export interface InjectedContext {
  folder: string | null;
  files: Array<{ path: string; size: number; truncated: boolean }>;
  skills: Array<{ name: string; description: string }>;
}
export const ContextAddParams = z.object({ chat_id: id('chat_id'), dir: z.string().min(1).optional() });
export const ChatPlanSchema = z.object({ path: z.string(), exists: z.boolean(), content: z.string().nullable(), proposed: z.boolean() });
export type ChatPlan = z.infer<typeof ChatPlanSchema>;

// ---- server settings ----
export const ServerSettingsInfoSchema = z.object({
  explore_model: z.string().nullable(),
  /** `ok`, `unset`, or why the override is "treated as unset". */
  explore_model_status: z.string(),
  plan_directory: z.string(),
  /** model_status: `ok`, `unset`, or why the override is "treated as unset". */
  computer_use: z.object({ model: z.string().nullable(), model_status: z.string(), browser: z.string().nullable(), headless: z.boolean() }),
  permissions: z.object({
    default_mode: PermissionModeSchema,
    /** Every rule in force, deny first, with where it came from. */
    rules: z.array(z.object({ rule: z.string(), list: z.enum(['allow', 'ask', 'deny']), source: RuleSourceSchema })),
    /** Rules that could not be read, by setting and position; they are ignored. */
    errors: z.array(z.string()),
  }),
  command_env: z.object({ pass_through: z.array(z.string()), drop: z.array(z.string()) }),
  dynamic_tool_timeout_seconds: z.number().int(),
  spend_limits: z.object({ daily_usd: z.number().nullable(), monthly_usd: z.number().nullable() }),
  github: z.object({ enterprise_url: z.string().nullable(), pull_requests: z.boolean(), poll_seconds: z.number().int() }),
});
export type ServerSettingsInfo = z.infer<typeof ServerSettingsInfoSchema>;
const spendLimit = z.number({ error: 'must be a number of dollars' }).min(0, 'must not be negative').max(1_000_000, 'must be at most 1000000 dollars');
const ruleList = z.array(z.string().max(4000), { error: 'must be a list of rules' }).max(1000);
const envNames = z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'), { error: 'must be a list of names' }).max(1000);
export const UpdateSettingsParams = z.object({
  explore_model: z.string().max(200).nullable().optional(),
  /** Computer-use subagents: their model (null: the turn's), the browser (an executable path or channel; null or '': found automatically), headless. */
  computer_use: z.object({
    model: z.string().max(200).nullable().optional(),
    browser: z.string().max(1000).nullable().optional(),
    headless: z.boolean({ error: 'must be true or false' }).optional(),
  }).optional(),
  plan_directory: z.string().min(1).max(200).refine((p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'), 'must be a relative folder inside the workspace').optional(),
  /** From the user's settings (allow, ask, deny, default mode) and the workspace's (ask and deny only). null: the built-in list. */
  permissions: z.object({
    allow: ruleList.nullable().optional(),
    ask: ruleList.nullable().optional(),
    deny: ruleList.optional(),
    default_mode: PermissionModeSchema.optional(),
    workspace_ask: ruleList.optional(),
    workspace_deny: ruleList.optional(),
  }).optional(),
  command_env: z.object({ pass_through: envNames.optional(), drop: envNames.optional() }).optional(),
  dynamic_tool_timeout_seconds: z.number({ error: 'must be a number of seconds' }).int('must be a whole number of seconds').min(1, 'must be at least 1 second').max(86400, 'must be at most 86400 seconds (a day)').optional(),
  /** Dollars; null or 0: no limit. */
  spend_limits: z.object({ daily_usd: spendLimit.nullable().optional(), monthly_usd: spendLimit.nullable().optional() }).optional(),
  github: z.object({
    /** The GitHub Enterprise server's web address (its API is under /api/v3); null: github.com only. */
    enterprise_url: z.url({ protocol: /^https?$/, error: 'must be an absolute http or https URL' }).nullable().optional(),
    pull_requests: z.boolean({ error: 'must be true or false' }).optional(),
    poll_seconds: z.number({ error: 'must be a number of seconds' }).int('must be a whole number of seconds').min(5, 'must be at least 5 seconds').max(86400, 'must be at most 86400 seconds (a day)').optional(),
  }).optional(),
});

// ---- providers and models ----
export const CreateProviderParams = z.object({
  provider: ProviderTypeSchema,
  /** Unique among live providers; default: the type's display name (numbered when taken). */
  provider_name: z.string().trim().min(1, 'provider_name must not be empty.').max(100, 'provider_name must be at most 100 characters.').optional(),
  display_name: z.string().trim().min(1).max(200).optional(),
  base_url: z.url({ protocol: /^https?$/, error: 'Base URL must be an absolute http or https URL.' }),
  key_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'key_env must be an environment variable name.').nullable().optional(),
  options: ProviderOptionsSchema.optional(),
  enabled: z.boolean().optional(),
});
export const UpdateProviderParams = CreateProviderParams.partial().extend({ provider_id: id('provider_id') });
export const ProviderIdParams = z.object({ provider_id: id('provider_id') });
/** Hands the server a key for this process's lifetime. The key is never written to SQLite, a log or a reply. */
export const SetProviderKeyParams = z.object({
  provider_id: id('provider_id'),
  api_key: z.string().max(10240, 'API key must be at most 10240 bytes.').nullable(),
});
/** Lists the models the provider offers (GET /models). A key may be passed for a provider not yet saved. */
/** What a provider not yet saved needs besides its URL and key: its type (Azure speaks its own dialect) and options. */
const unsavedProvider = { provider: ProviderTypeSchema.optional(), options: ProviderOptionsSchema.optional() };
/** A model the provider lists, with what it publishes about it (OpenRouter: context length and prices). */
export const ProviderModelSchema = z.object({
  id: z.string(),
  context_length: z.number().int().positive().optional(),
  max_output_tokens: z.number().int().positive().optional(),
  image_input: z.enum(['yes', 'no', 'unknown']),
  cost: PricingSchema.optional(),
});
export type ProviderModel = z.infer<typeof ProviderModelSchema>;
export const FetchProviderModelsParams = z.object({
  ...unsavedProvider,
  provider_id: z.string().optional(),
  base_url: z.url({ protocol: /^https?$/, error: 'Base URL must be an absolute http or https URL.' }).optional(),
  api_key: z.string().max(10240).optional(),
});

const baseUrl = z.url({ protocol: /^https?$/, error: 'Base URL must be an absolute http or https URL.' });
/** One tiny request to a provider (base URL + key + model, or a stored provider): does it answer, and if not, why. */
export const TestProviderParams = z.object({
  ...unsavedProvider,
  base_url: baseUrl.optional(),
  provider_id: z.string().min(1).optional(),
  api_key: z.string().max(10240).optional(),
  model: z.string().trim().min(1, 'Model is required.'),
}).refine((p) => p.base_url || p.provider_id, { message: 'base_url or provider_id is required.', path: ['base_url'] });
export interface TestProviderResult { ok: boolean; message: string; status_code: number | null; latency_ms: number }
/** Saves the provider form: the provider at this URL (made when missing) and its model as the default. */
export const SetupProviderParams = z.object({
  ...unsavedProvider,
  base_url: baseUrl,
  model: z.string().trim().min(1, 'Model is required.'),
  /** The instance to save into (made when missing); without it, the provider at this URL. */
  provider_name: z.string().trim().min(1).max(100).optional(),
  display_name: z.string().trim().min(1).max(200).optional(),
  /** What the model list said about the model (prices, context length) or the user entered. */
  model_options: ModelOptionsSchema.optional(),
  context_limit: z.number().int().positive('context_limit must be greater than zero.').optional(),
});
export interface SetupProviderResult { provider: Provider; model_config: ModelConfig }

export const CreateModelConfigParams = z.object({
  provider_id: id('provider_id'),
  model: z.string().trim().min(1, 'Model is required.'),
  display_name: z.string().trim().min(1).max(200).optional(),
  context_limit: z.number({ error: 'Context limit is required.' }).int().positive('context_limit must be greater than zero.'),
  is_default: z.boolean().optional(),
  enabled: z.boolean().optional(),
  options: ModelOptionsSchema.optional(),
});
/** `provider_id` moves the config to another live provider. */
export const UpdateModelConfigParams = CreateModelConfigParams.partial().extend({ model_config_id: id('model_config_id') });
export const ModelConfigIdParams = z.object({ model_config_id: id('model_config_id') });

// ---- server ----
export const ServerInfoSchema = z.object({
  version: z.string(),
  pid: z.number().int(),
  worker_id: z.string(),
  db_path: z.string(),
  schema_version: z.number().int(),
  workspace: z.string().nullable(),
  workspace_folders: z.array(z.string()),
  trusted: z.boolean(),
  /** The HTTP API's base URL when it is on (the token is never here: `local-agents api token`). */
  api_url: z.string().nullable(),
});
export type ServerInfo = z.infer<typeof ServerInfoSchema>;

export const ApiAccessParams = z.object({ rotate: z.boolean().optional() });
/** The editor's "Copy API Token": the URL of this server's API and the token (never shown to the webview). */
export interface ApiAccess { url: string | null; token: string; source: 'env' | 'file'; file: string }

/** Workspace folders or trust changed in the editor. */
export const SetWorkspaceParams = z.object({
  workspace: z.string().min(1).nullable(),
  folders: z.array(z.string().min(1)),
  trusted: z.boolean(),
});
