// The folder a chat's tools act in: chosen at creation, checked against the workspace's folders,
// and repaired (not re-resolved every turn) when the folder disappears.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { WorkspaceState } from '../context';
import { badRequest } from '../errors';
import { log } from '../logger';

export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function real(p: string): string {
  try { return realpathSync(p); } catch { return path.resolve(p); }
}

/** The folder a new chat binds to: the requested one if inside the workspace, else the first folder. */
export function chooseBinding(ws: WorkspaceState, requested: string | undefined): string | null {
  if (requested === undefined) return ws.folders[0] ?? null;
  const resolved = real(path.resolve(ws.folders[0] ?? process.cwd(), requested));
  if (!ws.folders.some((root) => isInside(root, resolved))) {
    throw badRequest(`Folder "${requested}" is outside the workspace.`, `Workspace folders: ${ws.folders.join(', ') || '(none)'}`, 'workspace_folder');
  }
  return resolved;
}

/** Returns the binding to use for a turn, or a replacement when the bound folder is gone or left the workspace. */
export function repairedBinding(ws: WorkspaceState, chatId: string, bound: string | null): string | null {
  if (bound && existsSync(bound) && ws.folders.some((root) => isInside(root, bound))) return bound;
  const replacement = ws.folders.find((f) => existsSync(f)) ?? null;
  if (bound !== replacement) log.warn('chat workspace binding repaired', { chat_id: chatId, from: bound, to: replacement });
  return replacement;
}
