// Every path a tool touches is resolved against the chat's folder and must stay inside the workspace,
// also through symlinks (checked on the real path of the nearest existing ancestor).
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { ToolContext } from './types';

function realOfNearestExisting(p: string): string {
  let cur = p;
  const rest: string[] = [];
  while (!existsSync(cur)) {
    const parent = path.dirname(cur);
    if (parent === cur) break;
    rest.unshift(path.basename(cur));
    cur = parent;
  }
  return path.join(realpathSync(cur), ...rest);
}

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export function resolveInWorkspace(ctx: Pick<ToolContext, 'workspaceFolder' | 'allowedRoots'>, p: string, field: string): string {
  if (typeof p !== 'string' || p.length === 0) throw new Error(`${field}: a path is required.`);
  const abs = path.resolve(ctx.workspaceFolder, p);
  const real = realOfNearestExisting(abs);
  const roots = ctx.allowedRoots.map((r) => (existsSync(r) ? realpathSync(r) : path.resolve(r)));
  if (!roots.some((r) => inside(r, real))) throw new Error(`${field}: "${p}" is outside the workspace.`);
  return real;
}
