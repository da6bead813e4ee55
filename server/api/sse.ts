// Server-Sent Events: one response kept open, events written as `id`, `event`, `data` lines, a comment
// every 15 s so proxies and idle timers keep it, and a stop when the client goes.
import type { IncomingMessage, ServerResponse } from 'node:http';

const HEARTBEAT_MS = 15_000;

/** `json`: `data` already serialised, shared by every client of a fan-out. */
export interface SseEvent { id?: string; event: string; data: unknown; json?: string }

export class SseConnection {
  private closed = false;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly onClose: Array<() => void> = [];

  constructor(req: IncomingMessage, private readonly res: ServerResponse) {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    this.heartbeat = setInterval(() => this.raw(': ping\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
    const end = () => this.close();
    req.on('close', end);
    res.on('close', end);
    res.on('error', end);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  whenClosed(fn: () => void): void {
    if (this.closed) fn();
    else this.onClose.push(fn);
  }

  /** Several events in one write (a batch of stream events arrives together). */
  send(events: SseEvent[]): void {
    if (this.closed || events.length === 0) return;
    let out = '';
    for (const e of events) out += `${e.id !== undefined ? `id: ${e.id}\n` : ''}event: ${e.event}\ndata: ${e.json ?? JSON.stringify(e.data)}\n\n`;
    this.raw(out);
  }

  private raw(text: string): void {
    if (!this.closed) this.res.write(text);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    if (!this.res.writableEnded) this.res.end();
    for (const fn of this.onClose.splice(0)) fn();
  }
}
