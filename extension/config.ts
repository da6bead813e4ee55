// Reads the extension's settings in one place.
import * as vscode from 'vscode';

export interface ExtensionConfig {
  nodePath: string;
  dataLocation: string;
  defaultModel: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  exploreModel: string;
  planDirectory: string;
}

export function readConfig(): ExtensionConfig {
  const c = vscode.workspace.getConfiguration('localAgents');
  return {
    nodePath: c.get<string>('server.nodePath', 'node') || 'node',
    dataLocation: c.get<string>('dataLocation', ''),
    defaultModel: c.get<string>('defaultModel', ''),
    logLevel: c.get<ExtensionConfig['logLevel']>('logLevel', 'info'),
    exploreModel: c.get<string>('exploreModel', ''),
    planDirectory: c.get<string>('planDirectory', '.agents/plans'),
  };
}

/** The workspace identity chats are filed under: the .code-workspace file, else the first folder. */
export function currentWorkspace(): { workspace: string | null; folders: string[] } {
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  const file = vscode.workspace.workspaceFile?.scheme === 'file' ? vscode.workspace.workspaceFile.fsPath : undefined;
  return { workspace: file ?? folders[0] ?? null, folders };
}
