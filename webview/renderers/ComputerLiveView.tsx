// The computer-use agent at work: its newest screenshot with the last action marked, the page it is on,
// what is failing there, what it is doing now, and Stop (interrupts the child chat, not the parent).
import { useMemo, useState } from 'preact/hooks';
import type { Chat } from '../../server/protocol';
import { InterruptChat } from '../../server/protocol/methods';
import { request } from '../rpc';
import { isBusy } from '../state/chatState';
import { latestFrame, pendingAction } from './computerFrame';
import { PageProblems, ScreenshotView } from './ScreenshotView';
import { useFollowedChat } from './useFollowedChat';

/** Enough recent messages to hold the newest screenshot; each carries one, so the page stays small. */
const RECENT = 30;

export function ComputerLiveView({ chat }: { chat: Chat }) {
  const state = useFollowedChat(chat.id, RECENT);
  const [stopping, setStopping] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const busy = isBusy(chat);
  // Streamed text re-renders often; the frame (a 100 KB data URL, checked) only changes with the messages.
  const frame = useMemo(() => (state ? latestFrame(state.messages) : null), [state?.messages]);
  const now = state && busy ? pendingAction(state.messages, state.streaming) : null;
  const stop = async () => {
    setStopping(true);
    setError(null);
    try {
      await request(InterruptChat, { chat_id: chat.id });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setStopping(false);
    }
  };
  return (
    <div class="computer-live" data-testid="computer-live">
      {frame ? <ScreenshotView frame={frame} size="live" /> : <div class="computer-empty muted">{busy ? 'Waiting for the first screenshot…' : 'No screenshot.'}</div>}
      <div class="computer-caption">
        {frame && <span class="computer-last" data-testid="computer-caption" title={frame.summary}><b>{frame.action}</b>{frame.url && <> · <span class="computer-url">{frame.url}</span></>}</span>}
        {frame && <PageProblems frame={frame} />}
        <span class="spacer" />
        {busy && (
          <button class="secondary small" data-testid="computer-stop" disabled={stopping} title="Stop the computer-use agent (this chat goes on)" onClick={() => void stop()}>
            <span class="codicon codicon-debug-stop" /> Stop
          </button>
        )}
      </div>
      {now && <div class="computer-now muted" data-testid="computer-now"><span class="codicon codicon-loading codicon-modifier-spin" /> {now}</div>}
      {error && <div class="tool-error">{error}</div>}
    </div>
  );
}
