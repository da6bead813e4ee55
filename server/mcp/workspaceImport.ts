// Imports the servers of a VS Code `mcp.json` (user or workspace) as workspace-local MCP entries: kept
// apart from configured servers, usable in normal turns, never in plan mode or by subagents. A re-import
// of the same file updates entries in place (ids survive, so chats keep their selection).
import path from 'node:path';
import { z } from 'zod';
import type { McpImportResult } from '../protocol/mcp';
import type { Db } from '../store/db';
import {
  configPayload, createConfigRow, deleteConfigRow, findConfigBySlug, listConfigRows, updateConfigRow, type McpConfigInput,
} from './configStore';
import type { McpSecrets } from './secrets';
import { sanitizeToolNamePart } from './toolNames';

const Entry = z.object({
  type: z.enum(['stdio', 'http', 'sse']).optional(),
  command: z.string().min(1).optional(),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional(),
  cwd: z.string().optional(),
  url: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

interface Resolved { input: McpConfigInput; headers: Record<string, string> | null; env?: Record<string, string> }

/** `${workspaceFolder}` and `${env:NAME}` are resolved; `${input:…}` values are prompted in VS Code and cannot be. */
function resolveVars(value: string, workspaceFolder: string): string {
  if (/\$\{input:[^}]*\}/.test(value)) throw new Error('uses ${input:…} variables (values VS Code prompts for); add it in the MCP servers view instead');
  return value
    .replace(/\$\{workspaceFolder\}/g, workspaceFolder)
    .replace(/\$\{userHome\}/g, process.env.HOME ?? '')
    .replace(/\$\{env:([^}]+)\}/g, (_m, name: string) => process.env[name] ?? '');
}

function resolveEntry(name: string, raw: unknown, workspaceFolder: string): Resolved {
  const parsed = Entry.safeParse(raw);
  if (!parsed.success) throw new Error(`not a server entry (${parsed.error.issues[0]?.path.join('.') || 'entry'}: ${parsed.error.issues[0]?.message})`);
  const e = parsed.data;
  const v = (s: string) => resolveVars(s, workspaceFolder);
  const slug = sanitizeToolNamePart(name).replace(/^[_-]+/, '').slice(0, 48) || 'server';
  const common = { slug, display_name: name, enabled: true, availability: 'default_off' as const };
  const type = e.type ?? (e.command ? 'stdio' : 'http');
  if (type === 'stdio') {
    if (!e.command) throw new Error('a stdio entry needs "command"');
    const env = Object.fromEntries(Object.entries(e.env ?? {}).filter(([, x]) => x !== null).map(([k, x]) => [k, v(String(x))]));
    return { input: { ...common, transport: 'stdio', command: v(e.command), args: (e.args ?? []).map(v), env_names: Object.keys(env), cwd: e.cwd ? v(e.cwd) : workspaceFolder }, headers: null, env };
  }
  if (!e.url) throw new Error(`an ${type} entry needs "url"`);
  const headers = e.headers ? Object.fromEntries(Object.entries(e.headers).map(([k, x]) => [k, v(x)])) : null;
  return {
    input: {
      ...common,
      transport: type === 'sse' ? 'sse' : 'streamable_http',
      url: v(e.url),
      auth_type: headers ? 'custom_headers' : 'none',
      custom_header_names: headers ? Object.keys(headers) : [],
    },
    headers,
  };
}

/** `<folder>/.vscode/mcp.json` → `<folder>`; any other file → its folder. */
export function workspaceFolderOf(source: string): string {
  const dir = path.dirname(source);
  return path.basename(dir) === '.vscode' ? path.dirname(dir) : dir;
}

export function importWorkspaceMcp(db: Db, secrets: McpSecrets, source: string, servers: Record<string, unknown>, now: number): McpImportResult {
  const folder = workspaceFolderOf(source);
  const existing = new Map(listConfigRows(db).filter((r) => r.workspace_local === 1 && r.workspace_source === source).map((r) => [r.display_name, r]));
  const imported: McpImportResult['imported'] = [];
  const skipped: McpImportResult['skipped'] = [];
  const seen = new Set<string>();
  for (const [name, raw] of Object.entries(servers)) {
    let resolved: Resolved;
    try {
      resolved = resolveEntry(name, raw, folder);
    } catch (err) {
      skipped.push({ name, reason: (err as Error).message });
      continue;
    }
    try {
      const prior = existing.get(name);
      let row;
      if (prior) {
        const { slug: _keepSlug, ...rest } = resolved.input;
        row = updateConfigRow(db, prior.id, rest, now);
      } else {
        let slug = resolved.input.slug;
        for (let n = 2; findConfigBySlug(db, slug); n++) slug = `${resolved.input.slug.slice(0, 44)}-${n}`;
        row = createConfigRow(db, { ...resolved.input, slug }, now, { source });
      }
      if (resolved.headers) secrets.set(row.id, 'custom_headers', JSON.stringify(resolved.headers));
      // env values are secrets too: held in memory, persisted by the extension in SecretStorage.
      if (resolved.env) secrets.set(row.id, 'stdio_env', Object.keys(resolved.env).length > 0 ? JSON.stringify(resolved.env) : null);
      seen.add(row.id);
      imported.push(configPayload(row, secrets));
    } catch (err) {
      skipped.push({ name, reason: (err as Error).message + ((err as { detail?: string }).detail ? `: ${(err as { detail?: string }).detail}` : '') });
    }
  }
  let removed = 0;
  for (const row of existing.values()) {
    if (seen.has(row.id)) continue;
    deleteConfigRow(db, row.id);
    secrets.forget(row.id);
    removed++;
  }
  return { imported, skipped, removed };
}
