// The host side of the provider form (first-run setup in the chat view): the key is asked in VS Code's own
// input box and held here until the provider is saved, then kept in SecretStorage; the webview never sees it.
// Testing, listing models and saving are the server's (localAgents/providers/test, …/models, …/setup).
import * as vscode from 'vscode';
import type { SetupProviderResult } from '../server/protocol/requests';
import { FetchProviderModels, SetProviderKey, SetupProvider, TestProvider } from '../server/protocol/methods';
import type { HostToWebview, WebviewToHost } from '../server/protocol/webview';
import type { AgentsContext } from './context';

type SetupMessage = Extract<WebviewToHost, { type: 'providerSetup' }>;
type SetupResult = Extract<HostToWebview, { type: 'providerSetupResult' }>;

/** Saves a provider with its default model, and its key (when one was given) to SecretStorage and the server. */
export async function saveProvider(ctx: AgentsContext, baseUrl: string, model: string, key: string | undefined): Promise<SetupProviderResult> {
  const saved = await ctx.request(SetupProvider, { base_url: baseUrl, model });
  if (key) {
    await ctx.secrets.store(saved.provider.id, key);
    await ctx.request(SetProviderKey, { provider_id: saved.provider.id, api_key: key });
  }
  ctx.panels.broadcast({ type: 'providersChanged' });
  return saved;
}

export class ProviderDraft {
  private key: string | undefined;

  constructor(private readonly ctx: AgentsContext) {}

  async handle(m: SetupMessage): Promise<SetupResult> {
    const done = (r: Omit<SetupResult, 'type' | 'requestId'>): SetupResult => ({ type: 'providerSetupResult', requestId: m.requestId, ...r });
    try {
      switch (m.op) {
        case 'askKey': {
          const key = await vscode.window.showInputBox({ title: 'Local Agents: API key', prompt: 'The provider\'s API key (kept in VS Code\'s secret storage, never shown to the chat view)', password: true, ignoreFocusOut: true });
          if (key !== undefined) this.key = key.trim() || undefined;
          return done({ ok: true, has_key: !!this.key });
        }
        case 'clearKey':
          this.key = undefined;
          return done({ ok: true, has_key: false });
        case 'models': {
          const { models } = await this.ctx.request(FetchProviderModels, { base_url: m.base_url, api_key: this.key });
          return done({ ok: true, models });
        }
        case 'test':
          return done({ ok: true, test: await this.ctx.request(TestProvider, { base_url: m.base_url, api_key: this.key, model: m.model }) });
        case 'save':
          await saveProvider(this.ctx, m.base_url, m.model, this.key);
          this.key = undefined;
          void vscode.window.showInformationMessage(`Local Agents: using ${m.model} at ${m.base_url}.`);
          return done({ ok: true });
      }
    } catch (err) {
      return done({ ok: false, error: (err as Error).message });
    }
  }
}
