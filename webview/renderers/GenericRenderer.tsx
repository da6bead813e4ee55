// Any other tool: arguments and result, collapsible; images and other base64 show as placeholders.
import type { ToolViewProps } from './ToolCallView';
import { prettyWithoutBinary } from './imagePlaceholders';
import { parseArgs } from './toolArgs';

export function GenericRenderer({ call, result }: ToolViewProps) {
  const args = parseArgs(call.args);
  return (
    <details class="tool-body generic">
      <summary>Details</summary>
      <div class="label">Arguments</div>
      <pre>{args ? prettyWithoutBinary(args) : call.args}</pre>
      {result && (<><div class="label">{result.is_error ? 'Error' : 'Result'}</div><pre data-testid="tool-result-text">{prettyWithoutBinary(result.result)}</pre></>)}
    </details>
  );
}
