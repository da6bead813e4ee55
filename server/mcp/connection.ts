// One live MCP session: the SDK client over one transport, its listed tools, tool calls with a real
// timeout, elicitation forwarded to the user, sampling run on a model when the config enables it, and OAuth
// authorization codes fed back to the transport when an interactive code source is given (the probe).
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult, ElicitResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { McpElicitParams, McpElicitResult } from '../protocol/mcp';
import { stdioEnvValues, type McpServerDef } from './configStore';
import { authedFetch, type AuthedFetch, type UserOidcTokenSource } from './httpAuth';
import { McpOAuthProvider } from './oauthProvider';
import type { Sampler } from './sampling';
import type { McpSecrets } from './secrets';
import { loadMcpSdk, mcpSdk } from './sdk';
import { buildTransport, type BuiltTransport } from './transport';

export const CLIENT_INFO = { name: 'local-agents', version: process.env.LOCAL_AGENTS_VERSION ?? '0.1.0' };
/** The key under which each call carries the chat's tool call id. */
export const TOOL_CALL_ID_META_KEY = 'com.local-agents/tool_call_id';
/** At most this many authorization rounds per operation (step-up included): no endless loops. */
const MAX_AUTH_ROUNDS = 3;

export interface ConnectionDeps {
  secrets: McpSecrets;
  db: import('../store/db').Db | null;
  oidc?: UserOidcTokenSource;
  /** Asks the user to fill a form; absent: elicitations are declined. */
  elicit?: (p: McpElicitParams) => Promise<McpElicitResult>;
  /** Runs a sampling request on a model; used only for servers whose config enables sampling. */
  sample?: Sampler;
  /** OAuth: where authorization redirects go, and what to do with the authorization URL. */
  oauth?: {
    redirectUrl: string;
    clientMetadataUrl?: string;
    onRedirect(url: URL, provider: McpOAuthProvider): void | Promise<void>;
    /** Interactive: waits for the code of the last redirect. Absent: an authorization need fails the operation. */
    awaitCode?(): Promise<string>;
  };
}

export class McpAuthorizationRequiredError extends Error {
  constructor(readonly serverName: string, detail?: string) {
    super(`MCP server "${serverName}" needs OAuth authorization: connect it from the MCP servers view${detail ? ` (${detail})` : ''}.`);
    this.name = 'McpAuthorizationRequiredError';
  }
}

export interface CallOptions { timeoutMs: number; signal?: AbortSignal; toolCallId?: string; chatId?: string | null }

export class McpConnection {
  closed = false;
  tools: Tool[] = [];
  private readonly activeChats: Array<string | null> = [];
  private readonly closeListeners = new Set<() => void>();
  private closing: Promise<void> | undefined;

  private constructor(
    readonly def: McpServerDef,
    private client: Client,
    private built: BuiltTransport,
    private readonly http: AuthedFetch | null,
    private readonly deps: ConnectionDeps,
    readonly oauthProvider: McpOAuthProvider | undefined,
  ) {}

  get serverVersion(): { name: string; version: string } | undefined {
    return this.client.getServerVersion();
  }

  get pid(): number | null {
    const t = this.built.transport as { pid?: number | null };
    return t.pid ?? null;
  }

  /** Connects (and lists tools) or throws an Error whose message says which server and why. */
  static async open(def: McpServerDef, deps: ConnectionDeps, signal?: AbortSignal): Promise<McpConnection> {
    const { UnauthorizedError } = await loadMcpSdk();
    const http = def.transport === 'stdio' ? null : authedFetch(def, deps.secrets, deps.oidc);
    let provider: McpOAuthProvider | undefined;
    if (def.auth_type === 'oauth2' && def.transport !== 'stdio') {
      const oauth = deps.oauth;
      provider = new McpOAuthProvider({
        def,
        secrets: deps.secrets,
        db: deps.db,
        redirectUrl: oauth?.redirectUrl ?? 'http://127.0.0.1/local-agents/oauth/callback',
        clientMetadataUrl: oauth?.clientMetadataUrl,
        onRedirect: async (url) => {
          if (!oauth) throw new McpAuthorizationRequiredError(def.display_name);
          await oauth.onRedirect(url, provider as McpOAuthProvider);
        },
      });
    }
    let lastErr: unknown;
    for (let round = 0; round <= MAX_AUTH_ROUNDS; round++) {
      const built = buildTransport(def, http, provider, def.transport === 'stdio' ? stdioEnvValues(def, deps.secrets) : {});
      const conn = new McpConnection(def, McpConnection.newClient(def), built, http, deps, provider);
      conn.installHandlers();
      const onAbort = () => void conn.close();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        await conn.client.connect(built.transport, { signal });
        conn.tools = await conn.withAuthRounds(() => conn.listAllTools(signal));
        built.transport.onclose = chain(built.transport.onclose, () => conn.markClosed());
        return conn;
      } catch (err) {
        lastErr = err;
        await conn.close();
        if (err instanceof UnauthorizedError && deps.oauth?.awaitCode && built.finishAuth && round < MAX_AUTH_ROUNDS) {
          await built.finishAuth(await deps.oauth.awaitCode());
          continue;
        }
        throw conn.explain(err);
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    }
    throw lastErr instanceof Error ? lastErr : new Error(String(lastErr));
  }

  private static newClient(def: McpServerDef): Client {
    return new (mcpSdk().Client)(CLIENT_INFO, {
      capabilities: {
        elicitation: { form: { applyDefaults: true } },
        ...(def.sampling_enabled ? { sampling: {} } : {}),
      },
    });
  }

  private installHandlers(): void {
    const { def, deps } = this;
    const { ElicitRequestSchema, CreateMessageRequestSchema, McpError, ErrorCode } = mcpSdk();
    this.client.setRequestHandler(ElicitRequestSchema, async (req): Promise<ElicitResult> => {
      const p = req.params;
      if (!deps.elicit || p.mode === 'url' || !('requestedSchema' in p)) return { action: 'decline' };
      const answer = await deps.elicit({
        server_id: def.id,
        server_name: def.display_name,
        chat_id: this.activeChats.length === 1 ? (this.activeChats[0] ?? null) : null,
        message: p.message,
        requested_schema: p.requestedSchema as Record<string, unknown>,
      });
      return answer.action === 'accept' ? { action: 'accept', content: answer.content ?? {} } : { action: answer.action };
    });
    if (def.sampling_enabled) {
      this.client.setRequestHandler(CreateMessageRequestSchema, async (req) => {
        if (!deps.sample) throw new McpError(ErrorCode.InvalidRequest, 'Sampling is not available in this client (no model to run it on).');
        const chatId = this.activeChats.length === 1 ? (this.activeChats[0] ?? null) : null;
        try {
          return await deps.sample({ chatId, params: req.params });
        } catch (err) {
          throw new McpError(ErrorCode.InternalError, `Sampling failed: ${(err as Error).message}`);
        }
      });
    }
  }

  private async listAllTools(signal?: AbortSignal): Promise<Tool[]> {
    if (!this.client.getServerCapabilities()?.tools) return [];
    const tools: Tool[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.client.listTools(cursor ? { cursor } : undefined, { signal });
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    return tools;
  }

  /** Runs an operation, feeding authorization codes back to the transport (step-up, expired tokens) when interactive. */
  private async withAuthRounds<T>(op: () => Promise<T>): Promise<T> {
    for (let round = 0; ; round++) {
      try {
        return await op();
      } catch (err) {
        if (!(err instanceof mcpSdk().UnauthorizedError) || !this.deps.oauth?.awaitCode || !this.built.finishAuth || round >= MAX_AUTH_ROUNDS) throw err;
        await this.built.finishAuth(await this.deps.oauth.awaitCode());
      }
    }
  }

  async callTool(name: string, args: Record<string, unknown>, opts: CallOptions): Promise<CallToolResult> {
    this.activeChats.push(opts.chatId ?? null);
    try {
      const result = await this.withAuthRounds(() => this.client.callTool(
        { name, arguments: args, ...(opts.toolCallId ? { _meta: { [TOOL_CALL_ID_META_KEY]: opts.toolCallId } } : {}) },
        mcpSdk().CallToolResultSchema,
        { timeout: opts.timeoutMs, signal: opts.signal, resetTimeoutOnProgress: true, maxTotalTimeout: opts.timeoutMs * 3 },
      ));
      return result as CallToolResult;
    } catch (err) {
      throw this.explain(err);
    } finally {
      this.activeChats.splice(this.activeChats.indexOf(opts.chatId ?? null), 1);
    }
  }

  /** A person-readable reason: which server, and why (401 causes, stdio stderr). */
  explain(err: unknown): Error {
    if (err instanceof McpAuthorizationRequiredError) return err;
    const name = this.def.display_name;
    const { UnauthorizedError, McpError } = mcpSdk();
    if (err instanceof UnauthorizedError) return new McpAuthorizationRequiredError(name, err.message || undefined);
    const base = err instanceof Error ? err.message : String(err);
    const why401 = this.http?.explainUnauthorized();
    const stderr = this.built.stderrTail();
    const msg = why401 ? `${base} (${why401})` : base;
    const e = new Error(stderr ? `${msg}\nserver stderr: ${stderr.split('\n').slice(-5).join('\n')}` : msg);
    if (err instanceof McpError) (e as Error & { code?: number }).code = err.code;
    return e;
  }

  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    for (const l of this.closeListeners) l();
  }

  /** Idempotent: every caller waits for the same shutdown (a stdio child may take seconds to stop). */
  close(): Promise<void> {
    this.markClosed();
    this.closing ??= this.client.close().catch(() => {
      // Already gone (the child died, the stream broke): nothing left to report.
    });
    return this.closing;
  }
}

function chain(first: (() => void) | undefined, second: () => void): () => void {
  return () => {
    first?.();
    second();
  };
}
