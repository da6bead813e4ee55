// A computer-use screenshot with a ring where the last action landed. The ring is placed in percentages of
// the image, so it stays on its spot at whatever size the side bar shows the image.
import type { ComputerFrame } from './computerFrame';
import { markerPercent } from './computerFrame';

export function ScreenshotView({ frame, size }: { frame: ComputerFrame; size: 'live' | 'thumb' }) {
  if (!frame.src) return null;
  const pos = markerPercent(frame.marker, frame.width, frame.height);
  const ratio = frame.width > 0 && frame.height > 0 ? frame.width / frame.height : 16 / 10;
  // The live view keeps to 30% of the view's height: the transcript around it and the composer keep their room.
  const style = size === 'live' ? { aspectRatio: `${ratio}`, maxWidth: `min(100%, calc(30vh * ${ratio.toFixed(4)}))` } : { aspectRatio: `${ratio}` };
  return (
    <div class={`screenshot ${size}`} style={style} data-testid="computer-frame" data-tool-call-id={frame.toolCallId}>
      <img src={frame.src} alt={`Screenshot after ${frame.action || 'the action'}${frame.title ? ` on ${frame.title}` : ''}`} draggable={false}
        data-testid="computer-image" data-width={frame.width} data-height={frame.height} />
      {pos && <span class="screenshot-marker" style={{ left: `${pos.left}%`, top: `${pos.top}%` }} data-testid="computer-marker"
        data-x={frame.marker?.x} data-y={frame.marker?.y} title={`${frame.action} at (${frame.marker?.x}, ${frame.marker?.y})`} />}
    </div>
  );
}

/** How many console errors, failed and blocked requests the page had; each list on hover. */
export function PageProblems({ frame }: { frame: ComputerFrame }) {
  const item = (icon: string, list: string[], what: string, testid: string) => (
    <span class={`page-problem${list.length ? ' some' : ''}`} data-testid={testid} data-count={list.length}
      title={list.length ? `${what}:\n${list.slice(0, 20).join('\n')}${list.length > 20 ? `\n… ${list.length - 20} more` : ''}` : `No ${what}`}>
      <span class={`codicon codicon-${icon}`} /> {list.length}
    </span>
  );
  return (
    <span class="page-problems">
      {item('error', frame.consoleErrors, 'console errors', 'console-errors')}
      {item('debug-disconnect', frame.failedRequests, 'failed requests', 'failed-requests')}
      {item('circle-slash', frame.blockedRequests, 'blocked requests', 'blocked-requests')}
    </span>
  );
}
