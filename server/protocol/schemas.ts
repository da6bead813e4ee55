// The params schema of every request in the table, by name (server side: this module loads zod). The
// `satisfies` clause makes each schema's input the params type methods.ts declares for that name.
import type { z } from 'zod';
import * as Mcp from './mcp';
import type { ParamsOf, REQUESTS, RequestName } from './methods';
import * as S from './requests';

export const PARAMS = {
  CreateChat: S.CreateChatParams, ListChats: S.ListChatsParams, GetChat: S.ChatIdParams, UpdateChat: S.UpdateChatParams,
  GetMessages: S.GetMessagesParams, SendMessage: S.SendMessageParams, EditMessage: S.EditMessageParams, InterruptChat: S.ChatIdParams,
  MarkChatRead: S.ChatIdParams, RegenerateTitle: S.ChatIdParams, DeleteQueuedMessage: S.QueuedMessageParams,
  PromoteQueuedMessage: S.QueuedMessageParams, CostSummary: S.CostSummaryParams, ApprovePlan: S.ApprovePlanParams,
  ListPendingActions: S.ListPendingActionsParams, DecideToolCall: S.DecideParams, ListToolDecisions: S.ListToolDecisionsParams,
  AddChatContext: S.ContextAddParams, ClearChatContext: S.ChatIdParams, GetChatContext: S.ChatIdParams, ListChatFiles: S.ChatIdParams,
  GetChatPlan: S.ChatIdParams, UpdateSettings: S.UpdateSettingsParams, GetSettings: S.EmptyParams,
  ListProviders: S.EmptyParams, CreateProvider: S.CreateProviderParams, UpdateProvider: S.UpdateProviderParams,
  DeleteProvider: S.ProviderIdParams, SetProviderKey: S.SetProviderKeyParams, FetchProviderModels: S.FetchProviderModelsParams,
  TestProvider: S.TestProviderParams, SetupProvider: S.SetupProviderParams, ListModelConfigs: S.EmptyParams,
  CreateModelConfig: S.CreateModelConfigParams, UpdateModelConfig: S.UpdateModelConfigParams, DeleteModelConfig: S.ModelConfigIdParams,
  GetServerInfo: S.EmptyParams, SetWorkspace: S.SetWorkspaceParams,
  ListMcpServers: Mcp.ListMcpServersParams, CreateMcpServer: Mcp.CreateMcpServerParams, UpdateMcpServer: Mcp.UpdateMcpServerParams,
  DeleteMcpServer: Mcp.McpServerIdParams, SetMcpSecret: Mcp.SetMcpSecretParams, ClearMcpSecret: Mcp.ClearMcpSecretParams,
  TestMcpServer: Mcp.McpServerIdParams, ConnectMcpOAuth: Mcp.ConnectMcpOAuthParams, CompleteMcpOAuth: Mcp.CompleteMcpOAuthParams,
  DisconnectMcpOAuth: Mcp.McpServerIdParams, ImportWorkspaceMcp: Mcp.ImportWorkspaceMcpParams, ListLegacyMcpEnv: S.EmptyParams,
  ClearLegacyMcpEnv: Mcp.ClearLegacyMcpEnvParams,
} satisfies { [K in RequestName]: z.ZodType<unknown, ParamsOf<(typeof REQUESTS)[K]>> };

export type ParsedParams<K extends RequestName> = z.output<(typeof PARAMS)[K]>;
