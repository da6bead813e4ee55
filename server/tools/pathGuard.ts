// Every path a tool, context file or gate touches is resolved against the chat's folder and must stay inside
// the workspace, also through symlinks: the check runs on the real path (of the nearest existing ancestor,
// for files not yet created), and tools then use that real path, so what was checked is what gets opened.
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { ToolContext } from './types';

/** Symlink hops followed by hand (dangling links) before giving up, like the kernel's ELOOP limit. */
const MAX_LINK_HOPS = 40;

function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

class UnresolvablePath extends Error {}

/**
 * The real path `abs` refers to, whether or not it exists: the real path of its nearest existing ancestor
 * joined with the rest. A dangling symlink is followed to where it points, since writing through it would
 * create the file there.
 */
function realPathOf(abs: string): string {
  let target = abs;
  for (let hop = 0; hop < MAX_LINK_HOPS; hop++) {
    let existing = target;
    const rest: string[] = [];
    while (!exists(existing)) {
      const parent = path.dirname(existing);
      if (parent === existing) break;
      rest.unshift(path.basename(existing));
      existing = parent;
    }
    try {
      return path.join(realpathSync(existing), ...rest);
    } catch {
      // `existing` is a dangling symlink (or a chain of them): resolve its first hop and look again.
      let link: string;
      try { link = readlinkSync(existing); } catch { throw new UnresolvablePath('cannot be resolved'); }
      target = path.join(path.resolve(path.dirname(existing), link), ...rest);
    }
  }
  throw new UnresolvablePath('has too many levels of symbolic links');
}

/** The real path of an absolute path; an unresolvable one (a symlink loop) stays as it is, and is outside every root. */
export function realPathSync(abs: string): string {
  try {
    return realPathOf(abs);
  } catch {
    return abs;
  }
}

export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

const rootCache = new Map<string, string>();
function realRoot(root: string): string {
  let real = rootCache.get(root);
  if (real === undefined) {
    real = realPathSync(path.resolve(root));
    rootCache.set(root, real);
  }
  return real;
}

/** The path relative to the workspace folder that holds it (posix separators), or null when it is outside all of them. */
export function relativeToRoots(roots: string[], real: string): string | null {
  for (const root of roots) {
    const r = realRoot(root);
    if (isInside(r, real)) return path.relative(r, real).split(path.sep).join('/') || '.';
  }
  return null;
}

/**
 * Resolves `p` (relative to `folder`, or absolute) to a real absolute path inside one of the roots, or throws
 * an error naming `field`.
 */
export function resolveInsideSync(folder: string, roots: string[], p: string, field: string): string {
  if (typeof p !== 'string' || p.trim() === '') throw new Error(`${field}: a path is required.`);
  if (p.includes('\0')) throw new Error(`${field}: "${p.replace(/\0/g, '\\0')}" contains a NUL character.`);
  let real: string;
  try {
    real = realPathOf(path.resolve(folder, p));
  } catch (err) {
    throw new Error(`${field}: "${p}" ${(err as Error).message}.`);
  }
  if (relativeToRoots(roots, real) === null) throw new Error(`${field}: "${p}" is outside the workspace.`);
  return real;
}

export async function resolveInWorkspace(ctx: Pick<ToolContext, 'workspaceFolder' | 'allowedRoots'>, p: string, field: string): Promise<string> {
  return resolveInsideSync(ctx.workspaceFolder, ctx.allowedRoots, p, field);
}
