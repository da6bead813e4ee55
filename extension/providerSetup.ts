// The host side of the provider form (the first-run card in the chat view and the management panel): the key
// is asked in VS Code's own input box and held here until the provider is saved, then kept in SecretStorage;
// the webview never sees it. Testing, listing models and saving are the server's.
import * as vscode from 'vscode';
import type { ErrorData } from '../server/protocol';
import type { SetupProviderResult } from '../server/protocol/requests';
import { FetchProviderModels, ListProviders, SetProviderKey, SetupProvider, TestProvider, UpdateProvider } from '../server/protocol/methods';
import type { HostToWebview, ProviderFields, ProviderSetupOp, WebviewToHost } from '../server/protocol/webview';
import type { AgentsContext } from './context';

type SetupMessage = Extract<WebviewToHost, { type: 'providerSetup' }>;
type SetupResult = Extract<HostToWebview, { type: 'providerSetupResult' }>;
type SaveOp = Extract<ProviderSetupOp, { op: 'save' }>;

/**
 * Saves a provider with its default model, and its key (when one was given) to SecretStorage and the server.
 * Without a provider_name it is the provider at this URL (the first run); with one, that named instance.
 */
export async function saveProvider(ctx: AgentsContext, form: Omit<SaveOp, 'op'>, key: string | undefined): Promise<SetupProviderResult> {
  const saved = await ctx.request(SetupProvider, {
    base_url: form.base_url, model: form.model, provider: form.provider, provider_name: form.provider_name, options: form.options,
    model_options: form.model_options, context_limit: form.context_limit,
  });
  if (form.key_env !== undefined && form.key_env !== saved.provider.key_env) {
    saved.provider = await ctx.request(UpdateProvider, { provider_id: saved.provider.id, key_env: form.key_env });
  }
  if (key) await storeKey(ctx, saved.provider.id, key);
  ctx.panels.broadcast({ type: 'providersChanged' });
  return saved;
}

async function storeKey(ctx: AgentsContext, providerId: string, key: string): Promise<void> {
  await ctx.secrets.store(providerId, key);
  await ctx.request(SetProviderKey, { provider_id: providerId, api_key: key });
}

/** A name the user typed that another provider has: said next to the name field before anything is written. */
async function assertNameFree(ctx: AgentsContext, name: string | undefined, self?: string): Promise<void> {
  if (!name) return;
  const taken = (await ctx.request(ListProviders, {})).find((p) => p.provider_name === name.trim() && p.id !== self);
  if (taken) throw Object.assign(new Error(`A provider named "${name.trim()}" is already configured.`), { data: { status: 409, field: 'provider_name' } });
}

/** The server's words and the field it names; a conflict's detail says which name or id. */
export function errorFields(err: unknown): { error: string; field?: string } {
  const data = (err as { data?: ErrorData }).data;
  const message = (err as Error).message;
  const withDetail = data?.detail && (data.status === 404 || data.status === 409) && !message.includes(data.detail);
  return { error: withDetail ? `${message} ${data.detail}` : message, field: data?.field };
}

const target = (m: ProviderFields) => ({ base_url: m.base_url, provider: m.provider, options: m.options, provider_id: m.provider_id });

/** The open forms' keys, per form (a webview may show several: the new provider and an edit). */
export class ProviderDraft {
  private readonly keys = new Map<string, string>();

  constructor(private readonly ctx: AgentsContext) {}

  async handle(m: SetupMessage): Promise<SetupResult> {
    const form = m.form ?? '';
    const key = this.keys.get(form);
    const done = (r: Omit<SetupResult, 'type' | 'requestId'>): SetupResult => ({ type: 'providerSetupResult', requestId: m.requestId, ...r });
    try {
      switch (m.op) {
        case 'askKey': {
          const typed = await vscode.window.showInputBox({ title: 'Local Agents: API key', prompt: 'The provider\'s API key (kept in VS Code\'s secret storage, never shown to the view)', password: true, ignoreFocusOut: true });
          if (typed?.trim()) this.keys.set(form, typed.trim());
          else if (typed !== undefined) this.keys.delete(form);
          return done({ ok: true, has_key: this.keys.has(form) });
        }
        case 'clearKey':
          this.keys.delete(form);
          return done({ ok: true, has_key: false });
        case 'models': {
          const { models, details } = await this.ctx.request(FetchProviderModels, { ...target(m), api_key: key });
          return done({ ok: true, models, details });
        }
        case 'test':
          return done({ ok: true, test: await this.ctx.request(TestProvider, { ...target(m), api_key: key, model: m.model }) });
        case 'save': {
          await assertNameFree(this.ctx, m.provider_name);
          const saved = await saveProvider(this.ctx, m, key);
          this.keys.delete(form);
          void vscode.window.showInformationMessage(`Local Agents: using ${m.model} at ${saved.provider.base_url}.`);
          return done({ ok: true, provider: saved.provider });
        }
        case 'update': {
          await assertNameFree(this.ctx, m.provider_name, m.provider_id);
          const provider = await this.ctx.request(UpdateProvider, {
            provider_id: m.provider_id, provider: m.provider, base_url: m.base_url, options: m.options,
            ...(m.provider_name ? { provider_name: m.provider_name.trim() } : {}), ...(m.key_env !== undefined ? { key_env: m.key_env } : {}),
          });
          if (key) await storeKey(this.ctx, provider.id, key);
          this.keys.delete(form);
          this.ctx.panels.broadcast({ type: 'providersChanged' });
          return done({ ok: true, provider });
        }
      }
    } catch (err) {
      return done({ ok: false, ...errorFields(err) });
    }
  }
}
