// The SDK's OAuthClientProvider for one MCP server config. Secrets (tokens, the client secret, registered
// client information) live in McpSecrets, whose changes the extension persists in SecretStorage; the
// non-secret discovery state lives in SQLite. Configured authorization/token URLs replace discovery.
import { randomBytes } from 'node:crypto';
import type { OAuthClientProvider, OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { Db } from '../store/db';
import type { McpServerDef } from './configStore';
import type { McpSecrets } from './secrets';

/** Tokens as held: the SDK's shape plus when they were obtained, so expiry can be computed. */
export type HeldTokens = OAuthTokens & { obtained_at?: number };

/** Refresh this close to expiry (the reference refreshes within 10 s). */
export const REFRESH_MARGIN_MS = 10_000;

export interface McpOAuthProviderOptions {
  def: McpServerDef;
  secrets: McpSecrets;
  db: Db | null;
  redirectUrl: string;
  /** Receives the authorization URL (the extension opens it; the probe fetches it or waits on a loopback listener). */
  onRedirect: (url: URL, state: string) => void | Promise<void>;
  /** Client ID Metadata Document URL, used as client_id when the authorization server supports it. */
  clientMetadataUrl?: string;
  now?: () => number;
}

export class McpOAuthProvider implements OAuthClientProvider {
  private verifier: string | undefined;
  private currentState: string | undefined;
  private memoryDiscovery: OAuthDiscoveryState | undefined;
  readonly clientMetadataUrl?: string;

  constructor(private readonly opts: McpOAuthProviderOptions) {
    this.clientMetadataUrl = opts.clientMetadataUrl;
  }

  private get id(): string { return this.opts.def.id; }

  get redirectUrl(): string { return this.opts.redirectUrl; }

  get clientMetadata(): OAuthClientMetadata {
    const hasSecret = this.opts.secrets.has(this.id, 'oauth2_client_secret');
    return {
      client_name: 'Local Agents',
      redirect_uris: [this.opts.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: hasSecret ? 'client_secret_post' : 'none',
      ...(this.opts.def.oauth2_scopes ? { scope: this.opts.def.oauth2_scopes } : {}),
    };
  }

  /** A fresh random state per authorization request; checked when the code comes back. */
  state(): string {
    this.currentState = randomBytes(24).toString('base64url');
    return this.currentState;
  }

  get pendingState(): string | undefined { return this.currentState; }

  clientInformation(): OAuthClientInformationMixed | undefined {
    const { def, secrets } = this.opts;
    if (def.oauth2_client_id) {
      const secret = secrets.get(this.id, 'oauth2_client_secret');
      return { client_id: def.oauth2_client_id, ...(secret ? { client_secret: secret } : {}) };
    }
    return secrets.getJson<OAuthClientInformationMixed>(this.id, 'oauth2_client_information');
  }

  saveClientInformation(info: OAuthClientInformationMixed): void {
    // A pre-registered client is configured, not saved; dynamic registrations are secrets (they may carry a client_secret).
    if (this.opts.def.oauth2_client_id) return;
    this.opts.secrets.setJson(this.id, 'oauth2_client_information', info);
  }

  tokens(): OAuthTokens | undefined {
    const held = this.opts.secrets.getJson<HeldTokens>(this.id, 'oauth2_tokens');
    if (!held) return undefined;
    const { obtained_at: _o, ...tokens } = held;
    return tokens;
  }

  /** True when the access token expires within the refresh margin (unknown expiry: false). */
  tokensNearExpiry(): boolean {
    const held = this.opts.secrets.getJson<HeldTokens>(this.id, 'oauth2_tokens');
    if (!held?.expires_in || !held.obtained_at) return false;
    return held.obtained_at + held.expires_in * 1000 - REFRESH_MARGIN_MS <= (this.opts.now ?? Date.now)();
  }

  saveTokens(tokens: OAuthTokens): void {
    const held: HeldTokens = { ...tokens, obtained_at: (this.opts.now ?? Date.now)() };
    this.opts.secrets.setJson(this.id, 'oauth2_tokens', held);
    this.recordRefreshFailure(null);
  }

  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    await this.opts.onRedirect(authorizationUrl, authorizationUrl.searchParams.get('state') ?? '');
  }

  saveCodeVerifier(codeVerifier: string): void { this.verifier = codeVerifier; }

  codeVerifier(): string {
    if (!this.verifier) throw new Error('No PKCE code verifier: start the authorization again.');
    return this.verifier;
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    const { secrets } = this.opts;
    if (scope === 'all' || scope === 'tokens') {
      if (secrets.getJson<HeldTokens>(this.id, 'oauth2_tokens')?.refresh_token) this.recordRefreshFailure('The authorization server rejected the stored tokens; connect again.');
      secrets.set(this.id, 'oauth2_tokens', null);
    }
    if ((scope === 'all' || scope === 'client') && !this.opts.def.oauth2_client_id) secrets.set(this.id, 'oauth2_client_information', null);
    if (scope === 'all' || scope === 'verifier') this.verifier = undefined;
    if (scope === 'all' || scope === 'discovery') this.saveDiscoveryState(undefined);
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    const { def } = this.opts;
    if (def.oauth2_auth_url && def.oauth2_token_url) {
      const auth = new URL(def.oauth2_auth_url);
      return {
        authorizationServerUrl: auth.origin,
        authorizationServerMetadata: {
          issuer: auth.origin,
          authorization_endpoint: def.oauth2_auth_url,
          token_endpoint: def.oauth2_token_url,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
          grant_types_supported: ['authorization_code', 'refresh_token'],
        },
      };
    }
    if (!this.opts.db) return this.memoryDiscovery;
    const row = this.opts.db.prepare<[string], { discovery_state: string | null }>('SELECT discovery_state FROM mcp_oauth_state WHERE config_id = ?').get(this.id);
    return row?.discovery_state ? (JSON.parse(row.discovery_state) as OAuthDiscoveryState) : undefined;
  }

  saveDiscoveryState(state: OAuthDiscoveryState | undefined): void {
    if (!this.opts.db) {
      this.memoryDiscovery = state;
      return;
    }
    this.opts.db.prepare(`INSERT INTO mcp_oauth_state (config_id, discovery_state, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (config_id) DO UPDATE SET discovery_state = excluded.discovery_state, updated_at = excluded.updated_at`)
      .run(this.id, state ? JSON.stringify(state) : null, Date.now());
  }

  private recordRefreshFailure(reason: string | null): void {
    if (!this.opts.db) return;
    this.opts.db.prepare(`INSERT INTO mcp_oauth_state (config_id, refresh_failure_reason, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (config_id) DO UPDATE SET refresh_failure_reason = excluded.refresh_failure_reason, updated_at = excluded.updated_at`)
      .run(this.id, reason, Date.now());
  }
}
