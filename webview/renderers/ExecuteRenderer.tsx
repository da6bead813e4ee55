// A shell command as a terminal block: the command, live output while it runs, the exit code after.
import type { ToolViewProps } from './ToolCallView';
import { parseArgs } from './toolArgs';

export function ExecuteRenderer({ call, result, liveOutput }: ToolViewProps) {
  const args = parseArgs(call.args);
  const r = result?.result as { output?: string; exit_code?: number | null; error?: string; background_process_id?: string; truncated?: boolean } | undefined;
  const output = r?.output ?? liveOutput ?? '';
  return (
    <div class="tool-body terminal" data-testid="terminal">
      <div class="command">$ {typeof args?.command === 'string' ? args.command : call.args}</div>
      {output && <pre class="output">{output}</pre>}
      {r && (
        <div class="exit">
          {r.exit_code !== undefined && r.exit_code !== null && <span class={`badge ${r.exit_code === 0 ? 'ok' : 'fail'}`} data-testid="exit-code">exit {r.exit_code}</span>}
          {r.background_process_id && <span class="badge">background {r.background_process_id}</span>}
          {r.truncated && <span class="muted"> output truncated</span>}
          {r.error && <span class="tool-error"> {r.error}</span>}
        </div>
      )}
    </div>
  );
}
