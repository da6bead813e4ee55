// Wires the MCP runtime to the JSON-RPC connection of server/main.ts: elicitation and user_oidc tokens
// become server → client requests; secret and config changes become notifications.
import type { RequestType, NotificationType } from 'vscode-jsonrpc';
import {
  McpElicitRequest, McpGetOidcTokenRequest, McpSecretChangedNotification, McpServersChangedNotification,
} from '../protocol/mcp';
import type { ErrorData } from '../protocol';
import type { Db } from '../store/db';
import { log } from '../logger';
import { attachMcpClientBridge } from './runtime';

/** The subset of a vscode-languageserver/-jsonrpc connection this needs. */
export interface RpcPeer {
  sendRequest<P, R>(type: RequestType<P, R, ErrorData>, params: P): Promise<R>;
  sendNotification<P>(type: NotificationType<P>, params: P): Promise<void> | void;
}

export function connectMcpToRpc(owner: { db: Db }, peer: RpcPeer): void {
  attachMcpClientBridge(owner, {
    elicit: (p) => peer.sendRequest(McpElicitRequest, p),
    getOidcToken: async (p) => {
      try {
        return (await peer.sendRequest(McpGetOidcTokenRequest, p)).access_token;
      } catch (err) {
        log.warn('user_oidc token request failed', { server_id: p.server_id, error: (err as Error).message });
        return null;
      }
    },
    secretChanged: (p) => void peer.sendNotification(McpSecretChangedNotification, p),
    serversChanged: (p) => void peer.sendNotification(McpServersChangedNotification, p),
  });
}
