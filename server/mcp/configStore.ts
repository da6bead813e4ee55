// MCP server configs in SQLite: create, update, delete, list, with the cross-field rules checked on every
// write. Secret values never reach this file's tables; replies carry `has_*` flags read from McpSecrets.
import { randomUUID } from 'node:crypto';
import { AppError, badRequest, conflict, notFound } from '../errors';
import {
  MCP_CONFIG_DEFAULTS, McpServerConfigFields,
  type McpServerConfig, type McpServerConfigFieldsType,
} from '../protocol/mcp';
import type { Db } from '../store/db';
import { iso } from '../util/time';
import type { McpSecrets } from './secrets';

export interface McpConfigRow {
  id: string;
  slug: string;
  display_name: string;
  description: string;
  icon_url: string;
  transport: string;
  url: string | null;
  command: string | null;
  args: string;
  /** Only values written before migration 7, until the extension moves them to SecretStorage. */
  env: string;
  env_names: string;
  cwd: string | null;
  auth_type: string;
  oauth2_client_id: string | null;
  oauth2_auth_url: string | null;
  oauth2_token_url: string | null;
  oauth2_scopes: string;
  api_key_header: string | null;
  custom_header_names: string;
  oidc_provider_id: string | null;
  oidc_scopes: string;
  tool_allow_list: string;
  tool_deny_list: string;
  availability: string;
  enabled: number;
  model_intent: number;
  allow_in_plan_mode: number;
  sampling_enabled: number;
  tool_timeout_ms: number;
  tool_timeouts: string;
  workspace_local: number;
  workspace_source: string | null;
  created_at: number;
  updated_at: number;
}

/** A config as the connection code needs it: stored fields plus its id and locality. */
export type McpServerDef = McpServerConfigFieldsType & {
  id: string; workspace_local: boolean; workspace_source: string | null; updated_at: number;
  /** stdio env values still in SQLite from before migration 7 (never sent anywhere but to the server process). */
  legacy_env?: Record<string, string>;
};

const JSON_FIELDS = ['args', 'env_names', 'custom_header_names', 'oidc_scopes', 'tool_allow_list', 'tool_deny_list', 'tool_timeouts'] as const;
const BOOL_FIELDS = ['enabled', 'model_intent', 'allow_in_plan_mode', 'sampling_enabled'] as const;

export function defFromRow(row: McpConfigRow): McpServerDef {
  const { env: _legacy, ...stored } = row;
  const parsed = McpServerConfigFields.parse({
    ...stored,
    ...Object.fromEntries(JSON_FIELDS.map((f) => [f, JSON.parse(row[f]) as unknown])),
    ...Object.fromEntries(BOOL_FIELDS.map((f) => [f, row[f] === 1])),
  });
  const legacy = legacyEnvOf(row);
  return {
    ...parsed, id: row.id, workspace_local: row.workspace_local === 1, workspace_source: row.workspace_source, updated_at: row.updated_at,
    ...(legacy ? { legacy_env: legacy } : {}),
  };
}

export function legacyEnvOf(row: Pick<McpConfigRow, 'env'>): Record<string, string> | undefined {
  const env = JSON.parse(row.env || '{}') as Record<string, string>;
  return Object.keys(env).length > 0 ? env : undefined;
}

/** Values for a stdio server's env names: SecretStorage's (held in memory), else the legacy column, else this process's environment (headless runs). */
export function stdioEnvValues(def: McpServerDef, secrets: McpSecrets): Record<string, string> {
  const held = secrets.getJson<Record<string, string>>(def.id, 'stdio_env') ?? {};
  const out: Record<string, string> = {};
  for (const name of def.env_names) {
    const value = held[name] ?? def.legacy_env?.[name] ?? process.env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

export function hasOAuthTokens(secrets: McpSecrets, id: string): boolean {
  return secrets.has(id, 'oauth2_tokens');
}

export function configPayload(row: McpConfigRow, secrets: McpSecrets): McpServerConfig {
  const def = defFromRow(row);
  const { updated_at: _u, legacy_env: legacy, ...fields } = def;
  return {
    ...fields,
    has_env: secrets.has(row.id, 'stdio_env') || legacy !== undefined,
    has_api_key: secrets.has(row.id, 'api_key'),
    has_custom_headers: secrets.has(row.id, 'custom_headers'),
    has_oauth2_secret: secrets.has(row.id, 'oauth2_client_secret'),
    auth_connected: def.auth_type === 'oauth2' ? hasOAuthTokens(secrets, row.id) : false,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

/** The cross-field rules: 400 "Invalid MCP server config." naming the field. */
export function validateConfig(c: McpServerConfigFieldsType): void {
  const invalid = (field: string, detail: string) => badRequest('Invalid MCP server config.', detail, field);
  if (c.transport === 'stdio') {
    if (!c.command) throw invalid('command', 'A stdio server needs a command.');
    if (c.auth_type !== 'none') throw invalid('auth_type', 'Authentication applies to HTTP transports only; give a stdio server its credentials through env.');
  } else if (!c.url) {
    throw invalid('url', `A ${c.transport} server needs a url.`);
  }
  if (c.auth_type === 'api_key' && !c.api_key_header) throw invalid('api_key_header', 'api_key authentication needs the header name (api_key_header).');
  if (c.auth_type === 'user_oidc' && !c.oidc_provider_id) throw invalid('oidc_provider_id', 'user_oidc authentication needs the VS Code authentication provider id (oidc_provider_id).');
  if ((c.oauth2_auth_url === null) !== (c.oauth2_token_url === null)) {
    throw invalid(c.oauth2_auth_url ? 'oauth2_token_url' : 'oauth2_auth_url', 'Give both oauth2_auth_url and oauth2_token_url, or neither (then they are discovered).');
  }
  const lower = new Set(c.custom_header_names.map((h) => h.toLowerCase()));
  if (lower.size !== c.custom_header_names.length) throw badRequest('Invalid custom headers.', 'Header names must be unique.', 'custom_header_names');
}

export function getConfigRow(db: Db, id: string): McpConfigRow | undefined {
  return db.prepare<[string], McpConfigRow>('SELECT * FROM mcp_server_configs WHERE id = ?').get(id);
}

export function requireConfigRow(db: Db, id: string): McpConfigRow {
  const row = getConfigRow(db, id);
  if (!row) throw notFound('MCP server config not found.', `No MCP server config with id ${id}.`);
  return row;
}

export function listConfigRows(db: Db, opts: { includeWorkspaceLocal?: boolean } = {}): McpConfigRow[] {
  const where = opts.includeWorkspaceLocal === false ? 'WHERE workspace_local = 0' : '';
  return db.prepare<[], McpConfigRow>(`SELECT * FROM mcp_server_configs ${where} ORDER BY workspace_local, lower(slug), id`).all();
}

/** For chat create/send: 400 "One or more MCP server IDs are invalid." naming them, as the reference does. */
export function assertMcpServerIdsExist(db: Db, ids: string[]): void {
  const missing = ids.filter((id) => !getConfigRow(db, id));
  if (missing.length > 0) throw badRequest('One or more MCP server IDs are invalid.', `Invalid IDs: ${missing.join(', ')}`, 'mcp_server_ids');
}

export function findConfigBySlug(db: Db, slug: string): McpConfigRow | undefined {
  return db.prepare<[string], McpConfigRow>('SELECT * FROM mcp_server_configs WHERE lower(slug) = lower(?)').get(slug);
}

function toColumns(c: McpServerConfigFieldsType): Record<string, string | number | null> {
  const cols: Record<string, string | number | null> = {};
  for (const [k, v] of Object.entries(c)) {
    if ((JSON_FIELDS as readonly string[]).includes(k)) cols[k] = JSON.stringify(v);
    else if ((BOOL_FIELDS as readonly string[]).includes(k)) cols[k] = v ? 1 : 0;
    else cols[k] = v as string | number | null;
  }
  return cols;
}

function slugClash(err: unknown): boolean {
  return err instanceof Error && /UNIQUE constraint failed/.test(err.message);
}

export type McpConfigInput = Partial<McpServerConfigFieldsType> & Pick<McpServerConfigFieldsType, 'slug' | 'display_name'>;

export function createConfigRow(db: Db, input: McpConfigInput, now: number, local?: { source: string }): McpConfigRow {
  const fields: McpServerConfigFieldsType = { ...MCP_CONFIG_DEFAULTS, ...stripUndefined(input), slug: input.slug, display_name: input.display_name };
  validateConfig(fields);
  const id = randomUUID();
  const cols = { ...toColumns(fields), id, workspace_local: local ? 1 : 0, workspace_source: local?.source ?? null, created_at: now, updated_at: now };
  const names = Object.keys(cols);
  try {
    db.prepare(`INSERT INTO mcp_server_configs (${names.join(', ')}) VALUES (${names.map((n) => '@' + n).join(', ')})`).run(cols);
  } catch (err) {
    if (slugClash(err)) throw conflict('MCP server config slug already exists.', `Another MCP server uses the slug "${fields.slug}".`);
    throw err;
  }
  return requireConfigRow(db, id);
}

export function updateConfigRow(db: Db, id: string, patch: Partial<McpServerConfigFieldsType>, now: number): McpConfigRow {
  const row = requireConfigRow(db, id);
  const merged: McpServerConfigFieldsType = { ...defFromRow(row), ...stripUndefined(patch) };
  const { id: _i, workspace_local: _w, workspace_source: _s, updated_at: _u, legacy_env: _l, ...fields } = merged as McpServerDef;
  validateConfig(fields);
  const cols = { ...toColumns(fields), id, updated_at: now };
  try {
    db.prepare(`UPDATE mcp_server_configs SET ${Object.keys(cols).filter((n) => n !== 'id').map((n) => `${n} = @${n}`).join(', ')} WHERE id = @id`).run(cols);
  } catch (err) {
    if (slugClash(err)) throw conflict('MCP server config slug already exists.', `Another MCP server uses the slug "${fields.slug}".`);
    throw err;
  }
  return requireConfigRow(db, id);
}

export function deleteConfigRow(db: Db, id: string): void {
  requireConfigRow(db, id);
  db.prepare('DELETE FROM mcp_server_configs WHERE id = ?').run(id);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Parses stored/typed fields as the config schema does, turning a failure into "Invalid MCP server config.". */
export function parseConfigFields(raw: unknown): McpServerConfigFieldsType {
  const parsed = McpServerConfigFields.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.map(String).join('.') || undefined;
  throw new AppError(400, 'Invalid MCP server config.', issue ? `${field ? `${field}: ` : ''}${issue.message}` : undefined, field);
}

/** stdio env values still in SQLite from before migration 7 (for the extension to move into SecretStorage). */
export function legacyEnvRows(db: Db): Array<{ server_id: string; env: Record<string, string> }> {
  return listConfigRows(db).flatMap((r) => {
    const env = legacyEnvOf(r);
    return env ? [{ server_id: r.id, env }] : [];
  });
}

/** After the extension stored them in SecretStorage: the values leave the file (secure_delete zeroes them, the checkpoint drops old WAL frames). */
export function clearLegacyEnv(db: Db, ids: string[]): number {
  const upd = db.prepare("UPDATE mcp_server_configs SET env = '{}' WHERE id = ? AND env != '{}'");
  const n = db.transaction(() => ids.reduce((sum, id) => sum + upd.run(id).changes, 0))();
  if (n > 0) db.pragma('wal_checkpoint(TRUNCATE)');
  return n;
}
