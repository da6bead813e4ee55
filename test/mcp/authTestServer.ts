// A real HTTP MCP server on 127.0.0.1 guarded per path: /apikey (X-Api-Key), /headers (two custom
// headers), /oidc (a bearer token) and /oauth (tokens from the OAuth 2.1 authorization server it also
// serves: protected resource metadata, AS metadata, dynamic registration, authorize with PKCE, token).
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

export const API_KEY = 'key-7f3a-secret';
export const CUSTOM = { 'X-Team': 'team-secret-a', 'X-Env': 'env-secret-b' };
export const OIDC_TOKEN = 'oidc-token-secret';

export interface AuthTestServer {
  base: string;
  /** Headers of every MCP request, by path. */
  seen: Array<{ path: string; headers: IncomingMessage['headers'] }>;
  authorizeRequests: URLSearchParams[];
  issued: string[];
  close(): Promise<void>;
}

function mcpServer(): McpServer {
  const s = new McpServer({ name: 'auth-test', version: '1.0.0' });
  s.registerTool('whoami', { description: 'Says hello', inputSchema: { name: z.string().optional() } }, async ({ name }) => ({ content: [{ type: 'text', text: `hello ${name ?? 'you'}` }] }));
  return s;
}

async function body(req: IncomingMessage): Promise<string> {
  let b = '';
  for await (const chunk of req) b += chunk;
  return b;
}

export async function startAuthTestServer(): Promise<AuthTestServer> {
  const seen: AuthTestServer['seen'] = [];
  const authorizeRequests: URLSearchParams[] = [];
  const issued: string[] = [];
  const challenges = new Map<string, string>();
  let base = '';

  const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));

  const serveMcp = async (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    const server = mcpServer();
    await server.connect(transport);
    res.on('close', () => void transport.close());
    await transport.handleRequest(req, res, raw ? JSON.parse(raw) : undefined);
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', base);
      const raw = req.method === 'POST' ? await body(req) : '';
      const p = url.pathname;
      if (p === '/.well-known/oauth-protected-resource/oauth/mcp') return json(res, 200, { resource: `${base}/oauth/mcp`, authorization_servers: [base] });
      if (p === '/.well-known/oauth-authorization-server') {
        return json(res, 200, {
          issuer: base, authorization_endpoint: `${base}/authorize`, token_endpoint: `${base}/token`, registration_endpoint: `${base}/register`,
          response_types_supported: ['code'], code_challenge_methods_supported: ['S256'], grant_types_supported: ['authorization_code', 'refresh_token'],
          token_endpoint_auth_methods_supported: ['none'],
        });
      }
      if (p === '/register') return json(res, 201, { ...JSON.parse(raw), client_id: 'dyn-client-1', client_id_issued_at: 1 });
      if (p === '/authorize') {
        authorizeRequests.push(url.searchParams);
        const code = `code-${randomUUID()}`;
        challenges.set(code, url.searchParams.get('code_challenge') ?? '');
        const back = new URL(url.searchParams.get('redirect_uri') ?? '');
        back.searchParams.set('code', code);
        back.searchParams.set('state', url.searchParams.get('state') ?? '');
        return res.writeHead(302, { location: back.href }).end();
      }
      if (p === '/token') {
        const form = new URLSearchParams(raw);
        if (form.get('grant_type') === 'authorization_code') {
          const challenge = challenges.get(form.get('code') ?? '');
          const verifier = form.get('code_verifier') ?? '';
          if (!challenge || createHash('sha256').update(verifier).digest('base64url') !== challenge) return json(res, 400, { error: 'invalid_grant' });
          challenges.delete(form.get('code') ?? '');
        } else if (form.get('grant_type') !== 'refresh_token' || !issued.length) {
          return json(res, 400, { error: 'invalid_grant' });
        }
        const token = `at-${randomUUID()}`;
        issued.push(token);
        return json(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 3600, refresh_token: `rt-${randomUUID()}` });
      }
      if (p.endsWith('/mcp')) {
        seen.push({ path: p, headers: req.headers });
        const bearer = req.headers.authorization?.replace(/^Bearer /, '');
        const allowed =
          (p === '/apikey/mcp' && req.headers['x-api-key'] === API_KEY) ||
          (p === '/headers/mcp' && req.headers['x-team'] === CUSTOM['X-Team'] && req.headers['x-env'] === CUSTOM['X-Env']) ||
          (p === '/oidc/mcp' && bearer === OIDC_TOKEN) ||
          (p === '/oauth/mcp' && !!bearer && issued.includes(bearer)) ||
          p === '/open/mcp';
        if (!allowed) {
          const wwwAuth: Record<string, string> = p === '/oauth/mcp' ? { 'www-authenticate': `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/oauth/mcp"` } : {};
          return json(res, 401, { error: 'unauthorized' }, wwwAuth);
        }
        return serveMcp(req, res, raw);
      }
      json(res, 404, { error: 'not found' });
    })().catch((err: Error) => { if (!res.headersSent) json(res, 500, { error: err.message }); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base, seen, authorizeRequests, issued,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
