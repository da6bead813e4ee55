// Configure Provider (guided: base URL, key into SecretStorage, model from /models), Switch Model, Show Logs.
import * as vscode from 'vscode';
import { FetchProviderModels, ListModelConfigs, UpdateModelConfig } from '../../server/protocol/methods';
import type { AgentsContext } from '../context';
import { saveProvider } from '../providerSetup';
import { PROVIDER_PRESETS } from '../../server/protocol/providerPresets';

export async function configureProvider(ctx: AgentsContext): Promise<boolean> {
  // Azure needs an api-version and deployments: the management panel's form asks for them.
  const presets = PROVIDER_PRESETS.filter((p) => p.type !== 'azure');
  const preset = await vscode.window.showQuickPick(presets.map((p) => ({ label: p.label, description: p.baseUrl, detail: p.hint, preset: p })), { title: 'Local Agents: provider (1/3)', placeHolder: 'Which provider? (Azure OpenAI: Manage Providers and Models)', ignoreFocusOut: true });
  if (!preset) return false;
  const baseUrl = await vscode.window.showInputBox({
    title: 'Local Agents: provider (1/3)', prompt: 'Base URL of an OpenAI-compatible API', value: preset.preset.baseUrl || process.env.OPENAI_BASE_URL || '', ignoreFocusOut: true,
    validateInput: (v) => (/^https?:\/\/\S+$/.test(v.trim()) ? undefined : 'Enter an absolute http(s) URL, e.g. http://localhost:11434/v1'),
  });
  if (!baseUrl) return false;
  const apiKey = await vscode.window.showInputBox({
    title: 'Local Agents: provider (2/3)', prompt: 'API key (stored in VS Code\'s secret storage; leave empty for local servers without keys)', password: true, ignoreFocusOut: true,
  });
  if (apiKey === undefined) return false;
  let models: string[] = [];
  try {
    models = (await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Local Agents: listing models…' },
      () => ctx.request(FetchProviderModels, { base_url: baseUrl.trim(), api_key: apiKey || undefined }))).models;
  } catch (err) {
    const choice = await vscode.window.showWarningMessage(`Could not list models at ${baseUrl}: ${(err as Error).message}`, 'Enter a model id', 'Cancel');
    if (choice !== 'Enter a model id') return false;
  }
  const model = models.length
    ? (await vscode.window.showQuickPick(models, { title: 'Local Agents: default model (3/3)', placeHolder: 'Pick the default model', ignoreFocusOut: true }))
    : await vscode.window.showInputBox({ title: 'Local Agents: default model (3/3)', prompt: 'Model id', ignoreFocusOut: true });
  if (!model) return false;
  try {
    const saved = await saveProvider(ctx, { base_url: baseUrl.trim(), model }, apiKey || undefined);
    void vscode.window.showInformationMessage(`Local Agents: using ${model} at ${saved.provider.base_url}.`);
    return true;
  } catch (err) {
    void vscode.window.showErrorMessage(`Local Agents: ${(err as Error).message}`);
    return false;
  }
}

export function registerProviderCommands(ctx: AgentsContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('localAgents.configureProvider', () => configureProvider(ctx)),
    vscode.commands.registerCommand('localAgents.switchModel', async () => {
      const configs = await ctx.request(ListModelConfigs, {});
      if (configs.length === 0) return configureProvider(ctx);
      const pick = await vscode.window.showQuickPick(configs.map((c) => ({ label: c.display_name, description: c.is_default ? 'default' : c.model, id: c.id })), { placeHolder: 'Model for new messages' });
      if (!pick) return;
      await ctx.request(UpdateModelConfig, { model_config_id: pick.id, is_default: true });
      ctx.panels.broadcast({ type: 'providersChanged' });
    }),
    vscode.commands.registerCommand('localAgents.restartServer', async () => {
      try {
        await ctx.server.restart();
        void vscode.window.showInformationMessage('Local Agents: the server is running.');
      } catch (err) {
        ctx.log.appendLine(`restart failed: ${(err as Error).message}`);
      }
    }),
    vscode.commands.registerCommand('localAgents.showLogs', () => {
      ctx.serverLog.show(true);
      ctx.log.show(true);
    }),
  ];
}
