// What a `computer` tool result shows: its screenshot as a data URL, where the last action landed, the page
// it ended on and what went wrong there. Pure (no DOM, no Preact) so it is unit-tested under node.
import type { ChatMessage } from '../../server/protocol';
import type { StreamingMessage } from '../state/chatState';
import { parseArgs } from './toolArgs';

export const COMPUTER_TOOL = 'computer';

export interface ComputerFrame {
  toolCallId: string;
  action: string;
  url: string;
  title: string;
  /** The screenshot's pixel size, the space the marker is in (read from the PNG itself when it can be). */
  width: number;
  height: number;
  marker: { x: number; y: number } | null;
  consoleErrors: string[];
  failedRequests: string[];
  blockedRequests: string[];
  /** The tool's one-line summary. */
  summary: string;
  /** data: URL of the screenshot; null when the result carries none (e.g. a failure before any page). */
  src: string | null;
  isError: boolean;
}

// Only raster types an <img> shows; anything else in mime_type never reaches a src attribute.
const IMAGE_MIME = /^image\/(?:png|jpeg|gif|webp)$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Width and height from a base64 PNG's IHDR chunk (bytes 16..23), without decoding the rest. */
export function pngSize(base64: string): { width: number; height: number } | null {
  let head: string;
  try {
    head = atob(base64.slice(0, 32));
  } catch {
    return null;
  }
  if (head.length < 24 || head.slice(1, 4) !== 'PNG' || head.slice(12, 16) !== 'IHDR') return null;
  const u32 = (i: number) => ((head.charCodeAt(i) << 24) >>> 0) + (head.charCodeAt(i + 1) << 16) + (head.charCodeAt(i + 2) << 8) + head.charCodeAt(i + 3);
  const width = u32(16);
  const height = u32(20);
  return width > 0 && height > 0 ? { width, height } : null;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** A stored `computer` result as a frame; null when it is not shaped like one. */
export function computerFrame(toolCallId: string, result: unknown, isError = false): ComputerFrame | null {
  if (!result || typeof result !== 'object') return null;
  const r = result as { content?: unknown; structured_content?: unknown };
  const content = Array.isArray(r.content) ? (r.content as Array<Record<string, unknown>>) : [];
  const sc = (r.structured_content && typeof r.structured_content === 'object' ? r.structured_content : {}) as Record<string, unknown>;
  if (content.length === 0 && Object.keys(sc).length === 0) return null;
  const text = content.find((c) => c?.type === 'text' && typeof c.text === 'string');
  const image = content.find((c) => c?.type === 'image' && typeof c.data === 'string' && typeof c.mime_type === 'string' && IMAGE_MIME.test(c.mime_type) && BASE64.test(c.data));
  const data = image ? (image.data as string) : null;
  const size = (data && image?.mime_type === 'image/png' ? pngSize(data) : null) ?? { width: num(sc.width), height: num(sc.height) };
  const m = sc.marker as { x?: unknown; y?: unknown } | null | undefined;
  return {
    toolCallId,
    action: typeof sc.action === 'string' ? sc.action : '',
    url: typeof sc.url === 'string' ? sc.url : '',
    title: typeof sc.title === 'string' ? sc.title : '',
    width: size.width,
    height: size.height,
    marker: m && typeof m.x === 'number' && typeof m.y === 'number' ? { x: m.x, y: m.y } : null,
    consoleErrors: strings(sc.console_errors),
    failedRequests: strings(sc.failed_requests),
    blockedRequests: strings(sc.blocked_requests),
    summary: text ? (text.text as string) : '',
    src: data ? `data:${image?.mime_type as string};base64,${data}` : null,
    isError,
  };
}

/** The newest `computer` result with a screenshot, searching from the end of the transcript. */
export function latestFrame(messages: ChatMessage[]): ComputerFrame | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.role !== 'tool') continue;
    for (let j = m.content.length - 1; j >= 0; j--) {
      const p = m.content[j];
      if (p.type !== 'tool-result' || p.tool_name !== COMPUTER_TOOL) continue;
      const frame = computerFrame(p.tool_call_id, p.result, p.is_error);
      if (frame?.src) return frame;
    }
  }
  return null;
}

/** The `computer` call being made now (streamed, or stored without its result yet), as an action line. */
export function pendingAction(messages: ChatMessage[], streaming: StreamingMessage | null): string | null {
  const live = streaming?.toolCalls.filter((c) => c.name === COMPUTER_TOOL).at(-1);
  if (live) return describeAction(parseArgs(live.args));
  const answered = new Set<string>();
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.role === 'tool') for (const p of m.content) if (p.type === 'tool-result') answered.add(p.tool_call_id);
    if (m.role !== 'assistant') continue;
    const call = m.content.filter((p) => p.type === 'tool-call' && p.tool_name === COMPUTER_TOOL).at(-1);
    if (call && call.type === 'tool-call') return answered.has(call.tool_call_id) ? null : describeAction(parseArgs(call.args));
    return null;
  }
  return null;
}

/** Where the marker sits as percentages of the image, so it stays on the spot at any displayed size. */
export function markerPercent(marker: { x: number; y: number } | null, width: number, height: number): { left: number; top: number } | null {
  if (!marker || width <= 0 || height <= 0) return null;
  const clamp = (v: number) => Math.min(100, Math.max(0, v));
  return { left: clamp((marker.x / width) * 100), top: clamp((marker.y / height) * 100) };
}

/** The same point in pixels of an image displayed at another size. */
export function scalePoint(p: { x: number; y: number }, natural: { width: number; height: number }, shown: { width: number; height: number }): { x: number; y: number } {
  return { x: natural.width > 0 ? (p.x * shown.width) / natural.width : 0, y: natural.height > 0 ? (p.y * shown.height) / natural.height : 0 };
}

const quote = (s: string, max = 40) => `"${s.length > max ? `${s.slice(0, max)}…` : s}"`;
const at = (a: Record<string, unknown>) => (typeof a.x === 'number' && typeof a.y === 'number' ? ` (${Math.round(a.x)}, ${Math.round(a.y)})` : '');

/** One line for a `computer` call's arguments: "click (120, 48)", "navigate https://…", "type "hello"". */
export function describeAction(args: Record<string, unknown> | undefined): string {
  if (!args || typeof args.action !== 'string') return 'computer';
  const a = args.action;
  switch (a) {
    case 'navigate': return typeof args.url === 'string' ? `navigate ${args.url}` : 'navigate';
    case 'click': return `${typeof args.button === 'string' && args.button !== 'left' ? `${args.button} ` : ''}click${at(args)}`;
    case 'double_click': return `double-click${at(args)}`;
    case 'type': return typeof args.text === 'string' ? `type ${quote(args.text)}` : 'type';
    // The server's argument is `combo` ("Control+a"); `key` is accepted as well.
    case 'key': { const k = args.combo ?? args.key; return typeof k === 'string' ? `key ${k}` : 'key'; }
    case 'scroll': return `scroll${at(args)}${typeof args.dx === 'number' && args.dx ? ` dx ${args.dx}` : ''}${typeof args.dy === 'number' && args.dy ? ` dy ${args.dy}` : ''}`;
    case 'wait': return typeof args.ms === 'number' ? `wait ${args.ms} ms` : 'wait';
    default: return a;
  }
}
