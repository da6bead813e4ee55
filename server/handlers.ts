// Maps every protocol request to its capability. Params are validated by the request's schema first, so a
// bad request is a 400 naming the field before any rule runs. Adapters call `dispatch`.
import type { z } from 'zod';
import type { App } from './app';
import { maybeGenerateTitle } from './agent/titleGeneration';
import { addContext, clearContext, readMeta } from './modes/contextInjection';
import { getChatPlan, listChatFiles } from './modes/planView';
import { chatPayload, requireChat, createChat, editMessage, interruptChat, markRead, sendMessage, updateChat } from './chats/lifecycle';
import { getMessagesPage, listChatsPage } from './chats/listing';
import { deleteQueuedMessage, promoteQueuedMessage } from './chats/queue';
import { costSummary } from './chats/cost';
import { badRequest, fromZodError, notFound } from './errors';
import { registerMcpHandlers } from './mcp/requestHandlers';
import { listProviderModels } from './llm/models';
import { createModelConfig, deleteModelConfig, listModelConfigRows, modelConfigFromRow, updateModelConfig } from './models/modelConfigs';
import { createProvider, deleteProvider, getProviderRow, listProviderRows, providerFromRow, updateProvider } from './models/providers';
import * as P from './protocol/requests';
import { schemaVersion } from './store/db';
import { decidePendingAction, listPendingActions } from './permissions/approvals';
import { listToolDecisions } from './store/approvals';
import { settingsInfo, updateSettings } from './settings/serverSettings';
import { setupProvider, testProvider } from './models/providerSetup';

type Def = { method: string; params: z.ZodType };
type Handler = (params: never) => unknown;

export function createHandlers(app: App): Map<string, { def: Def; handle: Handler }> {
  const { ctx } = app;
  const map = new Map<string, { def: Def; handle: Handler }>();
  function on<D extends Def>(def: D, handle: (params: z.output<D['params']>) => unknown): void {
    map.set(def.method, { def, handle: handle as Handler });
  }
  const info = (): P.ServerInfo => ({
    version: process.env.LOCAL_AGENTS_VERSION ?? '0.1.0',
    pid: process.pid,
    worker_id: ctx.workerId,
    db_path: ctx.dbPath,
    schema_version: schemaVersion(ctx.db),
    workspace: ctx.workspace.workspace,
    workspace_folders: ctx.workspace.folders,
    trusted: ctx.workspace.trusted,
  });

  on(P.CreateChat, (p) => createChat(ctx, p));
  on(P.ListChats, (p) => listChatsPage(ctx, p));
  on(P.GetChat, (p) => chatPayload(ctx, p.chat_id));
  on(P.UpdateChat, (p) => updateChat(ctx, p));
  on(P.GetMessages, (p) => getMessagesPage(ctx, p));
  on(P.SendMessage, (p) => sendMessage(ctx, p));
  on(P.EditMessage, (p) => editMessage(ctx, p));
  on(P.InterruptChat, (p) => interruptChat(ctx, p.chat_id));
  on(P.MarkChatRead, (p) => markRead(ctx, p.chat_id));
  on(P.RegenerateTitle, async (p) => {
    chatPayload(ctx, p.chat_id);
    await maybeGenerateTitle(ctx, p.chat_id, true);
    return chatPayload(ctx, p.chat_id);
  });
  on(P.DeleteQueuedMessage, (p) => deleteQueuedMessage(ctx, p));
  on(P.PromoteQueuedMessage, (p) => promoteQueuedMessage(ctx, p));
  on(P.CostSummary, (p) => costSummary(ctx, p));

  on(P.AddChatContext, (p) => addContext(ctx, p.chat_id, p.dir));
  on(P.ClearChatContext, (p) => clearContext(ctx, p.chat_id));
  on(P.GetChatContext, (p) => readMeta(requireChat(ctx, p.chat_id)));
  on(P.ListChatFiles, (p) => listChatFiles(ctx, p.chat_id));
  on(P.GetChatPlan, (p) => getChatPlan(ctx, p.chat_id));
  on(P.GetSettings, () => settingsInfo(ctx));
  on(P.UpdateSettings, (p) => updateSettings(ctx, p));
  on(P.ListPendingActions, (p) => listPendingActions(ctx, p.chat_id, p.include_subagents ?? false));
  on(P.DecideToolCall, (p) => decidePendingAction(ctx, p));
  on(P.ListToolDecisions, (p) => { requireChat(ctx, p.chat_id); return listToolDecisions(ctx.db, p.chat_id, p.limit ?? 200); });

  on(P.ListProviders, () => listProviderRows(ctx.db).map((r) => providerFromRow(r, ctx.keys)));
  on(P.CreateProvider, (p) => providerFromRow(createProvider(ctx.db, p, ctx.now()), ctx.keys));
  on(P.UpdateProvider, (p) => providerFromRow(updateProvider(ctx.db, p.provider_id, p, ctx.now()), ctx.keys));
  on(P.DeleteProvider, (p) => { deleteProvider(ctx.db, p.provider_id, ctx.now()); ctx.keys.set(p.provider_id, null); return null; });
  on(P.SetProviderKey, (p) => {
    const row = getProviderRow(ctx.db, p.provider_id);
    if (!row || row.deleted) throw notFound('Chat provider not found.', `No provider with id ${p.provider_id}.`);
    ctx.keys.set(p.provider_id, p.api_key, 'personal');
    return providerFromRow(row, ctx.keys);
  });
  on(P.FetchProviderModels, async (p) => {
    let baseUrl = p.base_url;
    let key = p.api_key;
    if (p.provider_id) {
      const row = getProviderRow(ctx.db, p.provider_id);
      if (!row || row.deleted) throw notFound('Chat provider not found.', `No provider with id ${p.provider_id}.`);
      baseUrl = baseUrl ?? row.base_url;
      key = key ?? ctx.keys.get(row.id)?.value;
    }
    if (!baseUrl) throw badRequest('base_url or provider_id is required.', undefined, 'base_url');
    return { models: await listProviderModels(baseUrl, key) };
  });
  on(P.TestProvider, (p) => testProvider(ctx, p));
  on(P.SetupProvider, (p) => setupProvider(ctx, p));
  on(P.ListModelConfigs, () => listModelConfigRows(ctx.db).map(modelConfigFromRow));
  on(P.CreateModelConfig, (p) => modelConfigFromRow(createModelConfig(ctx.db, p, ctx.now())));
  on(P.UpdateModelConfig, (p) => modelConfigFromRow(updateModelConfig(ctx.db, p.model_config_id, p, ctx.now())));
  on(P.DeleteModelConfig, (p) => { deleteModelConfig(ctx.db, p.model_config_id, ctx.now()); return null; });

  registerMcpHandlers(ctx, on);
  on(P.GetServerInfo, () => info());
  on(P.SetWorkspace, (p) => { app.setWorkspace({ workspace: p.workspace, folders: p.folders, trusted: p.trusted }); return info(); });
  return map;
}

/** Validates and runs one request; throws AppError on bad params or broken rules. */
export async function dispatch(handlers: ReturnType<typeof createHandlers>, method: string, raw: unknown): Promise<unknown> {
  const entry = handlers.get(method);
  if (!entry) throw notFound(`Unknown method ${method}.`);
  const parsed = entry.def.params.safeParse(raw ?? {});
  if (!parsed.success) throw fromZodError(parsed.error);
  return await entry.handle(parsed.data as never);
}
