// The params schemas and result types of the chat, model and settings requests (the table is in
// methods.ts). Params are validated by these schemas on the server, before any rule runs.
import { z } from 'zod';
import {
  BusyBehaviorSchema, ChatModeSchema, ClientTypeSchema, InputPartSchema, LabelsSchema, ModelOptionsSchema, PermissionModeSchema, ProviderTypeSchema,
  type Chat, type ChatMessage, type ModelConfig,
  type PendingAction, type PermissionMode, type Provider, type QueuedMessage, type RuleSource, type ToolDecisionBy,
} from './types';

export const EmptyParams = z.object({});
const id = (field: string) => z.string({ error: `${field} is required.` }).min(1, `${field} is required.`);
const content = z.array(InputPartSchema, { error: 'Content is required.' }).min(1, 'Content is required.');

// ---- chats ----
export const CreateChatParams = z.object({
  content,
  workspace: z.string().min(1).optional(),
  workspace_folder: z.string().min(1).optional(),
  model_config_id: z.string().min(1).optional(),
  labels: LabelsSchema.optional(),
  mode: ChatModeSchema.optional(),
  permission_mode: PermissionModeSchema.optional(),
  client_type: ClientTypeSchema.optional(),
  mcp_server_ids: z.array(z.string()).optional(),
  system_prompt: z.string().max(10000, 'must be at most 10000 characters').optional(),
});

export type CreateChatResult = Chat;

export const ListChatsParams = z.object({
  workspace: z.string().optional(),
  archived: z.boolean().optional(),
  /** `key:value` filters, AND-ed. */
  label: z.array(z.string()).optional(),
  has_unread: z.boolean().optional(),
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
  mode: ChatModeSchema.optional(),
  /** null: back to the settings' default permission mode. */
  permission_mode: PermissionModeSchema.nullable().optional(),
  workspace_folder: z.string().min(1).optional(),
});

export const GetMessagesParams = z.object({
  chat_id: id('chat_id'),
  before_id: z.number().int().positive().optional(),
  limit: z.number({ error: 'Invalid limit parameter (1-200).' }).int().min(1, 'Invalid limit parameter (1-200).').max(200, 'Invalid limit parameter (1-200).').optional(),
});
export interface ChatsPage { chats: Chat[]; has_more: boolean }
export interface MessagesPage { messages: ChatMessage[]; queued_messages: QueuedMessage[]; has_more: boolean }

export const SendMessageParams = z.object({
  chat_id: id('chat_id'),
  content,
  model_config_id: z.string().min(1).optional(),
  busy_behavior: BusyBehaviorSchema.optional(),
  mode: ChatModeSchema.optional(),
  /** MCP servers selected for this message (and the chat from now on); force_on servers are always added. */
  mcp_server_ids: z.array(z.string().min(1)).max(100).optional(),
});
export interface SendMessageResult { queued: boolean; message?: ChatMessage; queued_message?: QueuedMessage }

export const EditMessageParams = z.object({
  chat_id: id('chat_id'),
  message_id: z.number({ error: 'Message ID must be a positive integer.' }).int().positive('Message ID must be a positive integer.'),
  content,
  model_config_id: z.string().min(1).optional(),
});
export interface EditMessageResult { message: ChatMessage; deleted_message_ids: number[] }

export const ChatIdParams = z.object({ chat_id: id('chat_id') });
/** Advances the read cursor to the newest message (on open and on leave). */

/** `edit`: what to change before implementing (the plan file may be edited too). */
export const ApprovePlanParams = z.object({ chat_id: id('chat_id'), edit: z.string().trim().max(20000).optional() });

export const QueuedMessageParams = z.object({ chat_id: id('chat_id'), queued_message_id: z.number().int().positive() });
/** Sends a queued message now; while a turn runs it moves to the front and the run is interrupted (`queued: true`). */

export const CostSummaryParams = z.object({
  chat_id: z.string().optional(),
  group_by: z.enum(['chat', 'model', 'day']),
  start_date: z.iso.datetime({ offset: true }).optional(),
  end_date: z.iso.datetime({ offset: true }).optional(),
});

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
export interface DecideResult { action: PendingAction; chat: Chat; rules_added: string[] }
/** Answers one approval; when none is left open the chat resumes. The first decision wins (409 after). */
export interface ToolDecisionRecord {
  id: number; chat_id: string; tool_call_id: string; tool_name: string; subject: string; decision: 'allow' | 'ask' | 'deny';
  decided_by: ToolDecisionBy; rule: string | null; source: RuleSource | null; reason: string | null;
  outcome: 'ok' | 'failed' | null; created_at: string;
}
export const ListToolDecisionsParams = z.object({ chat_id: id('chat_id'), limit: z.number().int().min(1).max(1000).optional() });
/** The audit: every gate decision of the chat and whether the call ran, newest last. */

// ---- context files, plan, linked files ----
export interface InjectedContext {
  folder: string | null;
  files: Array<{ path: string; size: number; truncated: boolean }>;
  skills: Array<{ name: string; description: string }>;
}
export const ContextAddParams = z.object({ chat_id: id('chat_id'), dir: z.string().min(1).optional() });
/** Adds the instruction files and skills of a folder (default: the chat's folder) to the chat. */
/** Soft-deletes the chat's context-file messages; the next turn re-reads the defaults. */
export interface ChatFile { id: string; name: string; media_type: string; path: string | null; size: number; kind: string; created_at: string }
export interface ChatPlan { path: string; exists: boolean; content: string | null; proposed: boolean }
/** The chat's plan file, for the panel to render with Approve / Revise. */

// ---- server settings ----
export interface ServerSettingsInfo {
  explore_model: string | null;
  /** `ok`, `unset`, or why the override is "treated as unset". */
  explore_model_status: string;
  plan_directory: string;
  permissions: {
    default_mode: PermissionMode;
    /** Every rule in force, deny first, with where it came from. */
    rules: Array<{ rule: string; list: 'allow' | 'ask' | 'deny'; source: RuleSource }>;
    /** Rules that could not be read, by setting and position; they are ignored. */
    errors: string[];
  };
  command_env: { pass_through: string[]; drop: string[] };
}
const ruleList = z.array(z.string().max(4000), { error: 'must be a list of rules' }).max(1000);
const envNames = z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'), { error: 'must be a list of names' }).max(1000);
export const UpdateSettingsParams = z.object({
  explore_model: z.string().max(200).nullable().optional(),
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
});

// ---- providers and models ----
export const CreateProviderParams = z.object({
  provider: ProviderTypeSchema,
  display_name: z.string().trim().min(1).max(200).optional(),
  base_url: z.url({ protocol: /^https?$/, error: 'Base URL must be an absolute http or https URL.' }),
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
export const FetchProviderModelsParams = z.object({
  provider_id: z.string().optional(),
  base_url: z.url({ protocol: /^https?$/, error: 'Base URL must be an absolute http or https URL.' }).optional(),
  api_key: z.string().max(10240).optional(),
});

const baseUrl = z.url({ protocol: /^https?$/, error: 'Base URL must be an absolute http or https URL.' });
/** One tiny request to a provider (base URL + key + model, or a stored provider): does it answer, and if not, why. */
export const TestProviderParams = z.object({
  base_url: baseUrl.optional(),
  provider_id: z.string().min(1).optional(),
  api_key: z.string().max(10240).optional(),
  model: z.string().trim().min(1, 'Model is required.'),
}).refine((p) => p.base_url || p.provider_id, { message: 'base_url or provider_id is required.', path: ['base_url'] });
export interface TestProviderResult { ok: boolean; message: string; status_code: number | null; latency_ms: number }
/** Saves the provider form: the provider at this URL (made when missing) and its model as the default. */
export const SetupProviderParams = z.object({
  base_url: baseUrl,
  model: z.string().trim().min(1, 'Model is required.'),
  display_name: z.string().trim().min(1).max(200).optional(),
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
export const UpdateModelConfigParams = CreateModelConfigParams.omit({ provider_id: true }).partial().extend({ model_config_id: id('model_config_id') });
export const ModelConfigIdParams = z.object({ model_config_id: id('model_config_id') });

// ---- server ----
export interface ServerInfo {
  version: string;
  pid: number;
  worker_id: string;
  db_path: string;
  schema_version: number;
  workspace: string | null;
  workspace_folders: string[];
  trusted: boolean;
}

/** Workspace folders or trust changed in the editor. */
export const SetWorkspaceParams = z.object({
  workspace: z.string().min(1).nullable(),
  folders: z.array(z.string().min(1)),
  trusted: z.boolean(),
});
