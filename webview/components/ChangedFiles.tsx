// The files a turn changed, at the end of the turn: +/− per file, the diff against the file now, Keep and
// Undo per file, Undo all of the turn. What a restore skipped (a file changed since) is said, with its undo.
import { useEffect, useState } from 'preact/hooks';
import type { ChatMessage, FileChange, RestoreResult } from '../../server/protocol';
import { KeepFileChanges, ListFileChanges, UndoFileChanges, UndoRestore } from '../../server/protocol/methods';
import { post, request, RequestError } from '../rpc';

/** The chat's checkpoints, read again whenever they change or the chat's status does. */
export function useFileChanges(chatId: string | undefined, version: number, status: string | undefined): FileChange[] {
  const [changes, setChanges] = useState<FileChange[]>([]);
  useEffect(() => {
    let live = true;
    if (!chatId) { setChanges([]); return; }
    void request(ListFileChanges, { chat_id: chatId }).then((c) => { if (live) setChanges(c); }, () => undefined);
    return () => { live = false; };
  }, [chatId, version, status]);
  return changes;
}

/** Changes by turn: keyed by the id of the last row of the turn they belong to (where the card shows). */
export function changesByTurnEnd(rows: ChatMessage[], changes: FileChange[]): Map<number, FileChange[]> {
  const out = new Map<number, FileChange[]>();
  const own = changes.filter((c) => c.source !== 'restore' && c.message_id !== null);
  if (own.length === 0) return out;
  // Turn ends: the row before each user message, and the last row.
  const ends: number[] = [];
  rows.forEach((m, i) => { if (i > 0 && m.role === 'user') ends.push(rows[i - 1].id); });
  if (rows.length) ends.push(rows[rows.length - 1].id);
  for (const c of own) {
    const end = ends.find((e) => e >= c.message_id!);
    if (end === undefined) continue;
    out.set(end, [...(out.get(end) ?? []), c]);
  }
  return out;
}

/** One row per file: the turn's changes of a path together. */
function byFile(changes: FileChange[]): Array<{ path: string; relative: string; ids: number[]; added: number; removed: number; state: FileChange['state']; first: FileChange; created: boolean }> {
  const files = new Map<string, FileChange[]>();
  for (const c of changes) files.set(c.path, [...(files.get(c.path) ?? []), c]);
  return [...files.values()].map((list) => ({
    path: list[0].path, relative: list[0].relative_path, ids: list.map((c) => c.id), first: list[0], created: !list[0].before_exists,
    added: list.reduce((n, c) => n + c.added, 0), removed: list.reduce((n, c) => n + c.removed, 0),
    state: list.every((c) => c.state === 'undone') ? 'undone' : list.every((c) => c.state === 'kept') ? 'kept' : 'applied',
  }));
}

export function ChangedFiles({ chatId, changes }: { chatId: string; changes: FileChange[] }) {
  const [result, setResult] = useState<RestoreResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const files = byFile(changes);
  const act = async (fn: () => Promise<RestoreResult | null>) => {
    setError(null);
    try {
      const r = await fn();
      if (r) setResult(r);
    } catch (err) {
      setError((err as RequestError).message);
    }
  };
  const open = files.filter((f) => f.state !== 'undone');
  return (
    <div class="changed-files" data-testid="changed-files">
      <div class="changed-files-head">
        <span class="codicon codicon-diff" /> {files.length} file{files.length === 1 ? '' : 's'} changed
        <span class="spacer" />
        {open.length > 0 && <button class="secondary" data-testid="undo-turn" title="Put back every file of this turn (files you changed since stay)"
          onClick={() => void act(() => request(UndoFileChanges, { chat_id: chatId, change_ids: open.flatMap((f) => f.ids) }))}>Undo all</button>}
      </div>
      {files.map((f) => (
        <div class={`changed-file ${f.state}`} key={f.path} data-testid="changed-file" data-state={f.state}>
          <button class="link" title="Open the diff: before the agent (left) and now (right)" onClick={() => post({ type: 'openChangeDiff', chatId, changeId: f.first.id })}>{f.relative}</button>
          <span class="added">+{f.added}</span> <span class="removed">−{f.removed}</span>{f.created ? <span class="note"> new</span> : null}
          <span class="spacer" />
          {f.state === 'undone' ? <span class="note">undone</span> : (
            <>
              {f.state === 'applied' && <button class="icon" data-testid="keep-file" title="Keep" onClick={() => void act(async () => { await request(KeepFileChanges, { chat_id: chatId, change_ids: f.ids }); return null; })}><span class="codicon codicon-check" /></button>}
              <button class="icon" data-testid="undo-file" title="Undo: put back the file as it was before this turn" onClick={() => void act(() => request(UndoFileChanges, { chat_id: chatId, change_ids: f.ids }))}><span class="codicon codicon-discard" /></button>
            </>
          )}
        </div>
      ))}
      {result && (result.skipped.length > 0 || result.restore_id) && (
        <div class="restore-result" data-testid="restore-result">
          {result.skipped.map((s) => <div key={s.path} class="note">Skipped {s.path}: {s.reason}</div>)}
          {result.restore_id && <button class="link" data-testid="undo-restore" onClick={() => void act(() => request(UndoRestore, { chat_id: chatId, restore_id: result.restore_id! }).then((r) => { setResult(null); return r; }))}>Redo the changes (undo the undo)</button>}
        </div>
      )}
      {error && <div class="banner error">{error}</div>}
    </div>
  );
}
