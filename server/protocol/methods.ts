// The protocol as one table: every request declared once with its method, its params schema and result
// type, what it does, and where it is exposed (the webview relay, the HTTP API with its route, the CLI's
// `call`). JSON-RPC serves every request; the other adapters iterate this table, and handlers.ts binds each
// name to its capability, so a request without a handler or a client passing the wrong params fails to
// compile. The types come from the schemas through type-only imports: this module loads no zod and no
// JSON-RPC library, so the extension host and the webview import it as it is.
import type { z } from 'zod';
import type * as Mcp from './mcp';
import type * as U from './usage';
import type * as S from './requests';
import type {
  Chat, ChatFile, ChatStreamEvent, ChatWatchKind, ModelConfig, PendingAction, Provider, QueuedMessage,
} from './types';

/** Besides JSON-RPC (every request): the webview relay, the HTTP API, the CLI's `local-agents call`. */
export type Exposure = 'webview' | 'http' | 'cli';

export interface HttpRoute {
  readonly verb: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Under /api/experimental; `{name}` segments fill the param of that name. */
  readonly path: string;
  /** Default 200. 204 sends no body. */
  readonly status?: 200 | 201 | 204;
  /** `raw`: the body is the file itself (Content-Type and ?name=), not JSON. */
  readonly body?: 'raw';
  /** `raw`: the result's `data` (base64) is sent as the body, with its media type. */
  readonly response?: 'raw';
}

export interface RequestEntry<P, R, E extends Exposure = Exposure> {
  readonly kind: 'request';
  readonly method: string;
  readonly summary: string;
  readonly expose: readonly Exposure[];
  readonly http?: HttpRoute;
  /**
   * Types only, never set. `exposedTo` is a parameter so an entry exposed to more places is assignable
   * where fewer are required: `request(def: RequestEntry<P, R, 'webview'>)` takes only webview entries.
   */
  readonly types?: { params: P; result: R; exposedTo: (e: E) => void };
}
export type AnyRequest = RequestEntry<unknown, unknown, never>;
export type ParamsOf<D> = D extends { types?: { params: infer P } } ? P : never;
export type ResultOf<D> = D extends { types?: { result: infer R } } ? R : never;

export interface NotificationEntry<P> {
  readonly kind: 'notification';
  readonly method: string;
  readonly summary: string;
  readonly types?: { params: P };
}
/** A request the server sends to the client (the extension host answers it). */
export interface ClientRequestEntry<P, R> {
  readonly kind: 'clientRequest';
  readonly method: string;
  readonly summary: string;
  readonly types?: { params: P; result: R };
}

function request<Schema extends z.ZodType, R>() {
  return <const E extends Exposure = never>(method: string, summary: string, expose: readonly E[] = [], http?: HttpRoute): RequestEntry<z.input<Schema>, R, E> =>
    ({ kind: 'request', method, summary, expose, ...(http ? { http } : {}) });
}
const notification = <P>(method: string, summary: string): NotificationEntry<P> => ({ kind: 'notification', method, summary });
const clientRequest = <P, R>(method: string, summary: string): ClientRequestEntry<P, R> => ({ kind: 'clientRequest', method, summary });

const GET = (path: string, extra: Partial<HttpRoute> = {}): HttpRoute => ({ verb: 'GET', path, ...extra });
const POST = (path: string, extra: Partial<HttpRoute> = {}): HttpRoute => ({ verb: 'POST', path, ...extra });
const PATCH = (path: string, extra: Partial<HttpRoute> = {}): HttpRoute => ({ verb: 'PATCH', path, ...extra });
const DELETE = (path: string, extra: Partial<HttpRoute> = {}): HttpRoute => ({ verb: 'DELETE', path, ...extra });

// ---- chats ----
export const CreateChat = request<typeof S.CreateChatParams, S.CreateChatResult>()('localAgents/chats/create',
  'Creates a chat from its first message; the turn starts at once.', ['webview', 'http', 'cli'], POST('/chats', { status: 201 }));
export const ListChats = request<typeof S.ListChatsParams, S.ChatsPage>()('localAgents/chats/list',
  'Root chats (or the children of parent_chat_id): pinned first, then newest; label filters AND-ed; q: full-text words, archived: and label: terms.', ['webview', 'http', 'cli'], GET('/chats'));
export const SearchChats = request<typeof S.SearchChatsParams, S.SearchResults>()('localAgents/chats/search',
  'Full-text search over titles, labels, messages, tool arguments and output: the best chats, each with its matching message and a snippet.',
  ['webview', 'http', 'cli'], GET('/chats/search'));
export const GetChat = request<typeof S.ChatIdParams, Chat>()('localAgents/chats/get',
  'One chat, with its linked files.', ['webview', 'http', 'cli'], GET('/chats/{chat_id}'));
export const UpdateChat = request<typeof S.UpdateChatParams, Chat>()('localAgents/chats/update',
  'Title, archive, pin order, labels (absent: kept, {}: cleared), mode, permission mode.', ['webview', 'http', 'cli'], PATCH('/chats/{chat_id}', { status: 204 }));
export const GetMessages = request<typeof S.GetMessagesParams, S.MessagesPage>()('localAgents/chats/messages',
  'A page of messages, newest last; the first page carries the queued messages.', ['webview', 'http', 'cli'], GET('/chats/{chat_id}/messages'));
export const SendMessage = request<typeof S.SendMessageParams, S.SendMessageResult>()('localAgents/chats/send',
  'Sends a message; while a turn runs it is queued or interrupts (busy_behavior).', ['webview', 'http', 'cli'], POST('/chats/{chat_id}/messages'));
export const EditMessage = request<typeof S.EditMessageParams, S.EditMessageResult>()('localAgents/chats/editMessage',
  'Replaces a user message and drops everything after it; the turn runs again.', ['webview', 'http', 'cli'], PATCH('/chats/{chat_id}/messages/{message_id}'));
export const InterruptChat = request<typeof S.ChatIdParams, Chat>()('localAgents/chats/interrupt',
  'Stops the running turn; calls waiting for a client get "Tool execution interrupted by user".', ['webview', 'http', 'cli'], POST('/chats/{chat_id}/interrupt'));
export const MarkChatRead = request<typeof S.ChatIdParams, Chat>()('localAgents/chats/markRead',
  'Advances the read cursor to the newest message.', ['webview', 'http'], POST('/chats/{chat_id}/read'));
export const RegenerateTitle = request<typeof S.ChatIdParams, Chat>()('localAgents/chats/regenerateTitle',
  'Asks the model for a new title.', ['webview', 'http', 'cli'], POST('/chats/{chat_id}/title/regenerate'));
export const DeleteQueuedMessage = request<typeof S.QueuedMessageParams, { queued_messages: QueuedMessage[] }>()('localAgents/chats/queue/delete',
  'Removes a queued message.', ['webview', 'http', 'cli'], DELETE('/chats/{chat_id}/queue/{queued_message_id}', { status: 204 }));
export const PromoteQueuedMessage = request<typeof S.QueuedMessageParams, S.SendMessageResult>()('localAgents/chats/queue/promote',
  'Sends a queued message now; while a turn runs it moves to the front and the run is interrupted.', ['webview', 'http', 'cli'], POST('/chats/{chat_id}/queue/{queued_message_id}/promote'));
export const ApprovePlan = request<typeof S.ApprovePlanParams, S.SendMessageResult>()('localAgents/chats/plan/approve',
  'Approves the proposed plan: the chat leaves plan mode and implements it.', ['webview', 'http', 'cli'], POST('/chats/{chat_id}/plan/approve'));
export const CompactChat = request<typeof S.CompactChatParams, S.CompactChatResult>()('localAgents/chats/compact',
  'Summarises the chat\'s context now (focus: what the summary must keep); older messages stay but are no longer sent.', ['webview', 'http', 'cli'], POST('/chats/{chat_id}/compact'));
export const ResetChatContext = request<typeof S.ChatIdParams, S.ResetChatContextResult>()('localAgents/chats/context/reset',
  'Starts the model\'s context fresh from the next message, without a model call (the messages stay).', ['webview', 'http', 'cli'], POST('/chats/{chat_id}/context/reset'));

// ---- git and pull requests ----
export const GetChatDiff = request<typeof S.ChatIdParams, S.ChatDiff>()('localAgents/chats/diff',
  'The root chat\'s branch, changed files with +/- counts against the merge base with its base branch, and its GitHub pull request.',
  ['webview', 'http', 'cli'], GET('/chats/{chat_id}/diff'));
export const RefreshChatDiff = request<typeof S.ChatIdParams, S.ChatDiff>()('localAgents/chats/diff/refresh',
  'Reads git again for the chat and looks its pull request up now (otherwise: after each turn, on git changes and on a timer).',
  ['webview', 'http', 'cli'], POST('/chats/{chat_id}/diff/refresh'));
export const SetGitHubToken = request<typeof S.SetGitHubTokenParams, null>()('localAgents/github/setToken',
  'The VS Code GitHub session\'s token for a host (asked for silently), held in memory for pull request lookups; null forgets it.');

// ---- checkpoints ----
export const ListFileChanges = request<typeof S.ChatIdParams, S.FileChange[]>()('localAgents/chats/fileChanges',
  'Every file change the agent made in the chat (write_file, edit_files, commands in a git workspace) and what restores did.', ['webview', 'http', 'cli'], GET('/chats/{chat_id}/file-changes'));
export const RestoreCheckpoint = request<typeof S.RestoreCheckpointParams, S.RestoreResult>()('localAgents/chats/checkpoints/restore',
  'Puts back the files the agent changed after a message; files the user changed since are skipped and reported. Undoable.', ['webview', 'http', 'cli'], POST('/chats/{chat_id}/checkpoints/restore'));
export const UndoFileChanges = request<typeof S.UndoFileChangesParams, S.RestoreResult>()('localAgents/chats/fileChanges/undo',
  'Undoes chosen changes (one file, one turn): each file gets its content from before them back, unless the user changed it since.', ['webview', 'http', 'cli'], POST('/chats/{chat_id}/file-changes/undo'));
export const KeepFileChanges = request<typeof S.KeepFileChangesParams, null>()('localAgents/chats/fileChanges/keep',
  'Marks changes as reviewed and kept (they stay undoable by a restore to an earlier message).', ['webview', 'http', 'cli'], POST('/chats/{chat_id}/file-changes/keep', { status: 204 }));
export const UndoRestore = request<typeof S.UndoRestoreParams, S.RestoreResult>()('localAgents/chats/checkpoints/undoRestore',
  'Undoes a restore or an undo: the files get the agent\'s content back, unless changed since.', ['webview', 'http', 'cli'], POST('/chats/{chat_id}/checkpoints/restores/{restore_id}/undo'));
export const GetFileChangeContent = request<typeof S.FileChangeContentParams, S.FileChangeContent>()('localAgents/chats/fileChanges/content',
  'The content of a file before or after one change (the diff editor\'s left side).');

// ---- approvals and client-executed (dynamic) tools ----
export const ListPendingActions = request<typeof S.ListPendingActionsParams, PendingAction[]>()('localAgents/chats/pendingActions',
  'The calls a chat (with include_subagents: its whole tree) waits on: approvals and dynamic tool calls.', ['webview', 'http', 'cli'], GET('/chats/{chat_id}/pending-actions'));
export const DecideToolCall = request<typeof S.DecideParams, S.DecideResult>()('localAgents/chats/decide',
  'Answers one approval; the first decision wins; when none is left open the chat resumes.', ['webview', 'http', 'cli'], POST('/chats/{chat_id}/decisions'));
export const SubmitToolResults = request<typeof S.SubmitToolResultsParams, null>()('localAgents/chats/toolResults',
  'Results of the client-executed (dynamic) tool calls the chat waits on; the first post wins; the chat resumes.', ['http', 'cli'], POST('/chats/{chat_id}/tool-results', { status: 204 }));
export const ListToolDecisions = request<typeof S.ListToolDecisionsParams, S.ToolDecisionRecord[]>()('localAgents/chats/toolDecisions',
  'The audit: every gate decision of the chat and whether the call ran.', ['webview', 'http', 'cli'], GET('/chats/{chat_id}/tool-decisions'));

// ---- uploaded files ----
export const UploadChatFile = request<typeof S.UploadChatFileParams, { id: string }>()('localAgents/files/upload',
  'Stores a file to send in a message as a `file` part with its `file_id`.', ['http', 'cli'], POST('/chats/files', { status: 201, body: 'raw' }));
export const GetChatFile = request<typeof S.FileIdParams, S.ChatFileData>()('localAgents/files/get',
  'An uploaded file (over HTTP: its bytes, with its media type).', ['http'], GET('/chats/files/{file_id}', { response: 'raw' }));

// ---- context files, plan, linked files ----
export const AddChatContext = request<typeof S.ContextAddParams, S.InjectedContext>()('localAgents/chats/context/add',
  'Adds the instruction files and skills of a folder (default: the chat\'s folder).', ['webview', 'cli']);
export const ClearChatContext = request<typeof S.ChatIdParams, { deleted_message_ids: number[] }>()('localAgents/chats/context/clear',
  'Drops the chat\'s context-file messages; the next turn re-reads the defaults.', ['webview', 'cli']);
export const GetChatContext = request<typeof S.ChatIdParams, S.InjectedContext | null>()('localAgents/chats/context/get',
  'The instruction files and skills in the chat.', ['webview']);
export const ListChatFiles = request<typeof S.ChatIdParams, ChatFile[]>()('localAgents/chats/files',
  'The files linked to the chat: attachments and the plan file.', ['webview']);
export const GetChatPlan = request<typeof S.ChatIdParams, S.ChatPlan>()('localAgents/chats/plan',
  'The chat\'s plan file.', ['webview', 'http', 'cli'], GET('/chats/{chat_id}/plan'));

// ---- settings ----
export const UpdateSettings = request<typeof S.UpdateSettingsParams, S.ServerSettingsInfo>()('localAgents/settings/update',
  'The client\'s settings (VS Code hands them over; headless: <data dir>/settings.json).');
export const GetSettings = request<typeof S.EmptyParams, S.ServerSettingsInfo>()('localAgents/settings/get',
  'The settings in force, with every permission rule and where it came from.', ['webview', 'http', 'cli'], GET('/chats/config/settings'));

// ---- providers and models ----
export const ListProviders = request<typeof S.EmptyParams, Provider[]>()('localAgents/providers/list',
  'Chat providers (has_api_key, never the key).', ['webview', 'http', 'cli'], GET('/chats/providers'));
export const CreateProvider = request<typeof S.CreateProviderParams, Provider>()('localAgents/providers/create', 'Adds a provider.');
export const UpdateProvider = request<typeof S.UpdateProviderParams, Provider>()('localAgents/providers/update', 'Changes a provider.');
export const DeleteProvider = request<typeof S.ProviderIdParams, null>()('localAgents/providers/delete', 'Removes a provider and its model configs (soft deletes, in one transaction: old chats still resolve them); a default among them passes to the first live config by provider, model, updated_at desc, id desc.');
export const SetProviderKey = request<typeof S.SetProviderKeyParams, Provider>()('localAgents/providers/setApiKey',
  'Hands the server a key for this process\'s lifetime; never written to SQLite, a log or a reply.');
export const FetchProviderModels = request<typeof S.FetchProviderModelsParams, { models: string[]; details: S.ProviderModel[] }>()('localAgents/providers/models',
  'The models a provider offers (GET /models); a key may be passed for a provider not yet saved.');
export const TestProvider = request<typeof S.TestProviderParams, S.TestProviderResult>()('localAgents/providers/test',
  'One tiny request to a provider: does it answer, and if not, why.');
export const SetupProvider = request<typeof S.SetupProviderParams, S.SetupProviderResult>()('localAgents/providers/setup',
  'Saves the provider form: the provider at this URL (made when missing) and its model as the default.');
export const ListModelConfigs = request<typeof S.EmptyParams, ModelConfig[]>()('localAgents/modelConfigs/list',
  'Model configs (default first).', ['webview', 'http', 'cli'], GET('/chats/model-configs'));
export const CreateModelConfig = request<typeof S.CreateModelConfigParams, ModelConfig>()('localAgents/modelConfigs/create', 'Adds a model config.', ['webview', 'cli']);
export const UpdateModelConfig = request<typeof S.UpdateModelConfigParams, ModelConfig>()('localAgents/modelConfigs/update', 'Changes a model config.', ['webview', 'cli']);
export const DeleteModelConfig = request<typeof S.ModelConfigIdParams, null>()('localAgents/modelConfigs/delete', 'Removes a model config.', ['webview', 'cli']);

// ---- usage, cost, the request log, spend limits ----
export const CostSummary = request<typeof U.CostSummaryParams, U.CostSummaryResult>()('localAgents/cost/summary',
  'Spend and tokens from the request log per local day, model or root chat (subagents included) over inclusive local dates (default: the last 30 days).',
  ['webview', 'http', 'cli'], GET('/chats/cost/summary'));
export const ListModelRequests = request<typeof U.ListModelRequestsParams, U.ModelRequestsPage>()('localAgents/requests/list',
  'The request log, newest first: every request sent to a provider (chat steps, titles, compaction, MCP sampling, subagents), filtered; before_id pages.',
  ['webview', 'http', 'cli'], GET('/chats/model-requests'));
export const GetSpendStatus = request<typeof S.EmptyParams, U.SpendStatus>()('localAgents/usage/spend',
  'Today\'s and this month\'s spend, the spend limits in force and the first one reached.', ['webview', 'http', 'cli'], GET('/chats/usage/spend'));

// ---- user secrets ----
export const ListUserSecrets = request<typeof S.EmptyParams, U.UserSecret[]>()('localAgents/secrets/list',
  'User secrets for commands: names, how a command gets them, where they are enabled (has_value, never a value).', ['webview', 'http', 'cli'], GET('/chats/user-secrets'));
export const CreateUserSecret = request<typeof U.CreateUserSecretParams, U.UserSecret>()('localAgents/secrets/create',
  'Adds a secret whose value the host has just written to SecretStorage; the metadata and the audit row are written together. JSON-RPC only.');
export const UpdateUserSecret = request<typeof U.UpdateUserSecretParams, U.UserSecret>()('localAgents/secrets/update',
  'Changes a secret (a new value comes from SecretStorage the same way); audited with the fields that changed. JSON-RPC only.');
export const DeleteUserSecret = request<typeof U.UserSecretIdParams, null>()('localAgents/secrets/delete',
  'Removes a secret; audited (a missing one logs nothing).');
export const SetUserSecretValues = request<typeof U.SetUserSecretValuesParams, null>()('localAgents/secrets/setValues',
  'Hands the server the values the host holds, for this process\'s memory only. JSON-RPC only.');
export const SetChatSecrets = request<typeof U.SetChatSecretsParams, U.UserSecret[]>()('localAgents/secrets/setForChat',
  'The secrets enabled for one chat besides its workspace\'s.', ['webview', 'http', 'cli'], POST('/chats/{chat_id}/user-secrets'));
export const ListSecretAudit = request<typeof U.ListSecretAuditParams, U.SecretAuditEntry[]>()('localAgents/secrets/audit',
  'The secrets audit log, newest first: who, when, which fields (a value only as "value").', ['webview', 'http', 'cli'], GET('/chats/user-secrets/audit'));

// ---- server ----
export const GetServerInfo = request<typeof S.EmptyParams, S.ServerInfo>()('localAgents/server/info',
  'Version, process, database and workspace of this server.', ['webview', 'http', 'cli'], GET('/server'));
export const GetApiAccess = request<typeof S.ApiAccessParams, S.ApiAccess>()('localAgents/api/access',
  'The HTTP API\'s URL and bearer token (rotate: a new token; the old one stops working). JSON-RPC only.');
export const SetWorkspace = request<typeof S.SetWorkspaceParams, S.ServerInfo>()('localAgents/server/setWorkspace',
  'Workspace folders or trust changed in the editor.');

// ---- MCP ----
export const ListMcpServers = request<typeof Mcp.ListMcpServersParams, Mcp.McpServerConfig[]>()('localAgents/mcp/list',
  'MCP server configs (has_* flags, never a secret).', ['webview', 'http', 'cli'], GET('/chats/mcp-servers'));
export const CreateMcpServer = request<typeof Mcp.CreateMcpServerParams, Mcp.McpServerConfig>()('localAgents/mcp/create', 'Adds an MCP server.');
export const UpdateMcpServer = request<typeof Mcp.UpdateMcpServerParams, Mcp.McpServerConfig>()('localAgents/mcp/update', 'Changes an MCP server.');
export const DeleteMcpServer = request<typeof Mcp.McpServerIdParams, null>()('localAgents/mcp/delete', 'Removes an MCP server and its secrets.');
export const SetMcpSecret = request<typeof Mcp.SetMcpSecretParams, Mcp.McpServerConfig>()('localAgents/mcp/setSecret', 'Hands the server one secret of an MCP server.');
export const ClearMcpSecret = request<typeof Mcp.ClearMcpSecretParams, Mcp.McpServerConfig>()('localAgents/mcp/clearSecret', 'Forgets one secret of an MCP server.');
export const TestMcpServer = request<typeof Mcp.McpServerIdParams, Mcp.McpTestResult>()('localAgents/mcp/testConnection', 'Connects, lists the tools, disconnects.');
export const ConnectMcpOAuth = request<typeof Mcp.ConnectMcpOAuthParams, Mcp.McpOAuthConnectResult>()('localAgents/mcp/oauth/connect', 'Starts the OAuth flow of a server.');
export const CompleteMcpOAuth = request<typeof Mcp.CompleteMcpOAuthParams, Mcp.McpServerConfig>()('localAgents/mcp/oauth/complete', 'Ends the OAuth flow with the code.');
export const DisconnectMcpOAuth = request<typeof Mcp.McpServerIdParams, Mcp.McpServerConfig>()('localAgents/mcp/oauth/disconnect', 'Forgets the OAuth tokens.');
export const ImportWorkspaceMcp = request<typeof Mcp.ImportWorkspaceMcpParams, Mcp.McpImportResult>()('localAgents/mcp/importWorkspace', 'Imports the servers of a VS Code mcp.json.');
export const ListLegacyMcpEnv = request<typeof S.EmptyParams, Mcp.LegacyMcpEnv[]>()('localAgents/mcp/legacyEnv/list', 'stdio env values still in SQLite from before migration 7.');
export const ClearLegacyMcpEnv = request<typeof Mcp.ClearLegacyMcpEnvParams, { cleared: number }>()('localAgents/mcp/legacyEnv/clear', 'Clears them once the extension holds them.');

/** Every request, by name: the adapters and handlers.ts iterate this. */
export const REQUESTS = {
  CreateChat, ListChats, SearchChats, GetChat, UpdateChat, GetMessages, SendMessage, EditMessage, InterruptChat, MarkChatRead, RegenerateTitle,
  DeleteQueuedMessage, PromoteQueuedMessage, CostSummary, ApprovePlan, CompactChat, ResetChatContext,
  GetChatDiff, RefreshChatDiff, SetGitHubToken,
  ListFileChanges, RestoreCheckpoint, UndoFileChanges, KeepFileChanges, UndoRestore, GetFileChangeContent, ListPendingActions, DecideToolCall, SubmitToolResults, ListToolDecisions, UploadChatFile, GetChatFile,
  AddChatContext, ClearChatContext, GetChatContext, ListChatFiles, GetChatPlan, UpdateSettings, GetSettings,
  ListProviders, CreateProvider, UpdateProvider, DeleteProvider, SetProviderKey, FetchProviderModels, TestProvider, SetupProvider,
  ListModelConfigs, CreateModelConfig, UpdateModelConfig, DeleteModelConfig,
  ListModelRequests, GetSpendStatus, ListUserSecrets, CreateUserSecret, UpdateUserSecret, DeleteUserSecret, SetUserSecretValues, SetChatSecrets, ListSecretAudit,
  GetServerInfo, GetApiAccess, SetWorkspace,
  ListMcpServers, CreateMcpServer, UpdateMcpServer, DeleteMcpServer, SetMcpSecret, ClearMcpSecret, TestMcpServer,
  ConnectMcpOAuth, CompleteMcpOAuth, DisconnectMcpOAuth, ImportWorkspaceMcp, ListLegacyMcpEnv, ClearLegacyMcpEnv,
} as const;
export type RequestName = keyof typeof REQUESTS;

/** The requests the webview may relay, by method name; the host refuses everything else. */
export const WEBVIEW_METHODS: ReadonlySet<string> = new Set(Object.values(REQUESTS).filter((r) => r.expose.includes('webview')).map((r) => r.method));

// ---- notifications (server → client) ----
export interface ChatWatchEvent { kind: ChatWatchKind; chat: Chat }
export interface ChatStreamNotificationParams { chat_id: string; events: ChatStreamEvent[] }
export interface PermissionRulesAddedParams { rules: string[] }
export const ChatWatchNotification = notification<ChatWatchEvent>('localAgents/chatWatch',
  'A chat was created, changed, archived (`deleted`) or unarchived (`created`), here or by another process.');
export const ChatStreamNotification = notification<ChatStreamNotificationParams>('localAgents/chatStream',
  'Live events of a chat, batched: parts, persisted messages, status, errors, retries, queue updates, actions required.');
export const PermissionRulesAddedNotification = notification<PermissionRulesAddedParams>('localAgents/permissions/rulesAdded',
  '"Always allow" added rules: the client keeps them in the user\'s settings.');
export const McpSecretChangedNotification = notification<Mcp.McpSecretChangedParams>('localAgents/mcp/secretChanged',
  'A secret changed on the server: persist it in SecretStorage, or delete it when `value` is null.');
export const UsageChangedNotification = notification<{ spend: U.SpendStatus }>('localAgents/usage/changed',
  'A model request was recorded: today\'s spend and the limits (the status bar), at most once a second.');
export const McpServersChangedNotification = notification<Mcp.McpServersChangedParams>('localAgents/mcp/serversChanged',
  'An MCP config changed: refresh the management view.');

// ---- requests the server sends to the client ----
export const McpElicitRequest = clientRequest<Mcp.McpElicitParams, Mcp.McpElicitResult>('localAgents/mcp/elicit',
  'An MCP server asks the user for input: show a form.');
export const McpGetOidcTokenRequest = clientRequest<Mcp.McpOidcTokenParams, { access_token: string | null }>('localAgents/mcp/getOidcToken',
  'An access token from vscode.authentication.getSession (silently), or null.');

// ---- constants clients need without the schemas ----
/** The kinds of MCP secret the extension keeps in SecretStorage (McpSecretKindSchema in mcp.ts). */
export const MCP_SECRET_KINDS = ['api_key', 'custom_headers', 'oauth2_client_secret', 'oauth2_tokens', 'oauth2_client_information', 'stdio_env'] as const;
