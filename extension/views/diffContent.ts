// Before/after text of a tool's edit, shown in VS Code's diff editor through a read-only content provider.
import * as vscode from 'vscode';

export const DIFF_SCHEME = 'local-agents-diff';
const contents = new Map<string, string>();
let seq = 0;

export const diffContentProvider: vscode.TextDocumentContentProvider = {
  provideTextDocumentContent: (uri) => contents.get(uri.query) ?? '',
};

function put(name: string, text: string): vscode.Uri {
  const key = String(++seq);
  contents.set(key, text);
  // Keep memory bounded: old diffs are dropped.
  if (contents.size > 200) contents.delete(contents.keys().next().value as string);
  return vscode.Uri.from({ scheme: DIFF_SCHEME, path: `/${name}`, query: key });
}

export async function showDiff(filePath: string, before: string, after: string): Promise<void> {
  const name = vscode.workspace.asRelativePath(filePath);
  await vscode.commands.executeCommand('vscode.diff', put(name, before), put(name, after), `${name} (agent edit)`, { preview: true });
}
