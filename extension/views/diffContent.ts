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

/** A checkpoint's original (read-only) against the file as it is now, editable; a deleted file shows as empty. */
export async function showChangeDiff(filePath: string, before: string, beforeExists: boolean): Promise<void> {
  const name = vscode.workspace.asRelativePath(filePath);
  const current = vscode.Uri.file(filePath);
  const exists = await vscode.workspace.fs.stat(current).then(() => true, () => false);
  const right = exists ? current : put(name, '');
  const left = put(name, beforeExists ? before : '');
  await vscode.commands.executeCommand('vscode.diff', left, right, `${name} (before the agent ↔ now)`, { preview: true });
}
