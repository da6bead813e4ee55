// What every webview of the extension shares: its HTML under a strict CSP (nonce scripts, styles and fonts
// only from the extension), and the relay of the requests the protocol table exposes to webviews.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { ErrorData } from '../../server/protocol';
import { WEBVIEW_METHODS } from '../../server/protocol/methods';
import type { HostToWebview } from '../../server/protocol/webview';
import type { AgentsContext } from '../context';

export interface WebviewPage { title: string; script: string; styles: string[]; testId: string }

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (p: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p.split('/')));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${page.styles.map((s) => `<link rel="stylesheet" href="${asset(s)}">`).join('\n')}
<title>${page.title}</title>
</head>
<body>
<div id="root" data-testid="${page.testId}"></div>
<script nonce="${nonce}" src="${asset(page.script)}"></script>
</body>
</html>`;
}

export const webviewOptions = (extensionUri: vscode.Uri): vscode.WebviewOptions => ({
  enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
});

/** One request of a webview, if the table exposes it to webviews; the answer or the server's error with its field. */
export async function relayRequest(ctx: AgentsContext, id: number, method: string, params: unknown): Promise<Extract<HostToWebview, { type: 'response' }>> {
  if (!WEBVIEW_METHODS.has(method)) return { type: 'response', id, error: { message: `Method ${method} is not available to the view.`, status: 403 } };
  try {
    return { type: 'response', id, result: await ctx.server.request(method, params) };
  } catch (err) {
    // A JSON-RPC ResponseError carries the server's ErrorData.
    const data = (err as { data?: ErrorData }).data;
    return { type: 'response', id, error: { message: (err as Error).message, detail: data?.detail, field: data?.field, status: data?.status } };
  }
}
