// write_file / edit_files: which files changed, +/- counts, and a button for VS Code's diff editor.
import { post } from '../rpc';
import type { ToolViewProps } from './ToolCallView';
import { parseArgs } from './toolArgs';

interface FileChange { path: string; before: string; after: string; diff?: string }

function changes(toolName: string, args: Record<string, unknown> | undefined, result: unknown): FileChange[] {
  const diffs = new Map(((result as { files?: Array<{ path: string; diff: string }> })?.files ?? []).map((f) => [f.path, f.diff]));
  if (toolName === 'write_file') return args && typeof args.path === 'string' ? [{ path: args.path, before: '', after: String(args.content ?? '') }] : [];
  const edits = (Array.isArray(args?.edits) ? args.edits : []) as Array<{ path: string; old_text: string; new_text: string }>;
  const by = new Map<string, FileChange>();
  for (const e of edits) {
    const c = by.get(e.path) ?? { path: e.path, before: '', after: '' };
    c.before += (c.before ? '\n…\n' : '') + e.old_text;
    c.after += (c.after ? '\n…\n' : '') + e.new_text;
    by.set(e.path, c);
  }
  return [...by.values()].map((c) => ({ ...c, diff: [...diffs.entries()].find(([p]) => p.endsWith(c.path) || c.path.endsWith(p))?.[1] }));
}

function counts(c: FileChange): { add: number; del: number } {
  if (c.diff) {
    const lines = c.diff.split('\n');
    return { add: lines.filter((l) => l.startsWith('+') && !l.startsWith('+++')).length, del: lines.filter((l) => l.startsWith('-') && !l.startsWith('---')).length };
  }
  return { add: c.after ? c.after.split('\n').length : 0, del: c.before ? c.before.split('\n').length : 0 };
}

export function EditRenderer({ call, result }: ToolViewProps) {
  const args = parseArgs(call.args);
  const files = changes(call.tool_name, args, result?.result);
  const error = (result?.result as { error?: string } | undefined)?.error;
  return (
    <div class="tool-body edit">
      {files.map((f) => {
        const n = counts(f);
        return (
          <div class="file-change" key={f.path}>
            <span class="codicon codicon-diff" /> <span class="path">{f.path}</span>
            <span class="added">+{n.add}</span> <span class="removed">−{n.del}</span>
            <button class="secondary small" data-testid="open-diff" onClick={() => post({ type: 'openDiff', path: f.path, before: f.before, after: f.after })}>Open diff</button>
          </div>
        );
      })}
      {error && <div class="tool-error">{error}</div>}
    </div>
  );
}
