// `local-agents mcp …`: probe a server with the same client code the agent uses (connect, list tools,
// optionally call one), and list/add/remove stored configs. Probe secrets come from flags or env.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { createApp } from '../app';
import { AppError } from '../errors';
import { callerFor } from '../handlers';
import { setLogLevel } from '../logger';
import {
  MCP_CONFIG_DEFAULTS, McpAuthTypeSchema, McpAvailabilitySchema, McpTransportSchema,
  type McpElicitParams, type McpElicitResult, type McpServerConfig,
} from '../protocol/mcp';
import type { McpServerDef } from '../mcp/configStore';
import { McpConnection, type ConnectionDeps } from '../mcp/connection';
import { convertToolResult } from '../mcp/resultConversion';
import { McpSecrets } from '../mcp/secrets';
import { exposedToolName } from '../mcp/toolNames';
import { defaultDbPath } from '../util/dataDir';

export const MCP_USAGE = `Usage:
  local-agents mcp probe URL [--transport streamable_http|sse] [--auth none|api_key|custom_headers|oauth2|user_oidc]
        [--header NAME:VALUE]... [--api-key-header NAME] [--client-id ID] [--scopes "a b"] [--client-metadata-url URL]
        [--call TOOL [--args JSON]] [--elicit accept|decline] [--timeout MS] [--json]
  local-agents mcp probe --transport stdio COMMAND [ARG]... [--env NAME=VALUE]... [--call TOOL [--args JSON]] [--json]
  local-agents mcp list [--db FILE] [--json]
  local-agents mcp add --slug SLUG (--url URL | --transport stdio --command CMD [--arg ARG]... [--env NAME]...) [--name NAME] [--auth TYPE] [--availability force_on|default_on|default_off] [--enable] [--db FILE]
        (--env names a variable the server gets from the environment of each run; values are never stored here:
         in VS Code, set them in the MCP Servers view, where they go to SecretStorage)
  local-agents mcp remove ID|SLUG [--db FILE]

Probe secrets: LOCAL_AGENTS_MCP_API_KEY (api_key), LOCAL_AGENTS_MCP_CLIENT_SECRET (oauth2 pre-registered client),
LOCAL_AGENTS_MCP_BEARER (user_oidc token). oauth2 authorizes without a browser when the authorization server
redirects at once; otherwise the URL is printed and the redirect is awaited on a loopback listener.`;

const options = {
  transport: { type: 'string' },
  auth: { type: 'string' },
  header: { type: 'string', multiple: true },
  'api-key-header': { type: 'string' },
  'client-id': { type: 'string' },
  scopes: { type: 'string' },
  'client-metadata-url': { type: 'string' },
  call: { type: 'string' },
  args: { type: 'string' },
  elicit: { type: 'string' },
  timeout: { type: 'string' },
  env: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  db: { type: 'string' },
  slug: { type: 'string' },
  name: { type: 'string' },
  url: { type: 'string' },
  command: { type: 'string' },
  arg: { type: 'string', multiple: true },
  enable: { type: 'boolean' },
  availability: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

function usageError(message: string): never {
  throw new AppError(2, `${message}\n\n${MCP_USAGE}`);
}

function keyValues(list: string[] | undefined, sep: string, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list ?? []) {
    const i = kv.indexOf(sep);
    if (i <= 0) usageError(`--${flag} "${kv}" is not NAME${sep}VALUE.`);
    out[kv.slice(0, i).trim()] = kv.slice(i + 1).trim();
  }
  return out;
}

/** Receives OAuth redirects: fetches the authorization URL (auto-approving servers redirect at once) or waits on a loopback listener. */
class BrowserlessAuthorizer {
  private server: Server | undefined;
  private waiting: { resolve(code: string): void; reject(err: Error): void } | undefined;
  private code: Promise<string> | undefined;
  redirectUrl = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', this.redirectUrl);
      const code = url.searchParams.get('code');
      res.writeHead(code ? 200 : 400, { 'content-type': 'text/plain' }).end(code ? 'Authorized. You can close this tab.' : 'Missing code.');
      if (code) this.waiting?.resolve(code);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.redirectUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/callback`;
  }

  async redirect(url: URL, expectedState: string): Promise<void> {
    this.code = new Promise<string>((resolve, reject) => { this.waiting = { resolve, reject }; });
    const res = await fetch(url, { redirect: 'manual' });
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      const back = new URL(location, url);
      const code = back.searchParams.get('code');
      if (back.searchParams.get('state') !== expectedState) throw new Error('The authorization server returned a different OAuth state: refusing the code.');
      if (!code) throw new Error(`The authorization server redirected without a code: ${back.searchParams.get('error') ?? 'no error given'}.`);
      this.waiting?.resolve(code);
      return;
    }
    await res.body?.cancel();
    process.stderr.write(`Open this URL to authorize:\n${url.href}\n`);
  }

  awaitCode(): Promise<string> {
    if (!this.code) return Promise.reject(new Error('No authorization is in progress.'));
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('No authorization within 5 minutes.')), 300_000).unref());
    return Promise.race([this.code, timeout]);
  }

  close(): void {
    this.server?.close();
  }
}

/** `mcp add --env NAME`: names only. A value would have to be stored in the database, which never holds secrets. */
function envNamesOnly(flags: string[] | undefined): string[] {
  return (flags ?? []).map((f) => {
    if (f.includes('=')) usageError(`--env ${f.split('=')[0]}: give the name only; the value is read from the environment when the server starts (it is never stored).`);
    return f;
  });
}

/** An enum flag checked by its schema: a wrong value is a usage error naming the flag. */
function enumFlag<T extends string>(schema: z.ZodType<T>, value: string, flag: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) usageError(`--${flag}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

function probeDef(flags: Flags, positionals: string[]): McpServerDef {
  const transport = { data: enumFlag(McpTransportSchema, flags.transport ?? 'streamable_http', 'transport') };
  const auth = { data: enumFlag(McpAuthTypeSchema, flags.auth ?? 'none', 'auth') };
  const [target, ...rest] = positionals;
  if (!target) usageError(transport.data === 'stdio' ? 'mcp probe: COMMAND is required.' : 'mcp probe: URL is required.');
  const headers = keyValues(flags.header, ':', 'header');
  return {
    ...MCP_CONFIG_DEFAULTS,
    id: 'probe',
    slug: 'probe',
    display_name: transport.data === 'stdio' ? path.basename(target) : target,
    transport: transport.data,
    url: transport.data === 'stdio' ? null : target,
    command: transport.data === 'stdio' ? target : null,
    args: rest,
    env_names: Object.keys(keyValues(flags.env, '=', 'env')),
    auth_type: auth.data,
    api_key_header: flags['api-key-header'] ?? (auth.data === 'api_key' ? 'Authorization' : null),
    custom_header_names: Object.keys(headers),
    oauth2_client_id: flags['client-id'] ?? null,
    oauth2_scopes: flags.scopes ?? '',
    oidc_provider_id: auth.data === 'user_oidc' ? 'cli' : null,
    enabled: true,
    workspace_local: false,
    workspace_source: null,
    updated_at: 0,
  };
}

async function runProbe(flags: Flags, positionals: string[]): Promise<number> {
  const def = probeDef(flags, positionals);
  const secrets = new McpSecrets();
  const headers = keyValues(flags.header, ':', 'header');
  if (Object.keys(headers).length > 0) secrets.set(def.id, 'custom_headers', JSON.stringify(headers));
  const env = keyValues(flags.env, '=', 'env');
  if (Object.keys(env).length > 0) secrets.set(def.id, 'stdio_env', JSON.stringify(env));
  if (process.env.LOCAL_AGENTS_MCP_API_KEY) secrets.set(def.id, 'api_key', process.env.LOCAL_AGENTS_MCP_API_KEY);
  if (process.env.LOCAL_AGENTS_MCP_CLIENT_SECRET) secrets.set(def.id, 'oauth2_client_secret', process.env.LOCAL_AGENTS_MCP_CLIENT_SECRET);
  const elicitMode = flags.elicit ?? 'accept';
  if (elicitMode !== 'accept' && elicitMode !== 'decline') usageError('--elicit must be accept or decline.');
  let callArgs: Record<string, unknown> = {};
  if (flags.args) {
    try {
      callArgs = JSON.parse(flags.args) as Record<string, unknown>;
    } catch (err) {
      usageError(`--args is not JSON: ${(err as Error).message}`);
    }
  }
  const out = (s: string) => process.stdout.write(s + '\n');
  const authorizer = def.auth_type === 'oauth2' ? new BrowserlessAuthorizer() : undefined;
  await authorizer?.start();
  const deps: ConnectionDeps = {
    secrets,
    db: null,
    oidc: { getToken: async () => process.env.LOCAL_AGENTS_MCP_BEARER ?? null },
    elicit: async (p: McpElicitParams): Promise<McpElicitResult> => {
      process.stderr.write(`elicitation from ${p.server_name}: ${p.message} → ${elicitMode}\n`);
      // Accept with nothing filled in: the client applies the schema's defaults.
      return elicitMode === 'accept' ? { action: 'accept', content: {} } : { action: 'decline' };
    },
    oauth: authorizer && {
      redirectUrl: authorizer.redirectUrl,
      clientMetadataUrl: flags['client-metadata-url'],
      onRedirect: (url) => authorizer.redirect(url, url.searchParams.get('state') ?? ''),
      awaitCode: () => authorizer.awaitCode(),
    },
  };
  let conn: McpConnection | undefined;
  try {
    conn = await McpConnection.open(def, deps);
    const info = conn.serverVersion;
    const report: Record<string, unknown> = {
      server: info ?? null,
      tools: conn.tools.map((t) => ({ name: t.name, exposed_name: exposedToolName(def.slug, t.name), description: t.description ?? '', input_schema: t.inputSchema })),
    };
    if (!flags.json) {
      out(`connected to ${info?.name ?? '?'} ${info?.version ?? ''}`.trim());
      out(`${conn.tools.length} tools: ${conn.tools.map((t) => t.name).join(', ')}`);
    }
    let isError = false;
    if (flags.call) {
      const timeoutMs = flags.timeout ? Number(flags.timeout) : def.tool_timeout_ms;
      if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) usageError('--timeout must be a positive number of milliseconds.');
      const converted = convertToolResult(await conn.callTool(flags.call, callArgs, { timeoutMs, toolCallId: `probe-${Date.now()}` }));
      report.call = { tool: flags.call, ...converted };
      isError = converted.is_error;
      if (!flags.json) out(`${flags.call}${isError ? ' (error)' : ''}: ${typeof converted.result === 'string' ? converted.result : JSON.stringify(converted.result, null, 2)}`);
    }
    if (flags.json) out(JSON.stringify(report, null, 2));
    return isError ? 1 : 0;
  } finally {
    await conn?.close();
    authorizer?.close();
  }
}

async function runConfigCommand(sub: string, flags: Flags, positionals: string[]): Promise<number> {
  const app = await createApp({ dbPath: flags.db ?? defaultDbPath(), runTurns: false });
  const call = callerFor(app);
  const print = (value: unknown, human: string) => process.stdout.write((flags.json ? JSON.stringify(value, null, 2) : human) + '\n');
  const line = (c: McpServerConfig) => `${c.id}  ${c.slug}  ${c.transport}  ${c.url ?? [c.command, ...c.args].join(' ')}  ${c.enabled ? 'enabled' : 'disabled'}  ${c.availability}${c.workspace_local ? '  (workspace)' : ''}`;
  try {
    if (sub === 'list') {
      const list = (await call('ListMcpServers', {}));
      print(list, list.map(line).join('\n') || '(no MCP servers)');
      return 0;
    }
    if (sub === 'add') {
      if (!flags.slug) usageError('mcp add: --slug is required.');
      const stdio = flags.transport === 'stdio' || (!!flags.command && !flags.url);
      const created = (await call('CreateMcpServer', {
        slug: flags.slug,
        display_name: flags.name ?? flags.slug,
        transport: stdio ? 'stdio' : enumFlag(McpTransportSchema, flags.transport ?? 'streamable_http', 'transport'),
        url: stdio ? null : (flags.url ?? null),
        command: stdio ? (flags.command ?? null) : null,
        args: flags.arg ?? [],
        env_names: envNamesOnly(flags.env),
        auth_type: enumFlag(McpAuthTypeSchema, flags.auth ?? 'none', 'auth'),
        availability: enumFlag(McpAvailabilitySchema, flags.availability ?? 'default_off', 'availability'),
        enabled: flags.enable ?? false,
      }));
      print(created, line(created));
      return 0;
    }
    if (sub === 'remove') {
      const target = positionals[0] ?? usageError('mcp remove: ID or SLUG is required.');
      const list = (await call('ListMcpServers', {}));
      const found = list.find((c) => c.id === target || c.slug.toLowerCase() === target.toLowerCase());
      if (!found) throw new AppError(404, 'MCP server config not found.', `No MCP server with id or slug "${target}".`);
      await call('DeleteMcpServer', { server_id: found.id });
      print({ deleted: found.id }, `deleted ${found.slug}`);
      return 0;
    }
    return usageError(`unknown mcp command "${sub}".`);
  } finally {
    await app.close();
  }
}

/** Entry point from cli/main.ts: argv after `mcp`. Throws AppError (status 2 = usage). */
export async function runMcpCli(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    return usageError((err as Error).message);
  }
  const { values: flags, positionals } = parsed;
  setLogLevel(flags.verbose ? 'debug' : 'warn');
  const [sub, ...rest] = positionals;
  if (flags.help || !sub) {
    process.stdout.write(MCP_USAGE + '\n');
    return flags.help ? 0 : 2;
  }
  if (sub === 'probe') return runProbe(flags, rest);
  return runConfigCommand(sub, flags, rest);
}
