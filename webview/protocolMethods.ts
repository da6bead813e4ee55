// The requests the chat view makes, typed from the protocol module without importing its runtime: the
// zod schemas and vscode-jsonrpc behind `server/protocol/requests` would triple the webview bundle.
// Method names are checked against the host's allow-list at compile time, and against the protocol's own
// definitions by protocolMethods.test.ts.
import type { RequestType } from 'vscode-jsonrpc';
import type { z } from 'zod';
import type * as Mcp from '../server/protocol/mcp';
import type * as Req from '../server/protocol/requests';
import * as M from '../server/protocol/methods';
import type { WEBVIEW_ALLOWED_METHODS } from '../server/protocol/webview';

export type AllowedMethod = (typeof WEBVIEW_ALLOWED_METHODS)[number];

/** A request the webview may send: its method, and (types only) its params and result. */
export interface WebviewRequest<P, R> { readonly method: AllowedMethod; readonly types?: { params: P; result: R } }

type ParamsOf<D> = D extends { params: infer S extends z.ZodType } ? z.input<S> : never;
type ResultOf<D> = D extends { type: RequestType<unknown, infer R, unknown> } ? R : never;

const def = <D>(method: AllowedMethod): WebviewRequest<ParamsOf<D>, ResultOf<D>> => ({ method });

export const CreateChat = def<typeof Req.CreateChat>(M.CreateChat.method);
export const GetChat = def<typeof Req.GetChat>(M.GetChat.method);
export const ListChats = def<typeof Req.ListChats>(M.ListChats.method);
export const UpdateChat = def<typeof Req.UpdateChat>(M.UpdateChat.method);
export const GetMessages = def<typeof Req.GetMessages>(M.GetMessages.method);
export const SendMessage = def<typeof Req.SendMessage>(M.SendMessage.method);
export const EditMessage = def<typeof Req.EditMessage>(M.EditMessage.method);
export const InterruptChat = def<typeof Req.InterruptChat>(M.InterruptChat.method);
export const DeleteQueuedMessage = def<typeof Req.DeleteQueuedMessage>(M.DeleteQueuedMessage.method);
export const PromoteQueuedMessage = def<typeof Req.PromoteQueuedMessage>(M.PromoteQueuedMessage.method);
export const GetChatPlan = def<typeof Req.GetChatPlan>(M.GetChatPlan.method);
export const CostSummary = def<typeof Req.CostSummary>(M.CostSummary.method);
export const ListModelConfigs = def<typeof Req.ListModelConfigs>(M.ListModelConfigs.method);
export const ListProviders = def<typeof Req.ListProviders>(M.ListProviders.method);
export const ListMcpServers = def<typeof Mcp.ListMcpServers>(M.ListMcpServers.method);
export const ListPendingActions = def<typeof Req.ListPendingActions>(M.ListPendingActions.method);
export const DecideToolCall = def<typeof Req.DecideToolCall>(M.DecideToolCall.method);
export const GetSettings = def<typeof Req.GetSettings>(M.GetSettings.method);
