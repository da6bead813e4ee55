// Records a tool's file changes as checkpoints: the content before and after go to the blob store, the
// change to the database. Used by write_file and edit_files (and by execute's git snapshot).
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../context';
import { log } from '../logger';
import { currentAssistantMessageId, insertFileChange, type FileChangeRow } from '../store/checkpoints';
import { lineCounts } from '../tools/unifiedDiff';
import { BlobStore, MAX_CHECKPOINT_FILE_BYTES } from './blobStore';

const stores = new Map<string, BlobStore>();

/** The blob store beside the database, in the user's data dir: never in the workspace or its git. */
export function blobStoreOf(ctx: Pick<AppContext, 'dbPath'>): BlobStore {
  const dir = path.join(path.dirname(path.resolve(ctx.dbPath)), 'checkpoints', 'blobs');
  let s = stores.get(dir);
  if (!s) stores.set(dir, (s = new BlobStore(dir)));
  return s;
}

/** A file's content now: null when it does not exist; 'too-large' past the cap. */
export function readForCheckpoint(file: string): Buffer | null | 'too-large' {
  try {
    const st = statSync(file);
    if (!st.isFile()) return null;
    if (st.size > MAX_CHECKPOINT_FILE_BYTES) return 'too-large';
    return readFileSync(file);
  } catch {
    return null;
  }
}

/** The new version is stored as a delta against the one before it when that is small. */
function hashes(blobs: BlobStore, before: Buffer | null, after: Buffer | null): { before_hash: string | null; after_hash: string | null } {
  const beforeHash = before === null ? null : blobs.put(before);
  const afterHash = after === null ? null : blobs.put(after, before !== null && beforeHash ? { hash: beforeHash, content: before } : undefined);
  return { before_hash: beforeHash, after_hash: afterHash };
}

export interface CheckpointRecorder {
  /** One file changed from `before` to `after` (null: absent). */
  record(file: string, before: Buffer | null | 'too-large', after: Buffer | null | 'too-large', source: FileChangeRow['source']): void;
}

export function checkpointRecorder(ctx: AppContext, chatId: string, toolCallId: string | undefined): CheckpointRecorder {
  const blobs = blobStoreOf(ctx);
  // The call's assistant message, fixed now: a background command's changes are recorded after later steps.
  const messageId = currentAssistantMessageId(ctx.db, chatId);
  return {
    record(file, before, after, source) {
      if (before === 'too-large' || after === 'too-large') {
        log.info('file too large for a checkpoint; its change cannot be undone', { path: file });
        return;
      }
      if (before !== null && after !== null && before.equals(after)) return;
      try {
        const counts = lineCounts(before?.toString('utf8') ?? '', after?.toString('utf8') ?? '');
        insertFileChange(ctx.db, {
          chat_id: chatId, message_id: messageId, tool_call_id: toolCallId ?? null, path: file,
          ...hashes(blobs, before, after),
          added: counts.added, removed: counts.removed, source, restore_id: null, created_at: ctx.now(),
        });
        ctx.events.stream(chatId, { type: 'file_changes' });
      } catch (err) {
        // A checkpoint that cannot be kept must not fail the edit the user allowed.
        log.warn('could not record a checkpoint', { path: file, error: (err as Error).message });
      }
    },
  };
}
