// Undo for the agent's file changes: restore to a message, undo chosen changes (one file, one turn), keep
// them, and undo a restore. A file is only written back when it still has exactly the content the agent
// (or the restore) left; a file the user changed since is skipped and reported, never overwritten.
import { lstatSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../context';
import { requireChat } from '../chats/lifecycle';
import { badRequest, notFound } from '../errors';
import type { FileChange, FileChangeContent, RestoreResult } from '../protocol';
import type { ParsedParams } from '../protocol/schemas';
import {
  appliedChangesAfter, changesOfRestore, changesUndoneBy, getFileChanges, getRestore, insertFileChange, insertRestore, listFileChanges,
  markRestoreUndone, setChangeState, type FileChangeRow,
} from '../store/checkpoints';
import { hashOf } from './blobStore';
import { blobStoreOf, readForCheckpoint } from './recorder';

function payload(row: FileChangeRow, folder: string | null): FileChange {
  const rel = folder ? path.relative(folder, row.path) : row.path;
  return {
    id: row.id, chat_id: row.chat_id, message_id: row.message_id, tool_call_id: row.tool_call_id, path: row.path,
    relative_path: folder && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : row.path,
    before_exists: row.before_hash !== null, after_exists: row.after_hash !== null, added: row.added, removed: row.removed,
    source: row.source, restore_id: row.restore_id, state: row.state, created_at: new Date(row.created_at).toISOString(),
  };
}

export function listChatFileChanges(ctx: AppContext, chatId: string): FileChange[] {
  const chat = requireChat(ctx, chatId);
  return listFileChanges(ctx.db, chat.id).map((r) => payload(r, chat.workspace_folder));
}

/**
 * A restore writes only inside the workspace's folders, by real path: a symlink swapped in since (even a
 * dangling one, which a write would follow to create its target) cannot lead out.
 */
function insideWorkspace(ctx: AppContext, file: string): boolean {
  try {
    if (lstatSync(file).isSymbolicLink()) return false;
  } catch { /* absent: its folder decides */ }
  let dir = path.dirname(file);
  while (true) {
    try {
      dir = realpathSync(dir);
      break;
    } catch {
      const up = path.dirname(dir);
      if (up === dir) return false;
      dir = up;
    }
  }
  return ctx.workspace.folders.some((root) => dir === root || dir.startsWith(root.endsWith(path.sep) ? root : root + path.sep));
}

interface Target { file: string; changes: FileChangeRow[]; expected: string | null; target: string | null }

/** Per file: the content before the earliest of the changes, and the content the latest one left. */
function targetsOf(changes: FileChangeRow[]): Target[] {
  const byPath = new Map<string, FileChangeRow[]>();
  for (const c of changes) byPath.set(c.path, [...(byPath.get(c.path) ?? []), c]);
  return [...byPath.entries()].map(([file, list]) => ({ file, changes: list, target: list[0].before_hash, expected: list[list.length - 1].after_hash }));
}

function currentHash(file: string): string | null | 'too-large' {
  const now = readForCheckpoint(file);
  return now === null || now === 'too-large' ? now : hashOf(now);
}

/** Writes the targets back; `source` changes are recorded under a new restore, and marked as undone by it. */
function revert(ctx: AppContext, chatId: string, targets: Target[], dryRun: boolean, toMessageId: number | null, afterUndo?: (restoreId: number) => void): RestoreResult {
  const blobs = blobStoreOf(ctx);
  const result: RestoreResult = { restore_id: null, dry_run: dryRun, restored: [], skipped: [] };
  const writable: Array<Target & { content: Buffer | null }> = [];
  for (const t of targets) {
    const now = currentHash(t.file);
    if (now !== t.expected) {
      result.skipped.push({ path: t.file, reason: now === null ? 'deleted since the change' : 'changed since the agent wrote it' });
      continue;
    }
    const content = t.target === null ? null : blobs.get(t.target);
    if (content === undefined) {
      result.skipped.push({ path: t.file, reason: 'its earlier content was not kept' });
      continue;
    }
    if (!insideWorkspace(ctx, t.file)) {
      result.skipped.push({ path: t.file, reason: 'outside the workspace folders' });
      continue;
    }
    writable.push({ ...t, content });
    result.restored.push({ path: t.file, action: content === null ? 'deleted' : t.expected === null ? 'recreated' : 'restored' });
  }
  if (dryRun || writable.length === 0) return result;
  const restore = insertRestore(ctx.db, chatId, toMessageId, ctx.now());
  for (const w of writable) {
    if (w.content === null) rmSync(w.file, { force: true });
    else {
      mkdirSync(path.dirname(w.file), { recursive: true });
      writeFileSync(w.file, w.content);
    }
    insertFileChange(ctx.db, {
      chat_id: chatId, message_id: null, tool_call_id: null, path: w.file, before_hash: w.expected, after_hash: w.target,
      added: w.changes.reduce((n, c) => n + c.removed, 0), removed: w.changes.reduce((n, c) => n + c.added, 0),
      source: 'restore', restore_id: restore.id, created_at: ctx.now(),
    });
    setChangeState(ctx.db, w.changes.map((c) => c.id), 'undone', restore.id);
  }
  afterUndo?.(restore.id);
  ctx.events.stream(chatId, { type: 'file_changes' });
  return { ...result, restore_id: restore.id };
}

export function restoreCheckpoint(ctx: AppContext, p: ParsedParams<'RestoreCheckpoint'>): RestoreResult {
  const chat = requireChat(ctx, p.chat_id);
  const exists = ctx.db.prepare('SELECT 1 FROM chat_messages WHERE chat_id = ? AND id = ?').get(chat.id, p.message_id);
  if (!exists) throw notFound('Message not found.', `Chat ${chat.id} has no message ${p.message_id}.`);
  return revert(ctx, chat.id, targetsOf(appliedChangesAfter(ctx.db, chat.id, p.message_id)), p.dry_run ?? false, p.message_id);
}

export function undoFileChanges(ctx: AppContext, p: ParsedParams<'UndoFileChanges'>): RestoreResult {
  const chat = requireChat(ctx, p.chat_id);
  const rows = getFileChanges(ctx.db, chat.id, p.change_ids);
  const missing = p.change_ids.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length > 0) throw notFound('File change not found.', `Chat ${chat.id} has no change ${missing.join(', ')}.`);
  const open = rows.filter((r) => r.source !== 'restore' && r.state !== 'undone');
  if (open.length === 0) throw badRequest('These changes were already undone.', 'Undo the restore instead.', 'change_ids');
  return revert(ctx, chat.id, targetsOf(open), p.dry_run ?? false, null);
}

export function keepFileChanges(ctx: AppContext, p: ParsedParams<'KeepFileChanges'>): null {
  const chat = requireChat(ctx, p.chat_id);
  const rows = getFileChanges(ctx.db, chat.id, p.change_ids).filter((r) => r.state === 'applied');
  setChangeState(ctx.db, rows.map((r) => r.id), 'kept');
  ctx.events.stream(chat.id, { type: 'file_changes' });
  return null;
}

/** Undoing a restore is a restore of its own changes; the changes it had undone count as applied again. */
export function undoRestore(ctx: AppContext, p: ParsedParams<'UndoRestore'>): RestoreResult {
  const chat = requireChat(ctx, p.chat_id);
  const restore = getRestore(ctx.db, chat.id, p.restore_id);
  if (!restore) throw notFound('Restore not found.', `Chat ${chat.id} has no restore ${p.restore_id}.`);
  if (restore.undone_at !== null) throw badRequest('This restore was already undone.', undefined, 'restore_id');
  const own = changesOfRestore(ctx.db, restore.id);
  const undone = changesUndoneBy(ctx.db, restore.id);
  return revert(ctx, chat.id, targetsOf(own), false, null, () => {
    markRestoreUndone(ctx.db, restore.id, ctx.now());
    setChangeState(ctx.db, undone.map((c) => c.id), 'applied');
  });
}

export function fileChangeContent(ctx: AppContext, p: ParsedParams<'GetFileChangeContent'>): FileChangeContent {
  const chat = requireChat(ctx, p.chat_id);
  const [row] = getFileChanges(ctx.db, chat.id, [p.change_id]);
  if (!row) throw notFound('File change not found.', `Chat ${chat.id} has no change ${p.change_id}.`);
  const hash = p.side === 'before' ? row.before_hash : row.after_hash;
  const content = hash === null ? undefined : blobStoreOf(ctx).get(hash);
  return { path: row.path, exists: content !== undefined, content: content?.toString('utf8') ?? '' };
}
