// MCP server configs, their secrets, OAuth, elicitation and the workspace import: the params schemas and
// payload types of the MCP requests and notifications (the table is in methods.ts). Secret values travel
// only in requests to the server and in `secretChanged` to the extension host (which keeps them in
// SecretStorage); no response and no webview message ever carries one: configs carry `has_*` flags.
import { z } from 'zod';
import { MCP_SECRET_KINDS } from './methods';

const id = (field: string) => z.string({ error: `${field} is required.` }).min(1, `${field} is required.`);

export const McpTransportSchema = z.enum(['stdio', 'streamable_http', 'sse'], { error: 'Transport must be "stdio", "streamable_http" or "sse".' });
export type McpTransport = z.infer<typeof McpTransportSchema>;
export const McpAuthTypeSchema = z.enum(['none', 'api_key', 'custom_headers', 'oauth2', 'user_oidc'], {
  error: 'Auth type must be one of none, api_key, custom_headers, oauth2, user_oidc.',
});
export type McpAuthType = z.infer<typeof McpAuthTypeSchema>;
export const McpAvailabilitySchema = z.enum(['force_on', 'default_on', 'default_off'], { error: 'Availability must be force_on, default_on or default_off.' });
export type McpAvailability = z.infer<typeof McpAvailabilitySchema>;

/** Ten minutes: long tools (builds, searches) outlive the SDK's 60 s default. */
export const DEFAULT_MCP_TOOL_TIMEOUT_MS = 600_000;

const slug = z
  .string({ error: 'Slug is required.' })
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,47}$/, 'Slug must be 1-48 letters, digits, "_" or "-", starting with a letter or digit.');
const httpUrl = z.url({ protocol: /^https?$/, error: 'URL must be an absolute http or https URL.' });
const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'Header names must be HTTP tokens.');
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'Environment variable names are letters, digits and "_", not starting with a digit.');
const timeoutMs = z.number().int().min(1000, 'Timeouts must be at least 1000 ms.').max(86_400_000, 'Timeouts must be at most 24 hours.');

/** Fields a person edits, as stored. Secret values are separate (see McpSecretInputFields). */
export const McpServerConfigFields = z.object({
  slug,
  display_name: z.string().trim().min(1, 'Display name is required.').max(200),
  description: z.string().max(2000),
  icon_url: z.string().max(2000),
  transport: McpTransportSchema,
  /** streamable_http and sse. */
  url: httpUrl.nullable(),
  /** stdio: the command, its args, the names of its extra environment variables, and its working folder. */
  command: z.string().min(1).nullable(),
  args: z.array(z.string()),
  /** The values are secrets (SecretStorage; headless runs take them from their own environment). */
  env_names: z.array(envName),
  cwd: z.string().min(1).nullable(),
  auth_type: McpAuthTypeSchema,
  oauth2_client_id: z.string().min(1).nullable(),
  oauth2_auth_url: httpUrl.nullable(),
  oauth2_token_url: httpUrl.nullable(),
  /** Space-separated. */
  oauth2_scopes: z.string(),
  api_key_header: headerName.nullable(),
  /** Names of the custom headers; their values are secrets. */
  custom_header_names: z.array(headerName),
  /** user_oidc: VS Code authentication provider id (e.g. "microsoft") and scopes. */
  oidc_provider_id: z.string().min(1).nullable(),
  oidc_scopes: z.array(z.string()),
  tool_allow_list: z.array(z.string().min(1)),
  tool_deny_list: z.array(z.string().min(1)),
  availability: McpAvailabilitySchema,
  enabled: z.boolean(),
  model_intent: z.boolean(),
  allow_in_plan_mode: z.boolean(),
  /** Server-initiated sampling is declined unless this is on. */
  sampling_enabled: z.boolean(),
  tool_timeout_ms: timeoutMs,
  /** Per-tool overrides, by the server's own tool name. */
  tool_timeouts: z.record(z.string(), timeoutMs),
});
export type McpServerConfigFieldsType = z.infer<typeof McpServerConfigFields>;

/** What a create leaves out. (Not zod defaults: a partial update must not reset fields.) */
export const MCP_CONFIG_DEFAULTS = {
  description: '', icon_url: '', transport: 'streamable_http', url: null, command: null, args: [], env_names: [], cwd: null,
  auth_type: 'none', oauth2_client_id: null, oauth2_auth_url: null, oauth2_token_url: null, oauth2_scopes: '',
  api_key_header: null, custom_header_names: [], oidc_provider_id: null, oidc_scopes: [], tool_allow_list: [], tool_deny_list: [],
  availability: 'default_off', enabled: false, model_intent: false, allow_in_plan_mode: false, sampling_enabled: false,
  tool_timeout_ms: DEFAULT_MCP_TOOL_TIMEOUT_MS, tool_timeouts: {},
} satisfies Omit<McpServerConfigFieldsType, 'slug' | 'display_name'>;

/** Secrets that may accompany a create/update; kept in memory and handed to the extension to persist. */
export const McpSecretInputFields = z.object({
  /** stdio env values, by name (they join env_names); null removes every value. */
  env: z.record(envName, z.string().max(10240)).nullable().optional(),
  api_key_value: z.string().max(10240).nullable().optional(),
  custom_headers: z.record(headerName, z.string().max(10240)).nullable().optional(),
  oauth2_client_secret: z.string().max(10240).nullable().optional(),
});

export const McpServerConfigSchema = McpServerConfigFields.extend({
  id: z.string(),
  /** Imported from a VS Code / workspace mcp.json: never in plan mode, never to subagents. */
  workspace_local: z.boolean(),
  /** Where a workspace-local entry came from (the mcp.json path). */
  workspace_source: z.string().nullable(),
  /** Values are held for the env names (never the values themselves). */
  has_env: z.boolean(),
  has_api_key: z.boolean(),
  has_custom_headers: z.boolean(),
  has_oauth2_secret: z.boolean(),
  auth_connected: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type McpServerConfig = z.infer<typeof McpServerConfigSchema>;

// ---- configs ----
export const ListMcpServersParams = z.object({ include_workspace_local: z.boolean().optional() });
export const CreateMcpServerParams = McpServerConfigFields.partial().required({ slug: true, display_name: true }).extend(McpSecretInputFields.shape);
export type CreateMcpServerInput = z.input<typeof CreateMcpServerParams>;
export const UpdateMcpServerParams = z.object({ server_id: id('server_id') }).extend(McpServerConfigFields.partial().shape).extend(McpSecretInputFields.shape);
export const McpServerIdParams = z.object({ server_id: id('server_id') });

// ---- secrets (extension host only) ----
export const McpSecretKindSchema = z.enum(MCP_SECRET_KINDS);
export type McpSecretKind = z.infer<typeof McpSecretKindSchema>;
/** `value` is the secret as a string (JSON text for custom_headers, tokens and client information). */
export const SetMcpSecretParams = z.object({ server_id: id('server_id'), kind: McpSecretKindSchema, value: z.string().max(65536) });
export const ClearMcpSecretParams = z.object({ server_id: id('server_id'), kind: McpSecretKindSchema });

// ---- test connection ----
export interface McpToolInfo { name: string; exposed_name: string; description: string; input_schema: unknown; enabled: boolean }
export interface McpTestResult {
  ok: boolean;
  /** `connected`, `timeout`, `error`, `no_tools`, `unauthorized`. */
  outcome: string;
  error: string | null;
  duration_ms: number;
  server_name: string | null;
  server_version: string | null;
  tools: McpToolInfo[];
  warnings: string[];
}

// ---- OAuth ----
export const ConnectMcpOAuthParams = z.object({
  server_id: id('server_id'),
  /** Where the authorization server redirects: the extension's URI handler or a loopback listener. */
  redirect_uri: z.url({ error: 'redirect_uri must be an absolute URL.' }),
});
/** `authorization_url` null: already connected (tokens valid or refreshed). Open it with vscode.env.openExternal. */
export interface McpOAuthConnectResult { authorization_url: string | null; state: string | null; auth_connected: boolean }
export const CompleteMcpOAuthParams = z.object({
  server_id: id('server_id'),
  code: z.string().optional(),
  state: z.string().optional(),
});

// ---- workspace import (VS Code mcp.json) ----
export const ImportWorkspaceMcpParams = z.object({
  /** The mcp.json file the servers came from; a re-import from the same source replaces its entries. */
  source: z.string().min(1, 'Source is required.'),
  /** The parsed file's `servers` object (VS Code format: type stdio|http|sse, command/args/env/cwd or url/headers). */
  servers: z.record(z.string(), z.unknown(), { error: 'servers must be an object of server entries.' }),
});
export interface McpImportResult { imported: McpServerConfig[]; skipped: Array<{ name: string; reason: string }>; removed: number }

// ---- stdio env values stored in SQLite before they became secrets (extension host only) ----
export interface LegacyMcpEnv { server_id: string; env: Record<string, string> }
/** Values still in SQLite from before migration 7: the extension moves them to SecretStorage, then clears them. */
export const ClearLegacyMcpEnvParams = z.object({ server_ids: z.array(z.string().min(1)).max(1000) });


// ---- server → client requests ----
export const McpElicitParamsSchema = z.object({
  server_id: z.string(),
  server_name: z.string(),
  chat_id: z.string().nullable(),
  message: z.string(),
  /** A flat JSON Schema object (string/number/boolean/enum properties) describing the form. */
  requested_schema: z.record(z.string(), z.unknown()),
});
export type McpElicitParams = z.infer<typeof McpElicitParamsSchema>;
export interface McpElicitResult { action: 'accept' | 'decline' | 'cancel'; content?: Record<string, string | number | boolean | string[]> }
/** An MCP server asks the user for input: show a form (defaults are applied by the server side on accept). */

export interface McpOidcTokenParams { server_id: string; provider_id: string; scopes: string[] }
/** The extension answers with an access token from vscode.authentication.getSession (silently), or null. */

// ---- notifications (server → client) ----
/** A secret changed on the server (OAuth tokens saved/refreshed, secret given in a create/update): persist it in SecretStorage, or delete it when `value` is null. */
export interface McpSecretChangedParams { server_id: string; kind: McpSecretKind; value: string | null }
/** A config changed (created, updated, deleted, auth connected): refresh the management view. */
export interface McpServersChangedParams { server_id: string; kind: 'created' | 'updated' | 'deleted' }
