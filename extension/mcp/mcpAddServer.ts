// Add MCP Server, guided: transport → URL or command and args → slug and name → auth and its fields →
// availability and options. Secret values are only in the create request (the server hands them to
// SecretStorage through `secretChanged`).
import path from 'node:path';
import * as vscode from 'vscode';
import type { CreateMcpServerInput, McpTransport } from '../../server/protocol/mcp';
import { splitCommandLine } from './commandLine';
import {
  askCustomHeaders, askOidcProvider, askPick, askText, AUTH_TYPE_ITEMS, AVAILABILITY_ITEMS, fieldError, splitScopes,
} from './mcpPrompts';

const TRANSPORT_ITEMS: Array<{ label: string; description: string; value: McpTransport }> = [
  { label: 'Local command (stdio)', description: 'runs a program on this machine', value: 'stdio' },
  { label: 'Streamable HTTP', description: 'a URL', value: 'streamable_http' },
  { label: 'SSE', description: 'a URL (older HTTP + Server-Sent Events)', value: 'sse' },
];

/** A slug suggestion from the package, file or host name. */
export function suggestSlug(input: { command?: string; args?: string[]; url?: string }): string {
  let base = '';
  if (input.url) {
    try { base = new URL(input.url).hostname.split('.').filter((p) => p !== 'www' && p !== 'mcp')[0] ?? ''; } catch { base = ''; }
  } else {
    const pkg = (input.args ?? []).find((a) => !a.startsWith('-')) ?? input.command ?? '';
    base = path.basename(pkg).replace(/\.(m?js|cjs|ts|py)$/, '').replace(/^(index|main)$/, path.basename(path.dirname(pkg)));
    base = base.replace(/^@[^/]+\//, '').replace(/^(mcp-)?server-/, '');
  }
  const slug = base.replace(/[^a-zA-Z0-9_-]/g, '-').replace(/^[-_]+/, '').slice(0, 48);
  return slug || 'mcp-server';
}

export async function promptNewServer(): Promise<CreateMcpServerInput | undefined> {
  const step = (n: string) => `Add MCP Server (${n})`;
  const transport = await askPick(step('transport'), TRANSPORT_ITEMS, 'How does VS Code reach the server?');
  if (!transport) return undefined;
  const input: Partial<CreateMcpServerInput> = { transport };
  if (transport === 'stdio') {
    const command = await askText({ title: step('command'), prompt: 'Program to run', placeHolder: 'npx, node, uvx, /path/to/server', validate: (v) => (v.trim() ? undefined : 'The command is required.') });
    if (command === undefined) return undefined;
    const argsLine = await askText({
      title: step('arguments'), prompt: 'Arguments (quotes for spaces)', placeHolder: '-y @modelcontextprotocol/server-everything',
      validate: (v) => { try { splitCommandLine(v); return undefined; } catch (err) { return (err as Error).message; } },
    });
    if (argsLine === undefined) return undefined;
    Object.assign(input, { command: command.trim(), args: splitCommandLine(argsLine) });
  } else {
    const url = await askText({ title: step('URL'), prompt: 'Server URL', placeHolder: 'https://example.com/mcp', validate: (v) => fieldError('url', v.trim()) });
    if (url === undefined) return undefined;
    input.url = url.trim();
  }
  const slug = await askText({
    title: step('slug'), prompt: 'Short unique id; tools reach the model as <slug>__<tool>', value: suggestSlug({ command: input.command ?? undefined, args: input.args, url: input.url ?? undefined }),
    validate: (v) => fieldError('slug', v),
  });
  if (slug === undefined) return undefined;
  const name = await askText({ title: step('name'), prompt: 'Display name', value: slug, validate: (v) => fieldError('display_name', v) });
  if (name === undefined) return undefined;
  Object.assign(input, { slug, display_name: name.trim() });
  if (transport !== 'stdio' && !(await promptAuth(input))) return undefined;
  const availability = await askPick(step('availability'), AVAILABILITY_ITEMS, 'In which chats is it on?');
  if (!availability) return undefined;
  input.availability = availability;
  const options = await askOptions(step('options'));
  if (!options) return undefined;
  Object.assign(input, options, { enabled: true });
  return input as CreateMcpServerInput;
}

async function askOptions(title: string): Promise<{ model_intent: boolean; allow_in_plan_mode: boolean } | undefined> {
  const picked = await vscode.window.showQuickPick([
    { label: 'model_intent', description: 'the model says why it calls each tool; shown as the call\'s label', key: 'model_intent' as const },
    { label: 'Allow in plan mode', description: 'its tools stay available while planning', key: 'allow_in_plan_mode' as const },
  ], { title, placeHolder: 'Options (Enter to continue)', canPickMany: true, ignoreFocusOut: true });
  if (!picked) return undefined;
  return { model_intent: picked.some((p) => p.key === 'model_intent'), allow_in_plan_mode: picked.some((p) => p.key === 'allow_in_plan_mode') };
}

/** Auth type and its fields into `input`; false on Escape. */
async function promptAuth(input: Partial<CreateMcpServerInput>): Promise<boolean> {
  const title = 'Add MCP Server (authentication)';
  const auth = await askPick(title, AUTH_TYPE_ITEMS, 'How does the server authenticate requests?');
  if (!auth) return false;
  input.auth_type = auth;
  if (auth === 'api_key') {
    const header = await askText({ title, prompt: 'Header that carries the key', value: 'Authorization', validate: (v) => fieldError('api_key_header', v) });
    if (header === undefined) return false;
    const value = await askText({ title, prompt: `Value of ${header} (kept in VS Code's secret storage), e.g. "Bearer sk-…"`, password: true, validate: (v) => (v ? undefined : 'The key is required.') });
    if (value === undefined) return false;
    Object.assign(input, { api_key_header: header, api_key_value: value });
  } else if (auth === 'custom_headers') {
    const headers = await askCustomHeaders(title);
    if (!headers) return false;
    input.custom_headers = headers;
  } else if (auth === 'oauth2') {
    const clientId = await askText({ title, prompt: 'Client id (leave empty to register dynamically)' });
    if (clientId === undefined) return false;
    const secret = clientId ? await askText({ title, prompt: 'Client secret (leave empty for a public client)', password: true }) : '';
    if (secret === undefined) return false;
    const scopes = await askText({ title, prompt: 'Scopes, space-separated (leave empty for the server\'s defaults)' });
    if (scopes === undefined) return false;
    Object.assign(input, { oauth2_client_id: clientId || null, oauth2_scopes: scopes.trim() }, secret ? { oauth2_client_secret: secret } : {});
  } else if (auth === 'user_oidc') {
    const provider = await askOidcProvider(title);
    if (provider === undefined) return false;
    const scopes = await askText({ title, prompt: 'Scopes, space-separated', placeHolder: 'openid profile' });
    if (scopes === undefined) return false;
    Object.assign(input, { oidc_provider_id: provider, oidc_scopes: splitScopes(scopes) });
  }
  return true;
}
