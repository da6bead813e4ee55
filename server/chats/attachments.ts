// Files a person attaches travel inline, but their path says where they came from: one outside the
// workspace folders (also through a symlink) is refused, so a chat cannot carry a file from elsewhere.
import path from 'node:path';
import type { AppContext } from '../context';
import { badRequest } from '../errors';
import { log } from '../logger';
import type { InputPart } from '../protocol';
import { realPathSync, relativeToRoots } from '../tools/pathGuard';

export function assertAttachmentsInside(ctx: AppContext, content: InputPart[]): void {
  content.forEach((part, i) => {
    if (part.type !== 'file' || part.path === undefined) return;
    const base = ctx.workspace.folders[0];
    const real = base ? realPathSync(path.resolve(base, part.path)) : null;
    if (real && relativeToRoots(ctx.workspace.folders, real) !== null) return;
    log.warn('attachment refused: outside the workspace', { name: part.name, real_path: real });
    throw badRequest(`Attachment "${part.name}" is outside the workspace.`, 'Only files inside the workspace folders can be attached.', `content.${i}.path`);
  });
}
