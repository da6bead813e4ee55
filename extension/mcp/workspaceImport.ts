// The servers of VS Code's own MCP lists — the user's `mcp.json` and each workspace folder's
// `.vscode/mcp.json` — become workspace MCP entries on the server: at every server start, whenever one of
// the files changes, and on demand. A file that is gone is imported as empty, which removes its entries.
// A workspace file's commands run on this machine, so it is only read in a trusted workspace.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { McpImportResult } from '../../server/protocol/mcp';
import { ImportWorkspaceMcp } from '../../server/protocol/methods';
import type { AgentsContext } from '../context';
import { serversOfMcpJson, userMcpJsonPath, workspaceMcpJsonPath } from './mcpJsonLocations';

const DEBOUNCE_MS = 300;

export interface ImportSummary { source: string; result?: McpImportResult; error?: string }

async function readServers(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  return serversOfMcpJson(text, file);
}

export class McpWorkspaceImporter implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: AgentsContext) {
    const later = () => this.schedule();
    const user = this.userFile();
    const watchers = [vscode.workspace.createFileSystemWatcher('**/.vscode/mcp.json')];
    if (user) watchers.push(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(user)), 'mcp.json')));
    for (const w of watchers) this.disposables.push(w, w.onDidChange(later), w.onDidCreate(later), w.onDidDelete(later));
    this.disposables.push(
      ctx.server.onReady.event(later),
      vscode.workspace.onDidChangeWorkspaceFolders(later),
      vscode.workspace.onDidGrantWorkspaceTrust(later),
    );
  }

  userFile(): string | null {
    return userMcpJsonPath(this.ctx.ext.globalStorageUri.fsPath);
  }

  sources(): string[] {
    const files = vscode.workspace.isTrusted ? (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => workspaceMcpJsonPath(f.uri.fsPath)) : [];
    const user = this.userFile();
    return user ? [user, ...files] : files;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.importAll(), DEBOUNCE_MS);
  }

  /** Imports every source; each file's outcome is logged (names and reasons only, never header values). */
  async importAll(): Promise<ImportSummary[]> {
    const summaries: ImportSummary[] = [];
    for (const source of this.sources()) {
      try {
        const servers = await readServers(source);
        const result = await this.ctx.request(ImportWorkspaceMcp, { source, servers });
        summaries.push({ source, result });
        if (result.imported.length || result.skipped.length || result.removed) {
          this.ctx.log.appendLine(`MCP import from ${source}: ${result.imported.length} imported, ${result.removed} removed` +
            result.skipped.map((s) => `; skipped "${s.name}": ${s.reason}`).join(''));
        }
      } catch (err) {
        summaries.push({ source, error: (err as Error).message });
        this.ctx.log.appendLine(`MCP import from ${source} failed: ${(err as Error).message}`);
      }
    }
    return summaries;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
