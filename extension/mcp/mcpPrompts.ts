// The quick inputs of the MCP forms, each checked with the protocol's own field schema so a wrong value
// is named before it reaches the server. `undefined` from any of them = Escape.
import * as vscode from 'vscode';
import type { McpAuthType, McpAvailability, McpServerConfigFields } from '../../server/protocol/mcp';
import { loadProtocolSchemas } from '../lazyBundles';

type FieldName = keyof typeof McpServerConfigFields.shape;

/**
 * The protocol's message for a value of `field`, or undefined when the server will take it. The schemas
 * (zod) load on the first check, not when the extension activates.
 */
export function fieldError(field: FieldName, value: unknown): string | undefined {
  const r = loadProtocolSchemas().McpServerConfigFields.shape[field].safeParse(value);
  return r.success ? undefined : r.error.issues[0]?.message;
}

export interface TextAsk {
  title: string;
  prompt?: string;
  value?: string;
  placeHolder?: string;
  password?: boolean;
  validate?: (v: string) => string | undefined;
}

export async function askText(o: TextAsk): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: o.title, prompt: o.prompt, value: o.value, placeHolder: o.placeHolder, password: o.password, ignoreFocusOut: true,
    validateInput: o.validate,
  });
}

export async function askPick<T>(title: string, items: Array<{ label: string; description?: string; detail?: string; value: T }>, placeHolder?: string): Promise<T | undefined> {
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder, ignoreFocusOut: true, matchOnDescription: true });
  return picked?.value;
}

export const AUTH_TYPE_ITEMS: Array<{ label: string; description: string; value: McpAuthType }> = [
  { label: 'None', description: 'no authentication', value: 'none' },
  { label: 'API key', description: 'one header with a secret value', value: 'api_key' },
  { label: 'Custom headers', description: 'several headers with secret values', value: 'custom_headers' },
  { label: 'OAuth 2.1', description: 'sign in in the browser (discovery, PKCE)', value: 'oauth2' },
  { label: 'Your VS Code account (OIDC)', description: 'forward the access token of a VS Code authentication session', value: 'user_oidc' },
];

export const AVAILABILITY_ITEMS: Array<{ label: string; description: string; value: McpAvailability }> = [
  { label: 'Off by default', description: 'default_off: pick it per chat', value: 'default_off' },
  { label: 'On by default', description: 'default_on: preselected in new messages', value: 'default_on' },
  { label: 'Always on', description: 'force_on: in every chat', value: 'force_on' },
];

export const OIDC_PROVIDER_ITEMS = [
  { label: 'microsoft', description: 'Microsoft account / Entra ID', value: 'microsoft' },
  { label: 'github', description: 'GitHub', value: 'github' },
  { label: 'Other…', description: 'type the authentication provider id', value: '' },
];

/** Header name + secret value pairs, one at a time, until an empty name. */
export async function askCustomHeaders(title: string): Promise<Record<string, string> | undefined> {
  const headers: Record<string, string> = {};
  for (let n = 1; ; n++) {
    const name = await askText({
      title, prompt: `Header ${n} name (leave empty when done)`, placeHolder: 'X-Api-Token',
      validate: (v) => (v === '' ? (n === 1 ? 'Add at least one header.' : undefined) : fieldError('api_key_header', v)),
    });
    if (name === undefined) return undefined;
    if (name === '') return headers;
    const value = await askText({ title, prompt: `Value of ${name} (kept in VS Code's secret storage)`, password: true });
    if (value === undefined) return undefined;
    headers[name] = value;
  }
}

export async function askOidcProvider(title: string, current?: string | null): Promise<string | undefined> {
  const picked = await askPick(title, OIDC_PROVIDER_ITEMS, current ? `Current: ${current}` : 'VS Code authentication provider');
  if (picked === undefined) return undefined;
  if (picked) return picked;
  return askText({ title, prompt: 'Authentication provider id', value: current ?? '', validate: (v) => (v.trim() ? undefined : 'The provider id is required.') });
}

export const splitScopes = (s: string): string[] => s.split(/[\s,]+/).filter(Boolean);
