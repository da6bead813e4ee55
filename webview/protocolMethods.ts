// The requests the chat view makes, typed from the protocol module without importing its runtime: the
// zod schemas and vscode-jsonrpc behind `server/protocol/requests` would triple the webview bundle.
// Method names are checked against the host's allow-list at compile time, and against the protocol's own
// definitions by protocolMethods.test.ts.
import type { RequestType } from 'vscode-jsonrpc';
import type { z } from 'zod';
import type * as Mcp from '../server/protocol/mcp';
import type * as Req from '../server/protocol/requests';
import type { WEBVIEW_ALLOWED_METHODS } from '../server/protocol/webview';

export type AllowedMethod = (typeof WEBVIEW_ALLOWED_METHODS)[number];

/** A request the webview may send: its method, and (types only) its params and result. */
export interface WebviewRequest<P, R> { readonly method: AllowedMethod; readonly types?: { params: P; result: R } }

type ParamsOf<D> = D extends { params: infer S extends z.ZodType } ? z.input<S> : never;
type ResultOf<D> = D extends { type: RequestType<unknown, infer R, unknown> } ? R : never;

const def = <D>(method: AllowedMethod): WebviewRequest<ParamsOf<D>, ResultOf<D>> => ({ method });

export const CreateChat = def<typeof Req.CreateChat>('localAgents/chats/create');
export const GetChat = def<typeof Req.GetChat>('localAgents/chats/get');
export const ListChats = def<typeof Req.ListChats>('localAgents/chats/list');
export const UpdateChat = def<typeof Req.UpdateChat>('localAgents/chats/update');
export const GetMessages = def<typeof Req.GetMessages>('localAgents/chats/messages');
export const SendMessage = def<typeof Req.SendMessage>('localAgents/chats/send');
export const EditMessage = def<typeof Req.EditMessage>('localAgents/chats/editMessage');
export const InterruptChat = def<typeof Req.InterruptChat>('localAgents/chats/interrupt');
export const DeleteQueuedMessage = def<typeof Req.DeleteQueuedMessage>('localAgents/chats/queue/delete');
export const PromoteQueuedMessage = def<typeof Req.PromoteQueuedMessage>('localAgents/chats/queue/promote');
export const GetChatPlan = def<typeof Req.GetChatPlan>('localAgents/chats/plan');
export const ListModelConfigs = def<typeof Req.ListModelConfigs>('localAgents/modelConfigs/list');
export const ListProviders = def<typeof Req.ListProviders>('localAgents/providers/list');
export const ListMcpServers = def<typeof Mcp.ListMcpServers>('localAgents/mcp/list');
