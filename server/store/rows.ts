// Row shapes of the store and their mapping to protocol payloads.
import { AppError } from '../errors';
import type { Chat, ChatError, ChatMessage, ChatMode, ChatStatus, ClientType, InputPart, MessagePart, MessageRole, PermissionMode, QueuedMessage } from '../protocol';
import { iso } from '../util/time';
import { diffStatusFromJson } from './diffStatuses';

export interface ChatRow {
  id: string;
  workspace: string;
  workspace_folder: string | null;
  title: string;
  status: ChatStatus;
  worker_id: string | null;
  started_at: number | null;
  heartbeat_at: number | null;
  recovery_count: number;
  last_error: string | null;
  parent_chat_id: string | null;
  parent_tool_call_id: string | null;
  root_chat_id: string | null;
  mode: ChatMode;
  client_type: ClientType;
  labels: string;
  pin_order: number;
  archived: number;
  last_model_config_id: string | null;
  last_read_message_id: number | null;
  mcp_server_ids: string;
  dynamic_tools: string | null;
  last_injected_context: string | null;
  system_prompt: string | null;
  /** The client's session key (request log grouping); null: the chat tree's root. */
  session_key: string | null;
  /** The run that owns the turn now (set at acquisition); a superseded run's writes are refused. */
  run_id: string | null;
  /** The worker that must run this chat (the CLI's own chats); cleared when that worker is gone. */
  reserved_by: string | null;
  permission_mode: PermissionMode | null;
  created_at: number;
  updated_at: number;
}

export interface MessageRow {
  id: number;
  chat_id: string;
  role: MessageRole;
  content_version: number;
  content: string;
  model_config_id: string | null;
  created_at: number;
  input_tokens: number | null;
  output_tokens: number | null;
  total_tokens: number | null;
  reasoning_tokens: number | null;
  cache_read_tokens: number | null;
  cache_creation_tokens: number | null;
  context_limit: number | null;
  total_cost_micros: number | null;
  runtime_ms: number | null;
  provider_response_id: string | null;
  deleted: number;
}

export interface QueuedRow {
  id: number;
  chat_id: string;
  content: string;
  model_config_id: string | null;
  mode: ChatMode;
  position: number;
  created_at: number;
}

export function chatFromRow(row: ChatRow, hasUnread: boolean, childCount = 0, awaitingDecision = false, diffStatusJson: string | null = null): Chat {
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    workspace: row.workspace,
    workspace_folder: row.workspace_folder,
    parent_chat_id: row.parent_chat_id,
    parent_tool_call_id: row.parent_tool_call_id,
    root_chat_id: row.root_chat_id,
    mode: row.mode,
    permission_mode: row.permission_mode,
    client_type: row.client_type,
    labels: JSON.parse(row.labels) as Record<string, string>,
    pin_order: row.pin_order,
    archived: row.archived === 1,
    last_model_config_id: row.last_model_config_id,
    last_read_message_id: row.last_read_message_id,
    mcp_server_ids: JSON.parse(row.mcp_server_ids) as string[],
    last_error: row.last_error ? (JSON.parse(row.last_error) as ChatError) : null,
    has_unread: hasUnread,
    awaiting_decision: awaitingDecision,
    child_count: childCount,
    plan_mode: row.mode === 'plan' ? 'plan' : '',
    dynamic_tools: row.dynamic_tools ? (JSON.parse(row.dynamic_tools) as Array<{ name: string }>).map((t) => t.name) : [],
    diff_status: diffStatusFromJson(diffStatusJson),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

/** Only content_version 1 (a JSON array of parts) is understood; anything else is an error, never a guess. */
export function parseContent(version: number, content: string, where: string): MessagePart[] {
  if (version !== 1) throw new AppError(500, `Unsupported message content_version ${version} (${where}).`);
  const parts = JSON.parse(content) as unknown;
  if (!Array.isArray(parts)) throw new AppError(500, `Message content is not a part array (${where}).`);
  return parts as MessagePart[];
}

export function messageFromRow(row: MessageRow): ChatMessage {
  return {
    id: row.id,
    chat_id: row.chat_id,
    role: row.role,
    content_version: row.content_version,
    content: parseContent(row.content_version, row.content, `message ${row.id}`),
    model_config_id: row.model_config_id,
    created_at: iso(row.created_at),
    usage: {
      input_tokens: row.input_tokens,
      output_tokens: row.output_tokens,
      total_tokens: row.total_tokens,
      reasoning_tokens: row.reasoning_tokens,
      cache_read_tokens: row.cache_read_tokens,
      cache_creation_tokens: row.cache_creation_tokens,
    },
    total_cost_micros: row.total_cost_micros,
    runtime_ms: row.runtime_ms,
    provider_response_id: row.provider_response_id,
  };
}

export function queuedFromRow(row: QueuedRow): QueuedMessage {
  return {
    id: row.id,
    chat_id: row.chat_id,
    content: JSON.parse(row.content) as InputPart[],
    model_config_id: row.model_config_id,
    mode: row.mode,
    created_at: iso(row.created_at),
  };
}
