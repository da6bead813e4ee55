// The HTTP API from the command palette: copy the token (to the clipboard, never shown in a notification or
// log), rotate it, and open the API's reference.
import * as vscode from 'vscode';
import { GetApiAccess } from '../../server/protocol/methods';
import type { AgentsContext } from '../context';

function report(err: unknown): void {
  void vscode.window.showErrorMessage(`Local Agents: ${(err as Error).message}`);
}

async function offerToEnable(): Promise<void> {
  const pick = await vscode.window.showInformationMessage('Local Agents: the HTTP API is off. Turn it on in your user settings?', 'Turn On', 'Open Settings');
  if (pick === 'Turn On') await vscode.workspace.getConfiguration('localAgents').update('api.enabled', true, vscode.ConfigurationTarget.Global);
  if (pick === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'localAgents.api');
}

export function registerApiCommands(ctx: AgentsContext): vscode.Disposable[] {
  const copy = async (rotate: boolean) => {
    try {
      if (rotate) {
        const sure = await vscode.window.showWarningMessage('Rotate the API token? Scripts using the old one get 401 from now on.', { modal: true }, 'Rotate');
        if (sure !== 'Rotate') return;
      }
      const access = await ctx.request(GetApiAccess, { rotate });
      await vscode.env.clipboard.writeText(access.token);
      if (!access.url) {
        await offerToEnable();
        return;
      }
      const pick = await vscode.window.showInformationMessage(`Local Agents: API token ${rotate ? 'rotated and ' : ''}copied. This window's API: ${access.url}`, 'Copy URL', 'OpenAPI Document');
      if (pick === 'Copy URL') await vscode.env.clipboard.writeText(access.url);
      if (pick === 'OpenAPI Document') await vscode.env.openExternal(vscode.Uri.parse(`${access.url}/openapi.json`));
    } catch (err) {
      report(err);
    }
  };
  return [
    vscode.commands.registerCommand('localAgents.copyApiToken', () => copy(false)),
    vscode.commands.registerCommand('localAgents.rotateApiToken', () => copy(true)),
  ];
}
