// Wires the MCP runtime to the JSON-RPC connection of server/main.ts: elicitation and user_oidc tokens
// become server → client requests; secret and config changes become notifications.
import {
  McpElicitRequest, McpGetOidcTokenRequest, McpSecretChangedNotification, McpServersChangedNotification,
  type ClientRequestEntry, type NotificationEntry,
} from '../protocol/methods';
import type { Db } from '../store/db';
import { log } from '../logger';
import { attachMcpClientBridge } from './runtime';

/** The subset of a vscode-languageserver/-jsonrpc connection this needs. */
export interface RpcPeer {
  sendRequest<R>(method: string, params: unknown): Promise<R>;
  sendNotification(method: string, params: unknown): Promise<void> | void;
}

const ask = <P, R>(peer: RpcPeer, entry: ClientRequestEntry<P, R>, params: P): Promise<R> => peer.sendRequest<R>(entry.method, params);
const tell = <P>(peer: RpcPeer, entry: NotificationEntry<P>, params: P): void => void peer.sendNotification(entry.method, params);

export function connectMcpToRpc(owner: { db: Db }, peer: RpcPeer): void {
  attachMcpClientBridge(owner, {
    elicit: (p) => ask(peer, McpElicitRequest, p),
    getOidcToken: async (p) => {
      try {
        return (await ask(peer, McpGetOidcTokenRequest, p)).access_token;
      } catch (err) {
        log.warn('user_oidc token request failed', { server_id: p.server_id, error: (err as Error).message });
        return null;
      }
    },
    secretChanged: (p) => tell(peer, McpSecretChangedNotification, p),
    serversChanged: (p) => tell(peer, McpServersChangedNotification, p),
  });
}
