// Only the messages in view are in the DOM: heights are measured (ResizeObserver) as rows render and
// estimated otherwise, so thousands of messages open and scroll smoothly. The scroll position is kept
// explicitly (the browser's own scroll anchoring is off): pinned to the end while an answer streams, or
// anchored to the message at the top of the view, which stays put when older pages are prepended above
// it or rows above it get their real heights. Scrolling near the top loads the older page.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ChatMessage } from '../../server/protocol';
import { resultsByCallId, type ChatViewState } from '../state/chatState';
import { indexOfId, rowAt, rowOffsets, windowRange } from '../state/windowing';
import { ChangedFiles, changesByTurnEnd, useFileChanges } from './ChangedFiles';
import { MessageView, StreamingView } from './MessageView';

const ESTIMATE = 90;
const OVERSCAN = 600;
const PIN_SLACK = 40;
const LOAD_OLDER_AT = 200;

/** Tool messages render inside their call; they take no row. */
const visibleRows = (messages: ChatMessage[]) => messages.filter((m) => m.role !== 'tool');

/** null: pinned to the end. Otherwise the row at the top of the view and how far into it the view starts. */
type Anchor = { id: number; delta: number } | null;

export function MessageList({ state, onLoadOlder }: { state: ChatViewState; onLoadOlder: () => Promise<void> }) {
  const scroller = useRef<HTMLDivElement>(null);
  const listStart = useRef<HTMLDivElement>(null);
  const heights = useRef(new Map<number, number>());
  const anchor = useRef<Anchor>(null);
  const [viewHeight, setViewHeight] = useState(600);
  const [, setTick] = useState(0);
  const rerender = () => setTick((t) => t + 1);
  // A new chat opens at its end, measured afresh.
  const shownChat = useRef<string | undefined>(undefined);
  if (shownChat.current !== state.chat?.id) {
    shownChat.current = state.chat?.id;
    anchor.current = null;
    heights.current.clear();
  }
  // A search hit: the view starts a little above its message, once per hit.
  const focused = useRef<number | undefined>(undefined);
  if (state.focusMessageId !== undefined && focused.current !== state.focusMessageId) {
    focused.current = state.focusMessageId;
    anchor.current = { id: state.focusMessageId, delta: -24 };
  }
  const rows = useMemo(() => visibleRows(state.messages), [state.messages]);
  const changes = useFileChanges(state.chat?.id, state.fileChangesVersion, state.chat?.status);
  const turnChanges = useMemo(() => changesByTurnEnd(rows, changes), [rows, changes]);
  const results = useMemo(() => resultsByCallId(state.messages), [state.messages]);

  const offsets = rowOffsets(rows.map((m) => heights.current.get(m.id) ?? ESTIMATE));
  const total = offsets[rows.length];
  const anchorIndex = anchor.current ? indexOfId(rows, anchor.current.id) : -1;
  const top = anchor.current && anchorIndex >= 0 ? offsets[anchorIndex] + anchor.current.delta : Math.max(0, total - viewHeight);
  const { first, last } = windowRange(offsets, top, viewHeight, OVERSCAN);
  const layout = useRef({ rows, offsets });
  layout.current = { rows, offsets };

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    if (el.scrollTop + el.clientHeight >= el.scrollHeight - PIN_SLACK) anchor.current = null;
    else {
      const { rows: r, offsets: o } = layout.current;
      const y = el.scrollTop - (listStart.current?.offsetTop ?? 0);
      const i = rowAt(o, y);
      anchor.current = r[i] ? { id: r[i].id, delta: y - o[i] } : null;
    }
    rerender();
    if (el.scrollTop < LOAD_OLDER_AT && state.hasMore) void onLoadOlder();
  };

  // One observer measures every rendered row; a changed height re-renders (and re-anchors) before paint.
  const observer = useMemo(() => new ResizeObserver((entries) => {
    let changed = false;
    for (const e of entries) {
      const id = Number((e.target as HTMLElement).dataset.rowId);
      const h = e.borderBoxSize?.[0]?.blockSize ?? (e.target as HTMLElement).getBoundingClientRect().height;
      if (h > 0 && heights.current.get(id) !== h) { heights.current.set(id, h); changed = true; }
    }
    if (changed) rerender();
  }), []);
  // Stable ref callbacks per row, so a re-render does not unobserve and observe every row again.
  const rowRefs = useRef(new Map<number, (node: HTMLDivElement | null) => void>());
  const live = useRef(new Map<number, HTMLDivElement>());
  const rowRef = (id: number) => {
    let ref = rowRefs.current.get(id);
    if (!ref) {
      let current: HTMLDivElement | null = null;
      ref = (node) => {
        if (current) observer.unobserve(current);
        current = node;
        if (node) { observer.observe(node); live.current.set(id, node); } else live.current.delete(id);
      };
      rowRefs.current.set(id, ref);
    }
    return ref;
  };

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setViewHeight(el.clientHeight));
    ro.observe(el);
    return () => { ro.disconnect(); observer.disconnect(); };
  }, []);


  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    // Rows rendered just now are measured before paint, so the anchor below uses their real heights.
    let measured = false;
    for (const [id, node] of live.current) {
      const h = node.getBoundingClientRect().height;
      if (h > 0 && heights.current.get(id) !== h) { heights.current.set(id, h); measured = true; }
    }
    if (measured) rerender(); // the window may need more or fewer rows
    if (!anchor.current) { el.scrollTop = el.scrollHeight; return; }
    const i = indexOfId(rows, anchor.current.id);
    if (i < 0) return;
    const o = measured ? rowOffsets(rows.map((m) => heights.current.get(m.id) ?? ESTIMATE)) : offsets;
    const want = (listStart.current?.offsetTop ?? 0) + o[i] + anchor.current.delta;
    if (Math.abs(el.scrollTop - want) >= 1) el.scrollTop = want;
  });

  return (
    <div class="messages" ref={scroller} onScroll={onScroll} data-testid="message-list">
      {state.hasMore && <div class="older-hint">Scroll up for older messages</div>}
      <div class="spacer-top" ref={listStart} style={{ height: `${offsets[first]}px` }} />
      {rows.slice(first, last).map((m) => (
        <div class={`row${m.id === state.focusMessageId ? ' search-hit' : ''}`} key={m.id} data-row-id={m.id} ref={rowRef(m.id)} data-testid={m.id === state.focusMessageId ? 'search-hit' : undefined}>
          <MessageView message={m} results={results} chatId={state.chat?.id ?? ''} toolOutput={state.toolOutput} />
          {turnChanges.has(m.id) && state.chat && <ChangedFiles chatId={state.chat.id} changes={turnChanges.get(m.id)!} />}
        </div>
      ))}
      <div class="spacer-bottom" style={{ height: `${Math.max(0, total - offsets[last])}px` }} />
      {state.streaming && <StreamingView streaming={state.streaming} toolOutput={state.toolOutput} />}
      {!state.chat && rows.length === 0 && <div class="empty">Ask the agent to read, change or run code in this workspace.</div>}
    </div>
  );
}
