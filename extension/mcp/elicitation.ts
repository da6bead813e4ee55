// An MCP server asks the user for input mid-call: a modal with the message, then one VS Code input per
// form field (see elicitationForm.ts). Escape anywhere cancels the whole request.
import * as vscode from 'vscode';
import type { McpElicitParams, McpElicitResult } from '../../server/protocol/mcp';
import { McpElicitRequest } from '../../server/protocol/methods';
import type { AgentsContext } from '../context';
import { initialText, runElicitation, validateFieldText, type ElicitationUi } from './elicitationForm';

export const vscodeElicitationUi: ElicitationUi = {
  async confirm(serverName, message) {
    const choice = await vscode.window.showInformationMessage(
      `MCP server "${serverName}" asks for input`, { modal: true, detail: message }, 'Accept', 'Decline',
    );
    return choice === 'Accept' ? 'accept' : choice === 'Decline' ? 'decline' : undefined;
  },
  text(field, step) {
    return Promise.resolve(vscode.window.showInputBox({
      title: `${field.title} (${step})`,
      prompt: field.description || undefined,
      placeHolder: field.required ? undefined : 'optional: leave empty to leave it out',
      value: initialText(field),
      ignoreFocusOut: true,
      validateInput: (v) => validateFieldText(field, v),
    }));
  },
  async pick(field, step, options, many) {
    const items = options.map((o) => ({ label: o.label, description: o.label === o.value ? undefined : o.value, value: o.value,
      picked: Array.isArray(field.default) ? field.default.includes(o.value) : String(field.default) === o.value }));
    const title = `${field.title} (${step})`;
    if (many) {
      const picked = await vscode.window.showQuickPick(items, { title, placeHolder: field.description || undefined, canPickMany: true, ignoreFocusOut: true });
      return picked?.map((i) => i.value);
    }
    // The default goes first so Enter takes it.
    items.sort((a, b) => Number(b.picked) - Number(a.picked));
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder: field.description || undefined, ignoreFocusOut: true });
    return picked ? [picked.value] : undefined;
  },
};

export function answerElicitation(params: McpElicitParams, ui: ElicitationUi = vscodeElicitationUi): Promise<McpElicitResult> {
  return runElicitation(params, ui);
}

export function registerElicitation(ctx: AgentsContext): void {
  ctx.server.onServerRequest(McpElicitRequest, async (p) => {
    try {
      return await answerElicitation(p);
    } catch (err) {
      ctx.log.appendLine(`MCP: the input form of "${p.server_name}" failed: ${(err as Error).message}`);
      return { action: 'cancel' };
    }
  });
}
