// The params schema of every request in the table, by name (server side: this module loads zod). The
// `satisfies` clause makes each schema's input the params type methods.ts declares for that name.
import { z as zod, type z } from 'zod';
import * as Mcp from './mcp';
import * as U from './usage';
import type { ParamsOf, REQUESTS, RequestName, ResultOf } from './methods';
import * as S from './requests';
import * as T from './types';

export const PARAMS = {
  CreateChat: S.CreateChatParams, ListChats: S.ListChatsParams, SearchChats: S.SearchChatsParams, GetChat: S.ChatIdParams, UpdateChat: S.UpdateChatParams,
  GetMessages: S.GetMessagesParams, SendMessage: S.SendMessageParams, EditMessage: S.EditMessageParams, InterruptChat: S.ChatIdParams,
  MarkChatRead: S.ChatIdParams, RegenerateTitle: S.ChatIdParams, DeleteQueuedMessage: S.QueuedMessageParams,
  PromoteQueuedMessage: S.QueuedMessageParams, CostSummary: U.CostSummaryParams, ApprovePlan: S.ApprovePlanParams,
  CompactChat: S.CompactChatParams, ResetChatContext: S.ChatIdParams,
  GetChatDiff: S.ChatIdParams, RefreshChatDiff: S.ChatIdParams, SetGitHubToken: S.SetGitHubTokenParams,
  ListFileChanges: S.ChatIdParams, RestoreCheckpoint: S.RestoreCheckpointParams, UndoFileChanges: S.UndoFileChangesParams,
  KeepFileChanges: S.KeepFileChangesParams, UndoRestore: S.UndoRestoreParams, GetFileChangeContent: S.FileChangeContentParams,
  ListPendingActions: S.ListPendingActionsParams, DecideToolCall: S.DecideParams, SubmitToolResults: S.SubmitToolResultsParams, ListToolDecisions: S.ListToolDecisionsParams,
  UploadChatFile: S.UploadChatFileParams, GetChatFile: S.FileIdParams,
  AddChatContext: S.ContextAddParams, ClearChatContext: S.ChatIdParams, GetChatContext: S.ChatIdParams, ListChatFiles: S.ChatIdParams,
  GetChatPlan: S.ChatIdParams, UpdateSettings: S.UpdateSettingsParams, GetSettings: S.EmptyParams,
  ListProviders: S.EmptyParams, CreateProvider: S.CreateProviderParams, UpdateProvider: S.UpdateProviderParams,
  DeleteProvider: S.ProviderIdParams, SetProviderKey: S.SetProviderKeyParams, FetchProviderModels: S.FetchProviderModelsParams,
  TestProvider: S.TestProviderParams, SetupProvider: S.SetupProviderParams, ListModelConfigs: S.EmptyParams,
  CreateModelConfig: S.CreateModelConfigParams, UpdateModelConfig: S.UpdateModelConfigParams, DeleteModelConfig: S.ModelConfigIdParams,
  ListModelRequests: U.ListModelRequestsParams, GetSpendStatus: S.EmptyParams, ListUserSecrets: S.EmptyParams, CreateUserSecret: U.CreateUserSecretParams,
  UpdateUserSecret: U.UpdateUserSecretParams, DeleteUserSecret: U.UserSecretIdParams, SetUserSecretValues: U.SetUserSecretValuesParams,
  SetChatSecrets: U.SetChatSecretsParams, ListSecretAudit: U.ListSecretAuditParams,
  GetServerInfo: S.EmptyParams, GetApiAccess: S.ApiAccessParams, SetWorkspace: S.SetWorkspaceParams,
  ListMcpServers: Mcp.ListMcpServersParams, CreateMcpServer: Mcp.CreateMcpServerParams, UpdateMcpServer: Mcp.UpdateMcpServerParams,
  DeleteMcpServer: Mcp.McpServerIdParams, SetMcpSecret: Mcp.SetMcpSecretParams, ClearMcpSecret: Mcp.ClearMcpSecretParams,
  TestMcpServer: Mcp.McpServerIdParams, ConnectMcpOAuth: Mcp.ConnectMcpOAuthParams, CompleteMcpOAuth: Mcp.CompleteMcpOAuthParams,
  DisconnectMcpOAuth: Mcp.McpServerIdParams, ImportWorkspaceMcp: Mcp.ImportWorkspaceMcpParams, ListLegacyMcpEnv: S.EmptyParams,
  ClearLegacyMcpEnv: Mcp.ClearLegacyMcpEnvParams,
} satisfies { [K in RequestName]: z.ZodType<unknown, ParamsOf<(typeof REQUESTS)[K]>> };

export type ParsedParams<K extends RequestName> = z.output<(typeof PARAMS)[K]>;

/**
 * The result schema of every request (for the OpenAPI document). `satisfies` checks each schema's output
 * against the result type the table declares.
 */
export const RESULTS = {
  CreateChat: T.ChatSchema, ListChats: S.ChatsPageSchema, SearchChats: S.SearchResultsSchema, GetChat: T.ChatSchema, UpdateChat: T.ChatSchema, GetMessages: S.MessagesPageSchema,
  SendMessage: S.SendMessageResultSchema, EditMessage: S.EditMessageResultSchema, InterruptChat: T.ChatSchema, MarkChatRead: T.ChatSchema,
  RegenerateTitle: T.ChatSchema, DeleteQueuedMessage: zod.object({ queued_messages: zod.array(T.QueuedMessageSchema) }),
  PromoteQueuedMessage: S.SendMessageResultSchema, CostSummary: U.CostSummaryResultSchema,
  ApprovePlan: S.SendMessageResultSchema, CompactChat: S.CompactChatResultSchema, ResetChatContext: S.ResetChatContextResultSchema,
  GetChatDiff: S.ChatDiffSchema, RefreshChatDiff: S.ChatDiffSchema, SetGitHubToken: zod.null(),
  ListFileChanges: zod.array(S.FileChangeSchema), RestoreCheckpoint: S.RestoreResultSchema, UndoFileChanges: S.RestoreResultSchema,
  KeepFileChanges: zod.null(), UndoRestore: S.RestoreResultSchema, GetFileChangeContent: S.FileChangeContentSchema, ListPendingActions: zod.array(T.PendingActionSchema), DecideToolCall: S.DecideResultSchema,
  SubmitToolResults: zod.null(), ListToolDecisions: zod.array(S.ToolDecisionRecordSchema), UploadChatFile: zod.object({ id: zod.string() }),
  GetChatPlan: S.ChatPlanSchema, GetSettings: S.ServerSettingsInfoSchema, ListProviders: zod.array(T.ProviderSchema),
  ListModelConfigs: zod.array(T.ModelConfigSchema), ListModelRequests: U.ModelRequestsPageSchema, GetSpendStatus: U.SpendStatusSchema,
  ListUserSecrets: zod.array(U.UserSecretSchema), SetChatSecrets: zod.array(U.UserSecretSchema), ListSecretAudit: zod.array(U.SecretAuditEntrySchema), GetServerInfo: S.ServerInfoSchema, ListMcpServers: zod.array(Mcp.McpServerConfigSchema),
} satisfies { [K in RequestName]?: z.ZodType<ResultOf<(typeof REQUESTS)[K]>> };
