// The method name of every request and notification of the protocol, declared once, without zod or
// vscode-jsonrpc: requests.ts and mcp.ts build their definitions (params schemas, message types) on these,
// and the extension host imports these alone, so loading it does not build every schema (activation time).

// ---- chats, models, settings (requests.ts) ----
export const CreateChat = { method: 'localAgents/chats/create' } as const;
export const ListChats = { method: 'localAgents/chats/list' } as const;
export const GetChat = { method: 'localAgents/chats/get' } as const;
export const UpdateChat = { method: 'localAgents/chats/update' } as const;
export const GetMessages = { method: 'localAgents/chats/messages' } as const;
export const SendMessage = { method: 'localAgents/chats/send' } as const;
export const EditMessage = { method: 'localAgents/chats/editMessage' } as const;
export const InterruptChat = { method: 'localAgents/chats/interrupt' } as const;
export const MarkChatRead = { method: 'localAgents/chats/markRead' } as const;
export const RegenerateTitle = { method: 'localAgents/chats/regenerateTitle' } as const;
export const DeleteQueuedMessage = { method: 'localAgents/chats/queue/delete' } as const;
export const PromoteQueuedMessage = { method: 'localAgents/chats/queue/promote' } as const;
export const CostSummary = { method: 'localAgents/cost/summary' } as const;
export const AddChatContext = { method: 'localAgents/chats/context/add' } as const;
export const ClearChatContext = { method: 'localAgents/chats/context/clear' } as const;
export const GetChatContext = { method: 'localAgents/chats/context/get' } as const;
export const ListChatFiles = { method: 'localAgents/chats/files' } as const;
export const GetChatPlan = { method: 'localAgents/chats/plan' } as const;
export const ListPendingActions = { method: 'localAgents/chats/pendingActions' } as const;
export const DecideToolCall = { method: 'localAgents/chats/decide' } as const;
export const ListToolDecisions = { method: 'localAgents/chats/toolDecisions' } as const;
export const PermissionRulesAddedNotification = { method: 'localAgents/permissions/rulesAdded' } as const;
export const UpdateSettings = { method: 'localAgents/settings/update' } as const;
export const GetSettings = { method: 'localAgents/settings/get' } as const;
export const ListProviders = { method: 'localAgents/providers/list' } as const;
export const CreateProvider = { method: 'localAgents/providers/create' } as const;
export const UpdateProvider = { method: 'localAgents/providers/update' } as const;
export const DeleteProvider = { method: 'localAgents/providers/delete' } as const;
export const SetProviderKey = { method: 'localAgents/providers/setApiKey' } as const;
export const FetchProviderModels = { method: 'localAgents/providers/models' } as const;
export const TestProvider = { method: 'localAgents/providers/test' } as const;
export const SetupProvider = { method: 'localAgents/providers/setup' } as const;
export const ListModelConfigs = { method: 'localAgents/modelConfigs/list' } as const;
export const CreateModelConfig = { method: 'localAgents/modelConfigs/create' } as const;
export const UpdateModelConfig = { method: 'localAgents/modelConfigs/update' } as const;
export const DeleteModelConfig = { method: 'localAgents/modelConfigs/delete' } as const;
export const GetServerInfo = { method: 'localAgents/server/info' } as const;
export const SetWorkspace = { method: 'localAgents/server/setWorkspace' } as const;
export const ChatWatchNotification = { method: 'localAgents/chatWatch' } as const;
export const ChatStreamNotification = { method: 'localAgents/chatStream' } as const;
// ---- MCP (mcp.ts) ----
export const ListMcpServers = { method: 'localAgents/mcp/list' } as const;
export const CreateMcpServer = { method: 'localAgents/mcp/create' } as const;
export const UpdateMcpServer = { method: 'localAgents/mcp/update' } as const;
export const DeleteMcpServer = { method: 'localAgents/mcp/delete' } as const;
export const SetMcpSecret = { method: 'localAgents/mcp/setSecret' } as const;
export const ClearMcpSecret = { method: 'localAgents/mcp/clearSecret' } as const;
export const TestMcpServer = { method: 'localAgents/mcp/testConnection' } as const;
export const ConnectMcpOAuth = { method: 'localAgents/mcp/oauth/connect' } as const;
export const CompleteMcpOAuth = { method: 'localAgents/mcp/oauth/complete' } as const;
export const DisconnectMcpOAuth = { method: 'localAgents/mcp/oauth/disconnect' } as const;
export const ImportWorkspaceMcp = { method: 'localAgents/mcp/importWorkspace' } as const;
export const ListLegacyMcpEnv = { method: 'localAgents/mcp/legacyEnv/list' } as const;
export const ClearLegacyMcpEnv = { method: 'localAgents/mcp/legacyEnv/clear' } as const;
export const McpElicitRequest = { method: 'localAgents/mcp/elicit' } as const;
export const McpGetOidcTokenRequest = { method: 'localAgents/mcp/getOidcToken' } as const;
export const McpSecretChangedNotification = { method: 'localAgents/mcp/secretChanged' } as const;
export const McpServersChangedNotification = { method: 'localAgents/mcp/serversChanged' } as const;

// ---- constants clients need without the schemas ----
/** The kinds of MCP secret the extension keeps in SecretStorage (McpSecretKindSchema in mcp.ts). */
export const MCP_SECRET_KINDS = ['api_key', 'custom_headers', 'oauth2_client_secret', 'oauth2_tokens', 'oauth2_client_information', 'stdio_env'] as const;
