// Binds every request of the table (protocol/methods.ts) to its capability. The mapped type makes a
// missing handler, or one returning another type than the table says, a compile error. Params are
// validated by the request's schema first, so a bad request is a 400 naming the field before any rule
// runs. Adapters (JSON-RPC, HTTP, the CLI, the webview relay through JSON-RPC) call `dispatch`.
import type { App } from './app';
import { regenerateTitle } from './agent/titleGeneration';
import { compactChat, resetChatContext } from './compaction/compact';
import { fileChangeContent, keepFileChanges, listChatFileChanges, restoreCheckpoint, undoFileChanges, undoRestore } from './checkpoints/restore';
import { addContext, clearContext, readMeta } from './modes/contextInjection';
import { approvePlan, getChatPlan, listChatFiles } from './modes/planView';
import { createChat, editMessage, interruptChat, markRead, requireChat, sendMessage, updateChat } from './chats/lifecycle';
import { getMessagesPage, listChatsPage, searchChatsPage } from './chats/listing';
import { deleteQueuedMessage, promoteQueuedMessage } from './chats/queue';
import { costSummary } from './usage/summary';
import { chatDiff, refreshChatDiff, setGitHubToken } from './git/chatDiff';
import { listRequests } from './usage/requestLog';
import { spendStatus } from './usage/spendLimit';
import * as Secrets from './secrets/userSecrets';
import { chatWithFiles, getChatFile, uploadChatFile } from './chats/files';
import { submitToolResults } from './agent/dynamicTools';
import { fromZodError, notFound } from './errors';
import * as Mcp from './mcp/serverConfigs';
import * as Models from './models/capability';
import { REQUESTS, type ParamsOf, type RequestName, type ResultOf } from './protocol/methods';
import { PARAMS, type ParsedParams } from './protocol/schemas';
import { decidePendingAction, listChatToolDecisions, listPendingActions } from './permissions/approvals';
import { settingsInfo, updateSettings } from './settings/serverSettings';
import { setupProvider, testProvider } from './models/providerSetup';
import { serverInfo, setWorkspace } from './serverInfo';
import { apiAccess } from './api/access';

type Handler<K extends RequestName> = (app: App, params: ParsedParams<K>) => ResultOf<(typeof REQUESTS)[K]> | Promise<ResultOf<(typeof REQUESTS)[K]>>;

export const HANDLERS: { [K in RequestName]: Handler<K> } = {
  CreateChat: ({ ctx }, p) => createChat(ctx, p),
  ListChats: ({ ctx }, p) => listChatsPage(ctx, p),
  SearchChats: ({ ctx }, p) => searchChatsPage(ctx, p),
  GetChat: ({ ctx }, p) => chatWithFiles(ctx, p.chat_id),
  UpdateChat: ({ ctx }, p) => updateChat(ctx, p),
  GetMessages: ({ ctx }, p) => getMessagesPage(ctx, p),
  SendMessage: ({ ctx }, p) => sendMessage(ctx, p),
  EditMessage: ({ ctx }, p) => editMessage(ctx, p),
  InterruptChat: ({ ctx }, p) => interruptChat(ctx, p.chat_id),
  MarkChatRead: ({ ctx }, p) => markRead(ctx, p.chat_id),
  RegenerateTitle: ({ ctx }, p) => regenerateTitle(ctx, p.chat_id),
  DeleteQueuedMessage: ({ ctx }, p) => deleteQueuedMessage(ctx, p),
  PromoteQueuedMessage: ({ ctx }, p) => promoteQueuedMessage(ctx, p),
  CostSummary: ({ ctx }, p) => costSummary(ctx, p),
  ApprovePlan: ({ ctx }, p) => approvePlan(ctx, p),
  CompactChat: ({ ctx }, p) => compactChat(ctx, p),
  ResetChatContext: ({ ctx }, p) => resetChatContext(ctx, p),
  GetChatDiff: ({ ctx }, p) => chatDiff(ctx, p.chat_id),
  RefreshChatDiff: ({ ctx }, p) => refreshChatDiff(ctx, p.chat_id),
  SetGitHubToken: ({ ctx }, p) => setGitHubToken(ctx, p),
  ListFileChanges: ({ ctx }, p) => listChatFileChanges(ctx, p.chat_id),
  RestoreCheckpoint: ({ ctx }, p) => restoreCheckpoint(ctx, p),
  UndoFileChanges: ({ ctx }, p) => undoFileChanges(ctx, p),
  KeepFileChanges: ({ ctx }, p) => keepFileChanges(ctx, p),
  UndoRestore: ({ ctx }, p) => undoRestore(ctx, p),
  GetFileChangeContent: ({ ctx }, p) => fileChangeContent(ctx, p),

  ListPendingActions: ({ ctx }, p) => listPendingActions(ctx, p.chat_id, p.include_subagents ?? false),
  DecideToolCall: ({ ctx }, p) => decidePendingAction(ctx, p),
  SubmitToolResults: ({ ctx }, p) => submitToolResults(ctx, p),
  UploadChatFile: ({ ctx }, p) => uploadChatFile(ctx, p),
  GetChatFile: ({ ctx }, p) => getChatFile(ctx, p),
  ListToolDecisions: ({ ctx }, p) => listChatToolDecisions(ctx, p.chat_id, p.limit),

  AddChatContext: ({ ctx }, p) => addContext(ctx, p.chat_id, p.dir),
  ClearChatContext: ({ ctx }, p) => clearContext(ctx, p.chat_id),
  GetChatContext: ({ ctx }, p) => readMeta(requireChat(ctx, p.chat_id)),
  ListChatFiles: ({ ctx }, p) => listChatFiles(ctx, p.chat_id),
  GetChatPlan: ({ ctx }, p) => getChatPlan(ctx, p.chat_id),
  GetSettings: ({ ctx }) => settingsInfo(ctx),
  UpdateSettings: ({ ctx }, p) => updateSettings(ctx, p),

  ListProviders: ({ ctx }) => Models.listProviders(ctx),
  CreateProvider: ({ ctx }, p) => Models.addProvider(ctx, p),
  UpdateProvider: ({ ctx }, p) => Models.changeProvider(ctx, p),
  DeleteProvider: ({ ctx }, p) => Models.removeProvider(ctx, p),
  SetProviderKey: ({ ctx }, p) => Models.setProviderKey(ctx, p),
  FetchProviderModels: ({ ctx }, p) => Models.fetchProviderModels(ctx, p),
  TestProvider: ({ ctx }, p) => testProvider(ctx, p),
  SetupProvider: ({ ctx }, p) => setupProvider(ctx, p),
  ListModelConfigs: ({ ctx }) => Models.listModelConfigs(ctx),
  CreateModelConfig: ({ ctx }, p) => Models.addModelConfig(ctx, p),
  UpdateModelConfig: ({ ctx }, p) => Models.changeModelConfig(ctx, p),
  DeleteModelConfig: ({ ctx }, p) => Models.removeModelConfig(ctx, p),

  ListModelRequests: ({ ctx }, p) => listRequests(ctx, p),
  GetSpendStatus: ({ ctx }) => spendStatus(ctx),
  ListUserSecrets: ({ ctx }) => Secrets.listUserSecrets(ctx),
  CreateUserSecret: ({ ctx }, p) => Secrets.createUserSecret(ctx, p),
  UpdateUserSecret: ({ ctx }, p) => Secrets.updateUserSecret(ctx, p),
  DeleteUserSecret: ({ ctx }, p) => Secrets.deleteUserSecret(ctx, p),
  SetUserSecretValues: ({ ctx }, p) => Secrets.setUserSecretValues(ctx, p),
  SetChatSecrets: ({ ctx }, p) => Secrets.setChatSecrets(ctx, p),
  ListSecretAudit: ({ ctx }, p) => Secrets.listSecretAudit(ctx, p),

  GetServerInfo: (app) => serverInfo(app),
  GetApiAccess: ({ ctx }, p) => apiAccess(ctx, p),
  SetWorkspace: (app, p) => setWorkspace(app, p),

  ListMcpServers: ({ ctx }, p) => Mcp.listMcpServers(ctx, p),
  CreateMcpServer: ({ ctx }, p) => Mcp.createMcpServer(ctx, p),
  UpdateMcpServer: ({ ctx }, p) => Mcp.updateMcpServer(ctx, p),
  DeleteMcpServer: ({ ctx }, p) => Mcp.deleteMcpServer(ctx, p),
  SetMcpSecret: ({ ctx }, p) => Mcp.setMcpSecret(ctx, p),
  ClearMcpSecret: ({ ctx }, p) => Mcp.clearMcpSecret(ctx, p),
  TestMcpServer: ({ ctx }, p) => Mcp.testMcpServer(ctx, p),
  ConnectMcpOAuth: ({ ctx }, p) => Mcp.connectMcpOAuth(ctx, p),
  CompleteMcpOAuth: ({ ctx }, p) => Mcp.completeMcpOAuth(ctx, p),
  DisconnectMcpOAuth: ({ ctx }, p) => Mcp.disconnectMcpOAuth(ctx, p),
  ImportWorkspaceMcp: ({ ctx }, p) => Mcp.importMcpFromWorkspace(ctx, p),
  ListLegacyMcpEnv: ({ ctx }) => Mcp.listLegacyMcpEnv(ctx),
  ClearLegacyMcpEnv: ({ ctx }, p) => Mcp.clearLegacyMcpEnv(ctx, p),
};

const BY_METHOD = new Map<string, RequestName>(Object.entries(REQUESTS).map(([name, r]) => [r.method, name as RequestName]));

/** The request of this method name, if there is one. */
export const requestNamed = (method: string): RequestName | undefined => BY_METHOD.get(method);

/** Validates and runs one request by its name in the table; throws AppError on bad params or broken rules. */
export async function dispatch<K extends RequestName>(app: App, name: K, raw: unknown): Promise<ResultOf<(typeof REQUESTS)[K]>> {
  const handler = HANDLERS[name] as Handler<K> | undefined;
  if (!handler) throw notFound(`Unknown request ${String(name)}.`);
  const parsed = PARAMS[name].safeParse(raw ?? {});
  if (!parsed.success) throw fromZodError(parsed.error);
  return await handler(app, parsed.data as ParsedParams<K>);
}

/** In-process callers (the CLI, tests) use the table's names with its params and result types. */
export type Caller = <K extends RequestName>(name: K, params: ParamsOf<(typeof REQUESTS)[K]>) => Promise<ResultOf<(typeof REQUESTS)[K]>>;
export const callerFor = (app: App): Caller => (name, params) => dispatch(app, name, params);
