// The browsers of computer-use chats, by chat id: opened on a chat's first `computer` call, closed when its
// turn ends (finishTurn), when it is interrupted (abortLocalRun), after a long idle (a chat left waiting for
// an approval) and when the server stops. A turn that waits for an approval keeps its page.
import { log } from '../logger';
import { BrowserSession, type SessionOptions } from './browserSession';

/** A browser nobody used for this long is closed; the next action opens a fresh one. */
const IDLE_CLOSE_MS = 15 * 60_000;

export class ComputerSessions {
  private readonly sessions = new Map<string, { session: Promise<BrowserSession>; idle?: NodeJS.Timeout }>();

  /** The chat's browser, opened when it has none. */
  async get(chatId: string, opts: () => SessionOptions): Promise<BrowserSession> {
    let entry = this.sessions.get(chatId);
    if (entry) {
      const s = await entry.session.catch(() => null);
      if (s && !s.isClosed) return this.touch(chatId, s);
      if (this.sessions.get(chatId) === entry) this.sessions.delete(chatId);
    }
    entry = { session: BrowserSession.open(opts()) };
    this.sessions.set(chatId, entry);
    try {
      return this.touch(chatId, await entry.session);
    } catch (err) {
      if (this.sessions.get(chatId) === entry) this.sessions.delete(chatId);
      throw err;
    }
  }

  private touch(chatId: string, s: BrowserSession): BrowserSession {
    const entry = this.sessions.get(chatId);
    if (entry) {
      clearTimeout(entry.idle);
      entry.idle = setTimeout(() => { void this.close(chatId); }, IDLE_CLOSE_MS);
      entry.idle.unref();
    }
    return s;
  }

  has(chatId: string): boolean {
    return this.sessions.has(chatId);
  }

  /** Closes the chat's browser, if it has one; never throws. */
  async close(chatId: string): Promise<void> {
    const entry = this.sessions.get(chatId);
    if (!entry) return;
    this.sessions.delete(chatId);
    clearTimeout(entry.idle);
    try {
      await (await entry.session).close();
      log.info('closed the computer-use browser', { chat_id: chatId });
    } catch {
      // It never opened: nothing to close.
    }
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.close(id)));
  }
}
