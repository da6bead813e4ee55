// Any other tool: arguments and result, collapsible.
import type { ToolViewProps } from './ToolCallView';
import { parseArgs, pretty } from './toolArgs';

export function GenericRenderer({ call, result }: ToolViewProps) {
  const args = parseArgs(call.args);
  return (
    <details class="tool-body generic">
      <summary>Details</summary>
      <div class="label">Arguments</div>
      <pre>{args ? pretty(args) : call.args}</pre>
      {result && (<><div class="label">{result.is_error ? 'Error' : 'Result'}</div><pre>{pretty(result.result)}</pre></>)}
    </details>
  );
}
