// Edit MCP Server: pick a field (its current value shown), change it, saved at once; the picker comes
// back until Escape. Secret fields show only whether a value is set and take a new one.
import * as vscode from 'vscode';
import type { McpServerConfig, UpdateMcpServerParams } from '../../server/protocol/mcp';
import { UpdateMcpServer } from '../../server/protocol/methods';
import type { z } from 'zod';
import type { AgentsContext } from '../context';
import { joinCommandLine, parseEnvEntries, splitCommandLine } from './commandLine';
import {
  askCustomHeaders, askOidcProvider, askPick, askText, AUTH_TYPE_ITEMS, AVAILABILITY_ITEMS, fieldError, splitScopes,
} from './mcpPrompts';

export type McpUpdate = Omit<z.input<typeof UpdateMcpServerParams>, 'server_id'>;

interface FieldEditor {
  label: string;
  show: (c: McpServerConfig) => string;
  applies?: (c: McpServerConfig) => boolean;
  edit: (c: McpServerConfig, title: string) => Promise<McpUpdate | undefined>;
}

const http = (c: McpServerConfig) => c.transport !== 'stdio';
const stdio = (c: McpServerConfig) => c.transport === 'stdio';
const set = (v: boolean) => (v ? 'set' : 'not set');
const onOff = (v: boolean) => (v ? 'on' : 'off');

function text(label: string, field: 'display_name' | 'description' | 'oauth2_scopes', applies?: FieldEditor['applies']): FieldEditor {
  return {
    label, applies, show: (c) => c[field] || '(empty)',
    edit: async (c, title) => {
      const v = await askText({ title, prompt: label, value: c[field], validate: (x) => fieldError(field, x) });
      return v === undefined ? undefined : { [field]: v };
    },
  };
}

function nullableText(label: string, field: 'url' | 'command' | 'cwd' | 'oauth2_client_id' | 'oauth2_auth_url' | 'oauth2_token_url', applies: FieldEditor['applies'], hint = 'leave empty to clear'): FieldEditor {
  return {
    label, applies, show: (c) => c[field] ?? '(not set)',
    edit: async (c, title) => {
      const v = await askText({ title, prompt: `${label} (${hint})`, value: c[field] ?? '', validate: (x) => fieldError(field, x.trim() === '' ? null : x.trim()) });
      return v === undefined ? undefined : { [field]: v.trim() === '' ? null : v.trim() };
    },
  };
}

function toggle(label: string, field: 'enabled' | 'model_intent' | 'allow_in_plan_mode' | 'sampling_enabled'): FieldEditor {
  return { label, show: (c) => onOff(c[field]), edit: async (c) => ({ [field]: !c[field] }) };
}

function list(label: string, field: 'tool_allow_list' | 'tool_deny_list'): FieldEditor {
  return {
    label, show: (c) => c[field].join(', ') || '(empty)',
    edit: async (c, title) => {
      const v = await askText({ title, prompt: `${label}: tool names separated by commas`, value: c[field].join(', ') });
      return v === undefined ? undefined : { [field]: v.split(',').map((s) => s.trim()).filter(Boolean) };
    },
  };
}

const EDITORS: FieldEditor[] = [
  text('Display name', 'display_name'),
  text('Description', 'description'),
  toggle('Enabled', 'enabled'),
  { label: 'Availability', show: (c) => c.availability, edit: async (_c, title) => { const v = await askPick(title, AVAILABILITY_ITEMS); return v && { availability: v }; } },
  toggle('model_intent', 'model_intent'),
  toggle('Allow in plan mode', 'allow_in_plan_mode'),
  toggle('Sampling (server-initiated model calls)', 'sampling_enabled'),
  nullableText('URL', 'url', http, 'absolute http(s) URL'),
  nullableText('Command', 'command', stdio, 'program to run'),
  {
    label: 'Arguments', applies: stdio, show: (c) => joinCommandLine(c.args) || '(none)',
    edit: async (c, title) => {
      const v = await askText({ title, prompt: 'Arguments (quotes for spaces)', value: joinCommandLine(c.args), validate: (x) => { try { splitCommandLine(x); return undefined; } catch (err) { return (err as Error).message; } } });
      return v === undefined ? undefined : { args: splitCommandLine(v) };
    },
  },
  {
    // Only the names ever come back: env values are secrets (SecretStorage), often tokens.
    label: 'Environment', applies: stdio, show: (c) => (c.env_names.join(', ') || '(none)') + (c.env_names.length > 0 && !c.has_env ? ' (no values stored)' : ''),
    edit: async (c, title) => {
      const v = await askText({ title, prompt: 'Variables separated by ";": NAME=value sets a value (kept in SecretStorage), a bare NAME keeps the stored one', value: c.env_names.join('; '),
        validate: (x) => { try { parseEnvEntries(x); return undefined; } catch (err) { return (err as Error).message; } } });
      if (v === undefined) return undefined;
      const { names, values } = parseEnvEntries(v);
      return { env_names: names, env: values };
    },
  },
  nullableText('Working folder', 'cwd', stdio),
  { label: 'Authentication', applies: http, show: (c) => c.auth_type, edit: async (_c, title) => { const v = await askPick(title, AUTH_TYPE_ITEMS); return v && { auth_type: v }; } },
  {
    label: 'API key header', applies: (c) => c.auth_type === 'api_key', show: (c) => c.api_key_header ?? '(not set)',
    edit: async (c, title) => { const v = await askText({ title, prompt: 'Header name', value: c.api_key_header ?? 'Authorization', validate: (x) => fieldError('api_key_header', x) }); return v === undefined ? undefined : { api_key_header: v }; },
  },
  {
    label: 'API key value', applies: (c) => c.auth_type === 'api_key', show: (c) => set(c.has_api_key),
    edit: async (_c, title) => { const v = await askText({ title, prompt: 'New key (empty removes it)', password: true }); return v === undefined ? undefined : { api_key_value: v || null }; },
  },
  {
    label: 'Custom headers', applies: (c) => c.auth_type === 'custom_headers', show: (c) => `${c.custom_header_names.join(', ') || '(none)'} · values ${set(c.has_custom_headers)}`,
    edit: async (_c, title) => { const v = await askCustomHeaders(title); return v && { custom_headers: v }; },
  },
  nullableText('OAuth client id', 'oauth2_client_id', (c) => c.auth_type === 'oauth2', 'empty: dynamic registration'),
  {
    label: 'OAuth client secret', applies: (c) => c.auth_type === 'oauth2', show: (c) => set(c.has_oauth2_secret),
    edit: async (_c, title) => { const v = await askText({ title, prompt: 'Client secret (empty removes it)', password: true }); return v === undefined ? undefined : { oauth2_client_secret: v || null }; },
  },
  text('OAuth scopes', 'oauth2_scopes', (c) => c.auth_type === 'oauth2'),
  nullableText('OAuth authorization URL', 'oauth2_auth_url', (c) => c.auth_type === 'oauth2', 'empty: discovered'),
  nullableText('OAuth token URL', 'oauth2_token_url', (c) => c.auth_type === 'oauth2', 'empty: discovered'),
  {
    label: 'OIDC provider', applies: (c) => c.auth_type === 'user_oidc', show: (c) => c.oidc_provider_id ?? '(not set)',
    edit: async (c, title) => { const v = await askOidcProvider(title, c.oidc_provider_id); return v === undefined ? undefined : { oidc_provider_id: v }; },
  },
  {
    label: 'OIDC scopes', applies: (c) => c.auth_type === 'user_oidc', show: (c) => c.oidc_scopes.join(' ') || '(none)',
    edit: async (c, title) => { const v = await askText({ title, prompt: 'Scopes, space-separated', value: c.oidc_scopes.join(' ') }); return v === undefined ? undefined : { oidc_scopes: splitScopes(v) }; },
  },
  list('Allowed tools', 'tool_allow_list'),
  list('Denied tools', 'tool_deny_list'),
  {
    label: 'Tool timeout', show: (c) => `${c.tool_timeout_ms / 1000} s`,
    edit: async (c, title) => {
      const v = await askText({ title, prompt: 'Seconds a tool call may take', value: String(c.tool_timeout_ms / 1000),
        validate: (x) => (Number.isFinite(Number(x)) ? fieldError('tool_timeout_ms', Math.round(Number(x) * 1000)) : 'Enter a number of seconds.') });
      return v === undefined ? undefined : { tool_timeout_ms: Math.round(Number(v) * 1000) };
    },
  },
];

export async function updateMcpServer(ctx: AgentsContext, serverId: string, update: McpUpdate): Promise<McpServerConfig> {
  return ctx.request(UpdateMcpServer, { server_id: serverId, ...update });
}

/** Loops over the field picker; returns the last saved config (or the one given when nothing changed). */
export async function editMcpServer(ctx: AgentsContext, config: McpServerConfig, saved: (c: McpServerConfig) => void): Promise<McpServerConfig> {
  let current = config;
  while (true) {
    const items = EDITORS.filter((e) => !e.applies || e.applies(current)).map((e) => ({ label: e.label, description: e.show(current), value: e }));
    const editor = await askPick(`Edit MCP Server: ${current.display_name}`, items, 'Pick a field to change (Escape when done)');
    if (!editor) return current;
    const update = await editor.edit(current, `${current.display_name}: ${editor.label}`);
    if (!update) continue;
    try {
      current = await updateMcpServer(ctx, current.id, update);
      saved(current);
    } catch (err) {
      void vscode.window.showErrorMessage(`Local Agents: ${(err as Error).message}`);
    }
  }
}
