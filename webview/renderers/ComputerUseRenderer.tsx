// spawn_computer_use_agent: a subagent like the others (title, status, transcript), with its live view.
import { ComputerLiveView } from './ComputerLiveView';
import { SubagentRenderer } from './SubagentRenderer';
import type { ToolViewProps } from './ToolCallView';

export const COMPUTER_USE_TOOL = 'spawn_computer_use_agent';

export function ComputerUseRenderer(props: ToolViewProps) {
  return <SubagentRenderer {...props} icon="browser" live={(child) => <ComputerLiveView chat={child} />} />;
}
