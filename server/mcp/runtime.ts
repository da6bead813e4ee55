// The MCP state of one server process: held secrets, the connection pool, pending OAuth authorizations
// and the bridge to the client (extension host) for elicitation, user_oidc tokens and secret changes.
// One per AppContext; created on first use so the app core needs no MCP field.
import { createHash } from 'node:crypto';
import type { McpElicitParams, McpElicitResult, McpOidcTokenParams, McpSecretChangedParams, McpServersChangedParams } from '../protocol/mcp';
import type { Db } from '../store/db';
import type { McpServerDef } from './configStore';
import type { ConnectionDeps } from './connection';
import type { UserOidcTokenSource } from './httpAuth';
import type { McpOAuthProvider } from './oauthProvider';
import { McpConnectionPool, type PoolOptions } from './pool';
import { McpSecrets } from './secrets';
import type { Sampler } from './sampling';

/** What the server asks of its client. Every member is optional: a headless server declines/omits. */
export interface McpClientBridge {
  elicit?(p: McpElicitParams): Promise<McpElicitResult>;
  getOidcToken?(p: McpOidcTokenParams): Promise<string | null>;
  secretChanged?(p: McpSecretChangedParams): void;
  serversChanged?(p: McpServersChangedParams): void;
}

export interface PendingAuthorization { configId: string; provider: McpOAuthProvider; expiresAt: number }
/** OAuth state is valid this long (the reference keeps it in a 10-minute cookie). */
export const OAUTH_STATE_TTL_MS = 10 * 60_000;

export class McpRuntime {
  readonly secrets = new McpSecrets();
  readonly pool: McpConnectionPool;
  readonly pendingOAuth = new Map<string, PendingAuthorization>();
  bridge: McpClientBridge = {};
  /** Runs sampling requests of servers that enable them (set by the app; absent: they are refused). */
  sampler: Sampler | undefined;

  constructor(readonly db: Db | null, poolOptions?: PoolOptions) {
    this.pool = new McpConnectionPool(() => this.connectionDeps(), poolOptions);
    this.secrets.onChange((server_id, kind, value) => this.bridge.secretChanged?.({ server_id, kind, value }));
  }

  readonly oidc: UserOidcTokenSource = {
    getToken: async (p) => (this.bridge.getOidcToken ? await this.bridge.getOidcToken(p) : null),
  };

  connectionDeps(): ConnectionDeps {
    return { secrets: this.secrets, db: this.db, oidc: this.oidc, elicit: this.bridge.elicit?.bind(this.bridge), sample: this.sampler };
  }

  /**
   * Who the session authenticates as: a digest of the credentials it is opened with. OAuth token refreshes
   * do not change it (the live session picks up new tokens itself); connecting or disconnecting does.
   */
  authIdentity(def: McpServerDef): string {
    const s = this.secrets;
    const parts = [s.get(def.id, 'api_key'), s.get(def.id, 'custom_headers'), s.get(def.id, 'oauth2_client_secret'), String(s.has(def.id, 'oauth2_tokens'))];
    return createHash('sha256').update(parts.map((p) => p ?? '').join('\u0000')).digest('hex').slice(0, 16);
  }

  async close(): Promise<void> {
    await this.pool.closeAll();
  }
}

const runtimes = new WeakMap<object, McpRuntime>();

/** The MCP runtime of an app context (or any owner object), created on first use. */
export function mcpRuntime(owner: { db: Db }): McpRuntime {
  let rt = runtimes.get(owner);
  if (!rt) {
    rt = new McpRuntime(owner.db);
    runtimes.set(owner, rt);
  }
  return rt;
}

/** Connects the runtime to its client (the JSON-RPC connection in server/main.ts; see rpcBridge.ts). */
export function attachMcpClientBridge(owner: { db: Db }, bridge: McpClientBridge): void {
  mcpRuntime(owner).bridge = bridge;
}

/** Closes every MCP session (and stdio child) of the owner: call on app close. */
export async function closeMcpRuntime(owner: { db: Db }): Promise<void> {
  const rt = runtimes.get(owner);
  runtimes.delete(owner);
  await rt?.close();
}
