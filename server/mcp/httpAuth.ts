// Headers for the HTTP transports: the API key or custom headers on every request, or the signed-in
// identity's bearer token (user_oidc) fetched before each request. Values come from McpSecrets or the
// token source and never reach a log. A 401 is explained in words a person can act on.
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServerDef } from './configStore';
import type { McpSecrets } from './secrets';

/** Where user_oidc tokens come from. The extension's implementation asks vscode.authentication.getSession. */
export interface UserOidcTokenSource {
  getToken(req: { server_id: string; provider_id: string; scopes: string[] }): Promise<string | null>;
}

export interface AuthedFetch {
  fetch: FetchLike;
  /** Why the server answered 401, when this side can tell (no key, no session…); null otherwise. */
  explainUnauthorized(): string | null;
}

export function customHeadersOf(secrets: McpSecrets, id: string): Record<string, string> {
  return secrets.getJson<Record<string, string>>(id, 'custom_headers') ?? {};
}

export function authedFetch(def: McpServerDef, secrets: McpSecrets, oidc: UserOidcTokenSource | undefined, base: FetchLike = fetch): AuthedFetch {
  let missing: string | null = null;
  let saw401 = false;
  const wrapped: FetchLike = async (input, init) => {
    const headers = new Headers(init?.headers);
    missing = null;
    if (def.auth_type === 'api_key' && def.api_key_header) {
      const key = secrets.get(def.id, 'api_key');
      if (key) headers.set(def.api_key_header, key);
      else missing = `no API key is set for header ${def.api_key_header}; set it in the MCP server's settings`;
    } else if (def.auth_type === 'custom_headers') {
      const held = customHeadersOf(secrets, def.id);
      for (const [k, v] of Object.entries(held)) headers.set(k, v);
      if (Object.keys(held).length === 0) missing = 'no custom header values are set; set them in the MCP server\'s settings';
    } else if (def.auth_type === 'user_oidc') {
      const token = oidc ? await oidc.getToken({ server_id: def.id, provider_id: def.oidc_provider_id ?? '', scopes: def.oidc_scopes }) : null;
      if (token) headers.set('Authorization', `Bearer ${token}`);
      else missing = `no signed-in session for authentication provider "${def.oidc_provider_id}" (user_oidc): the request went without an Authorization header; sign in to that provider in VS Code`;
    }
    const res = await base(input, { ...init, headers });
    if (res.status === 401) saw401 = true;
    return res;
  };
  return {
    fetch: wrapped,
    explainUnauthorized: () => (saw401 ? `the server answered 401 Unauthorized${missing ? `: ${missing}` : ''}` : null),
  };
}
