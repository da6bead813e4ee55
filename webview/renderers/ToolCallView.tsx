// Picks the renderer for a tool call; the call's label is its model_intent when it has one.
import type { ToolCallPart, ToolDecisionInfo } from '../../server/protocol';
import { COMPUTER_TOOL } from './computerFrame';
import { ComputerRenderer } from './ComputerRenderer';
import { COMPUTER_USE_TOOL, ComputerUseRenderer } from './ComputerUseRenderer';
import { EditRenderer } from './EditRenderer';
import { ExecuteRenderer } from './ExecuteRenderer';
import { GenericRenderer } from './GenericRenderer';
import { ReadFileRenderer } from './ReadFileRenderer';
import { SubagentRenderer, SUBAGENT_TOOLS } from './SubagentRenderer';

export interface ToolViewProps {
  call: ToolCallPart;
  result?: { result: unknown; is_error?: boolean; decision?: ToolDecisionInfo };
  liveOutput?: string;
  /** The chat the call belongs to (subagent calls find their child chat by it). */
  chatId?: string;
}

/** Who let the call run or refused it, and by which rule: shown on hover. */
export function decisionText(d: ToolDecisionInfo): string {
  const who = d.by === 'user' ? 'you' : d.by === 'rule' ? `the rule ${d.rule ?? ''}${d.source ? ` (${d.source} settings)` : ''}` : d.by === 'mode' ? 'the permission mode' : d.by === 'trust' ? 'Workspace Trust' : 'the chat mode';
  return `${d.decision === 'allow' ? 'Allowed' : 'Denied'} by ${who}${d.reason ? `: ${d.reason}` : ''}`;
}

export function ToolCallView(props: ToolViewProps) {
  const { call, result } = props;
  const state = !result ? 'running' : result.is_error ? 'failed' : 'done';
  const body = (() => {
    switch (call.tool_name) {
      case 'read_file': return <ReadFileRenderer {...props} />;
      case 'write_file':
      case 'edit_files': return <EditRenderer {...props} />;
      case 'execute': return <ExecuteRenderer {...props} />;
      case COMPUTER_TOOL: return <ComputerRenderer {...props} />;
      case COMPUTER_USE_TOOL: return <ComputerUseRenderer {...props} />;
      default: return SUBAGENT_TOOLS.has(call.tool_name) ? <SubagentRenderer {...props} /> : <GenericRenderer {...props} />;
    }
  })();
  const decision = result?.decision;
  return (
    <div class={`tool-call ${state}`} data-testid="tool-call" data-tool={call.tool_name} data-state={state}>
      <div class="tool-label" data-testid="tool-label" title={decision ? decisionText(decision) : undefined} data-decision={decision ? `${decision.decision} by ${decision.by}` : undefined}>
        <span class={`codicon ${state === 'running' ? 'codicon-loading codicon-modifier-spin' : state === 'failed' ? 'codicon-error' : 'codicon-tools'}`} />
        <span class="tool-title">{call.model_intent ?? call.tool_name}</span>
        {call.model_intent && <span class="tool-name">{call.tool_name}</span>}
      </div>
      {body}
    </div>
  );
}
