// Follows what other processes on the same database file (a second VS Code window's server, the CLI) do to
// chats, and tells this server's client with `changed_elsewhere` watch events, so its trees and panel stay
// live without reloading. Polls SQLite's data_version, which moves only when another connection commits.
import type { AppContext } from '../context';
import { log } from '../logger';
import { getChat } from '../store/chats';
import { inScope } from './lifecycle';
import { changesByOthers, lastChangeSeq, pruneChatChanges } from '../store/chatChanges';

export class ExternalChangeFeed {
  private timer: NodeJS.Timeout | undefined;
  private dataVersion: number;
  private seq: number;
  private polls = 0;

  constructor(private readonly ctx: AppContext) {
    this.dataVersion = ctx.db.pragma('data_version', { simple: true }) as number;
    this.seq = lastChangeSeq(ctx.db);
  }

  start(pollMs = 1000): void {
    this.timer = setInterval(() => this.poll(), pollMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  poll(): void {
    try {
      // Old rows go now and then; any process may prune, the rows are only minutes of history.
      if (++this.polls % 600 === 0) pruneChatChanges(this.ctx.db, this.ctx.now());
      const version = this.ctx.db.pragma('data_version', { simple: true }) as number;
      if (version === this.dataVersion) return;
      this.dataVersion = version;
      const { chatIds, seq } = changesByOthers(this.ctx.db, this.seq, this.ctx.workerId);
      this.seq = seq;
      for (const id of chatIds) {
        const chat = getChat(this.ctx.db, id);
        // Another workspace's chats are not this server's to show.
        if (chat && inScope(this.ctx, chat)) this.ctx.events.watch('changed_elsewhere', chat);
      }
    } catch (err) {
      log.warn('reading changes of other processes failed', { error: (err as Error).message });
    }
  }
}
