// read_file: the file (click opens it in the editor) and how much of it was read.
import { useContext } from 'preact/hooks';
import { post } from '../rpc';
import type { ToolViewProps } from './ToolCallView';
import { absolutePath, parseArgs } from './toolArgs';
import { WorkspaceFolder } from './workspaceFolder';

export function ReadFileRenderer({ call, result }: ToolViewProps) {
  const args = parseArgs(call.args);
  const r = result?.result as { lines_read?: number; total_lines?: number; error?: string } | undefined;
  const folder = useContext(WorkspaceFolder);
  const path = typeof args?.path === 'string' ? args.path : '…';
  return (
    <div class="tool-body read-file">
      <a class="file-link" title="Open file" onClick={() => post({ type: 'openFile', path: absolutePath(path, folder) })}><span class="codicon codicon-file" /> {path}</a>
      {r?.lines_read !== undefined && <span class="muted"> · {r.lines_read} of {r.total_lines} lines</span>}
      {r?.error && <div class="tool-error">{r.error}</div>}
    </div>
  );
}
