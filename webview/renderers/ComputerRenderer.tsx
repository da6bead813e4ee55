// A `computer` call in a transcript: the action, the tool's summary, and a thumbnail of the screenshot it
// ended on (the image is only ever an <img>, never text). A click enlarges the thumbnail.
import { useMemo, useState } from 'preact/hooks';
import { computerFrame, describeAction } from './computerFrame';
import { PageProblems, ScreenshotView } from './ScreenshotView';
import type { ToolViewProps } from './ToolCallView';
import { parseArgs } from './toolArgs';

export function ComputerRenderer({ call, result }: ToolViewProps) {
  const [large, setLarge] = useState(false);
  const frame = useMemo(() => (result ? computerFrame(call.tool_call_id, result.result, result.is_error) : null), [call.tool_call_id, result]);
  const error = result?.is_error ? frame?.summary || (result.result as { error?: unknown } | undefined)?.error : undefined;
  return (
    <div class="tool-body computer" data-testid="computer-call">
      <div class="computer-action"><span class="codicon codicon-browser" /> <span data-testid="computer-action">{describeAction(parseArgs(call.args))}</span></div>
      {frame && !result?.is_error && frame.summary && <div class="muted computer-summary">{frame.summary}</div>}
      {typeof error === 'string' && error && <div class="tool-error">{error}</div>}
      {frame?.src && (
        <button class={`screenshot-button${large ? ' large' : ''}`} title={large ? 'Smaller' : 'Larger'} onClick={() => setLarge(!large)}>
          <ScreenshotView frame={frame} size="thumb" />
        </button>
      )}
      {frame && (frame.consoleErrors.length + frame.failedRequests.length + frame.blockedRequests.length > 0) && <div><PageProblems frame={frame} /></div>}
    </div>
  );
}
