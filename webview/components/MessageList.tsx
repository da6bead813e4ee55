// Only the messages in view are in the DOM: heights are measured as rows render and estimated otherwise,
// so thousands of messages open and scroll smoothly. Scrolling to the top loads the older page; the view
// stays pinned to the bottom while an answer streams unless the user scrolled up.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ChatMessage } from '../../server/protocol';
import { resultsByCallId, type ChatViewState } from '../state/chatState';
import { MessageView, StreamingView } from './MessageView';

const ESTIMATE = 90;
const OVERSCAN = 600;

/** Tool messages render inside their call; they take no row. */
const visibleRows = (messages: ChatMessage[]) => messages.filter((m) => m.role !== 'tool');

export function MessageList({ state, onLoadOlder }: { state: ChatViewState; onLoadOlder: () => Promise<void> }) {
  const scroller = useRef<HTMLDivElement>(null);
  const heights = useRef(new Map<number, number>());
  const [viewport, setViewport] = useState({ top: 0, height: 600 });
  const atBottom = useRef(true);
  const rows = useMemo(() => visibleRows(state.messages), [state.messages]);
  const results = useMemo(() => resultsByCallId(state.messages), [state.messages]);

  const offsets = useMemo(() => {
    const out = new Array<number>(rows.length + 1);
    out[0] = 0;
    for (let i = 0; i < rows.length; i++) out[i + 1] = out[i] + (heights.current.get(rows[i].id) ?? ESTIMATE);
    return out;
  }, [rows, viewport]);
  const total = offsets[rows.length];
  let first = 0;
  while (first < rows.length && offsets[first + 1] < viewport.top - OVERSCAN) first++;
  let last = first;
  while (last < rows.length && offsets[last] < viewport.top + viewport.height + OVERSCAN) last++;

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    atBottom.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 40;
    setViewport({ top: el.scrollTop, height: el.clientHeight });
    if (el.scrollTop < 200 && state.hasMore) {
      const before = el.scrollHeight;
      void onLoadOlder().then(() => requestAnimationFrame(() => { el.scrollTop += el.scrollHeight - before; }));
    }
  };

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setViewport({ top: el.scrollTop, height: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // A new chat opens at its end.
  useEffect(() => { atBottom.current = true; heights.current.clear(); }, [state.chat?.id]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  });

  const measure = (id: number) => (node: HTMLDivElement | null) => {
    if (!node) return;
    const h = node.offsetHeight;
    if (h && heights.current.get(id) !== h) {
      heights.current.set(id, h);
      requestAnimationFrame(() => setViewport((v) => ({ ...v })));
    }
  };

  return (
    <div class="messages" ref={scroller} onScroll={onScroll} data-testid="message-list">
      {state.hasMore && <div class="older-hint">Scroll up for older messages</div>}
      <div class="spacer-top" style={{ height: `${offsets[first]}px` }} />
      {rows.slice(first, last).map((m) => (
        <div key={m.id} ref={measure(m.id)}>
          <MessageView message={m} results={results} chatId={state.chat?.id ?? ''} toolOutput={state.toolOutput} />
        </div>
      ))}
      <div class="spacer-bottom" style={{ height: `${Math.max(0, total - offsets[last])}px` }} />
      {state.streaming && <StreamingView streaming={state.streaming} toolOutput={state.toolOutput} />}
      {!state.chat && rows.length === 0 && <div class="empty">Ask the agent to read, change or run code in this workspace.</div>}
    </div>
  );
}
