// Archiving a chat ends its undo: its checkpoints go, and blobs no other chat refers to are deleted.
import type { AppContext } from '../context';
import { log } from '../logger';
import { deleteChangesOfChats, referencedHashes } from '../store/checkpoints';
import { blobStoreOf } from './recorder';

export function dropCheckpoints(ctx: AppContext, chatIds: string[]): void {
  try {
    const dropped = ctx.db.transaction(() => deleteChangesOfChats(ctx.db, chatIds))();
    if (dropped === 0) return;
    const freed = blobStoreOf(ctx).collect(referencedHashes(ctx.db));
    log.info('checkpoints of archived chats dropped', { changes: dropped, bytes_freed: freed });
  } catch (err) {
    log.warn('could not drop checkpoints', { error: (err as Error).message });
  }
}
