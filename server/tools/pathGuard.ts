// Every path a tool touches is resolved against the chat's folder and must stay inside the workspace, also
// through symlinks: the check runs on the real path (of the nearest existing ancestor, for files not yet
// created), and tools then use that real path, so what was checked is what gets opened.
import { lstat, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { ToolContext } from './types';

/** Symlink hops followed by hand (dangling links) before giving up, like the kernel's ELOOP limit. */
const MAX_LINK_HOPS = 40;

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * The real path `abs` refers to, whether or not it exists: the real path of its nearest existing ancestor
 * joined with the rest. A dangling symlink is followed to where it points, since writing through it would
 * create the file there.
 */
async function realPathOf(abs: string, field: string, shown: string): Promise<string> {
  let target = abs;
  for (let hop = 0; hop < MAX_LINK_HOPS; hop++) {
    let existing = target;
    const rest: string[] = [];
    while (!(await exists(existing))) {
      const parent = path.dirname(existing);
      if (parent === existing) break;
      rest.unshift(path.basename(existing));
      existing = parent;
    }
    try {
      return path.join(await realpath(existing), ...rest);
    } catch {
      // `existing` is a dangling symlink (or a chain of them): resolve its first hop and look again.
      const link = await readlink(existing).catch(() => null);
      if (link === null) throw new Error(`${field}: "${shown}" cannot be resolved.`);
      target = path.join(path.resolve(path.dirname(existing), link), ...rest);
    }
  }
  throw new Error(`${field}: "${shown}" has too many levels of symbolic links.`);
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/**
 * Resolves `p` (relative to the chat's folder, or absolute) to a real absolute path inside one of the allowed
 * roots, or throws an error naming `field`.
 */
export async function resolveInWorkspace(ctx: Pick<ToolContext, 'workspaceFolder' | 'allowedRoots'>, p: string, field: string): Promise<string> {
  if (typeof p !== 'string' || p.trim() === '') throw new Error(`${field}: a path is required.`);
  if (p.includes('\0')) throw new Error(`${field}: "${p.replace(/\0/g, '\\0')}" contains a NUL character.`);
  const abs = path.resolve(ctx.workspaceFolder, p);
  const real = await realPathOf(abs, field, p);
  const roots = await Promise.all(ctx.allowedRoots.map((r) => realpath(r).catch(() => path.resolve(r))));
  if (!roots.some((root) => isInside(root, real))) throw new Error(`${field}: "${p}" is outside the workspace.`);
  return real;
}
