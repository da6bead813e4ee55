// Authentication against a real HTTP MCP server: api_key and custom headers on every request, user_oidc
// with and without a session (the 401 explained), the OAuth connect flow through the JSON-RPC handlers
// (PKCE, discovery, dynamic registration, state checked, tokens handed to the extension), and no secret
// in any reply or in the SQLite files.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { attachMcpClientBridge } from '../../server/mcp/runtime';
import * as M from '../../server/protocol';
import { startHarness, type Harness } from '../mcp/appHarness';
import { API_KEY, CUSTOM, OIDC_TOKEN, startAuthTestServer, type AuthTestServer } from '../mcp/authTestServer';

describe('MCP authentication', () => {
  let h: Harness;
  let srv: AuthTestServer;
  const secretEvents: M.McpSecretChangedParams[] = [];
  let oidcToken: string | null = null;
  const replies: unknown[] = [];
  const call = async <T>(method: string, params: unknown): Promise<T> => {
    const r = await h.call<T>(method, params);
    replies.push(r);
    return r;
  };
  before(async () => {
    h = await startHarness();
    srv = await startAuthTestServer();
    attachMcpClientBridge(h.app.ctx, {
      secretChanged: (p) => secretEvents.push(p),
      getOidcToken: async () => oidcToken,
    });
  });
  after(async () => {
    // No secret ever reached a reply, the database or its WAL.
    const secrets = [API_KEY, ...Object.values(CUSTOM), OIDC_TOKEN, ...srv.issued];
    const replyText = JSON.stringify(replies);
    const dbText = readdirSync(h.dir).filter((f) => f.startsWith('chats.db')).map((f) => readFileSync(`${h.dir}/${f}`).toString('latin1')).join('');
    for (const s of secrets) {
      assert.ok(!replyText.includes(s), `secret ${s.slice(0, 6)}… appeared in a reply`);
      assert.ok(!dbText.includes(s), `secret ${s.slice(0, 6)}… appeared in SQLite`);
    }
    await h.close();
    await srv.close();
  });

  test('api_key: the header goes on every request; without the key the 401 says so', async () => {
    const cfg = await call<M.McpServerConfig>(M.CreateMcpServer.method, { slug: 'keyed', display_name: 'Keyed', url: `${srv.base}/apikey/mcp`, auth_type: 'api_key', api_key_header: 'X-Api-Key', enabled: true });
    assert.equal(cfg.has_api_key, false);
    const missing = await call<M.McpTestResult>(M.TestMcpServer.method, { server_id: cfg.id });
    assert.equal(missing.ok, false);
    assert.match(missing.error ?? '', /401 Unauthorized: no API key is set for header X-Api-Key/);

    const updated = await call<M.McpServerConfig>(M.UpdateMcpServer.method, { server_id: cfg.id, api_key_value: API_KEY });
    assert.equal(updated.has_api_key, true);
    assert.deepEqual(secretEvents.at(-1), { server_id: cfg.id, kind: 'api_key', value: API_KEY }, 'handed to the extension to persist');
    const ok = await call<M.McpTestResult>(M.TestMcpServer.method, { server_id: cfg.id });
    assert.equal(ok.ok, true, ok.error ?? '');
    assert.deepEqual(ok.tools.map((t) => t.exposed_name), ['keyed__whoami']);
    const keyed = srv.seen.filter((s) => s.path === '/apikey/mcp' && s.headers['x-api-key'] === API_KEY);
    assert.ok(keyed.length >= 2, 'initialize and tools/list both carried the key');
  });

  test('custom_headers: values set through setSecret (as the extension does at start) are sent', async () => {
    const cfg = await call<M.McpServerConfig>(M.CreateMcpServer.method, { slug: 'hdrs', display_name: 'Headers', url: `${srv.base}/headers/mcp`, auth_type: 'custom_headers', enabled: true });
    const before = secretEvents.length;
    const withSecret = await call<M.McpServerConfig>(M.SetMcpSecret.method, { server_id: cfg.id, kind: 'custom_headers', value: JSON.stringify(CUSTOM) });
    assert.equal(withSecret.has_custom_headers, true);
    assert.equal(secretEvents.length, before, 'a secret that came from the extension is not echoed back');
    const ok = await call<M.McpTestResult>(M.TestMcpServer.method, { server_id: cfg.id });
    assert.equal(ok.ok, true, ok.error ?? '');
    await assert.rejects(h.call(M.SetMcpSecret.method, { server_id: cfg.id, kind: 'custom_headers', value: 'not json' }), /Invalid custom headers\./);
  });

  test('user_oidc: the session token is forwarded; with no session the request goes without it and the 401 is explained', async () => {
    const cfg = await call<M.McpServerConfig>(M.CreateMcpServer.method, { slug: 'oidc', display_name: 'OIDC', url: `${srv.base}/oidc/mcp`, auth_type: 'user_oidc', oidc_provider_id: 'microsoft', oidc_scopes: ['openid'], enabled: true });
    oidcToken = null;
    const none = await call<M.McpTestResult>(M.TestMcpServer.method, { server_id: cfg.id });
    assert.equal(none.ok, false);
    assert.match(none.error ?? '', /401 Unauthorized: no signed-in session for authentication provider "microsoft"/);
    assert.equal(srv.seen.filter((s) => s.path === '/oidc/mcp').at(-1)?.headers.authorization, undefined);
    oidcToken = OIDC_TOKEN;
    const ok = await call<M.McpTestResult>(M.TestMcpServer.method, { server_id: cfg.id });
    assert.equal(ok.ok, true, ok.error ?? '');
  });

  test('oauth2: connect returns a PKCE authorization URL, complete checks state and code, tokens go to the extension, disconnect clears them', async () => {
    const cfg = await call<M.McpServerConfig>(M.CreateMcpServer.method, { slug: 'oauth', display_name: 'OAuth', url: `${srv.base}/oauth/mcp`, auth_type: 'oauth2', enabled: true });
    const before = await call<M.McpTestResult>(M.TestMcpServer.method, { server_id: cfg.id });
    assert.equal(before.outcome, 'unauthorized');
    assert.match(before.error ?? '', /needs OAuth authorization/);

    const redirect = 'http://127.0.0.1:1/oauth/callback';
    const start = await call<M.McpOAuthConnectResult>(M.ConnectMcpOAuth.method, { server_id: cfg.id, redirect_uri: redirect });
    assert.ok(start.authorization_url && start.state);
    const authUrl = new URL(start.authorization_url);
    assert.equal(authUrl.origin + authUrl.pathname, `${srv.base}/authorize`, 'discovered through protected resource metadata');
    assert.equal(authUrl.searchParams.get('client_id'), 'dyn-client-1', 'dynamically registered');
    assert.equal(authUrl.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(authUrl.searchParams.get('redirect_uri'), redirect);
    assert.equal(authUrl.searchParams.get('resource'), `${srv.base}/oauth/mcp`);

    const res = await fetch(authUrl, { redirect: 'manual' });
    const back = new URL(res.headers.get('location') ?? '');
    const code = back.searchParams.get('code') ?? '';
    await assert.rejects(h.call(M.CompleteMcpOAuth.method, { server_id: cfg.id, state: start.state }), { message: 'Missing authorization code.' });
    await assert.rejects(h.call(M.CompleteMcpOAuth.method, { server_id: cfg.id, code, state: 'forged' }), { message: 'Invalid or missing OAuth2 state parameter.' });
    await assert.rejects(h.call(M.CompleteMcpOAuth.method, { server_id: cfg.id, code }), { message: 'Invalid or missing OAuth2 state parameter.' });
    const done = await call<M.McpServerConfig>(M.CompleteMcpOAuth.method, { server_id: cfg.id, code, state: back.searchParams.get('state') });
    assert.equal(done.auth_connected, true);
    const tokenEvent = secretEvents.filter((e) => e.server_id === cfg.id && e.kind === 'oauth2_tokens').at(-1);
    assert.equal((JSON.parse(tokenEvent?.value ?? '{}') as { access_token?: string }).access_token, srv.issued.at(-1));
    assert.ok(secretEvents.some((e) => e.server_id === cfg.id && e.kind === 'oauth2_client_information'));
    await assert.rejects(h.call(M.CompleteMcpOAuth.method, { server_id: cfg.id, code, state: start.state }), { message: 'Invalid or missing OAuth2 state parameter.' }, 'a state is used once');

    const ok = await call<M.McpTestResult>(M.TestMcpServer.method, { server_id: cfg.id });
    assert.equal(ok.ok, true, ok.error ?? '');
    assert.equal(srv.seen.filter((s) => s.path === '/oauth/mcp').at(-1)?.headers.authorization, `Bearer ${srv.issued.at(-1)}`);

    const off = await call<M.McpServerConfig>(M.DisconnectMcpOAuth.method, { server_id: cfg.id });
    assert.equal(off.auth_connected, false);
    assert.deepEqual(secretEvents.at(-1), { server_id: cfg.id, kind: 'oauth2_tokens', value: null });
  });

  test('config errors: duplicate slug is 409, cross-field rules name the field, OAuth requests on a non-OAuth server are refused', async () => {
    await assert.rejects(h.call(M.CreateMcpServer.method, { slug: 'KEYED', display_name: 'dup', url: `${srv.base}/open/mcp` }), (e: Error & { status?: number }) => e.message === 'MCP server config slug already exists.' && e.status === 409);
    await assert.rejects(h.call(M.CreateMcpServer.method, { slug: 'nourl', display_name: 'x' }), (e: Error & { field?: string }) => e.message === 'Invalid MCP server config.' && e.field === 'url');
    await assert.rejects(h.call(M.CreateMcpServer.method, { slug: 'x', display_name: 'x', transport: 'stdio' }), (e: Error & { field?: string }) => e.field === 'command');
    await assert.rejects(h.call(M.CreateMcpServer.method, { slug: 'bad slug!', display_name: 'x', url: `${srv.base}/open/mcp` }), (e: Error & { field?: string }) => e.field === 'slug');
    const open = await call<M.McpServerConfig>(M.CreateMcpServer.method, { slug: 'open', display_name: 'Open', url: `${srv.base}/open/mcp` });
    assert.equal(open.enabled, false, 'enabled defaults to false');
    assert.equal(open.tool_timeout_ms, 600_000);
    await assert.rejects(h.call(M.ConnectMcpOAuth.method, { server_id: open.id, redirect_uri: 'http://127.0.0.1:1/cb' }), { message: 'MCP server is not enabled.' });
    await h.call(M.UpdateMcpServer.method, { server_id: open.id, enabled: true });
    await assert.rejects(h.call(M.ConnectMcpOAuth.method, { server_id: open.id, redirect_uri: 'http://127.0.0.1:1/cb' }), { message: 'MCP server does not use OAuth2 authentication.' });
    const updated = await call<M.McpServerConfig>(M.UpdateMcpServer.method, { server_id: open.id, description: 'changed' });
    assert.equal(updated.enabled, true, 'a partial update keeps the other fields');
  });
});
