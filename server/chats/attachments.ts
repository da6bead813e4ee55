// What a user sends beside text: workspace files (inline, with the path they came from), uploads (by
// file_id) and references to lines of a file. A path outside the workspace folders (also through a
// symlink) is refused, so a chat cannot carry a file from elsewhere; an unknown upload is a 400 naming the
// part. When the message is sent, its files are linked to the chat, once each.
import path from 'node:path';
import type { AppContext } from '../context';
import { badRequest } from '../errors';
import { log } from '../logger';
import type { InputPart, MessagePart } from '../protocol';
import { getFileRow, linkFile, linkPathFile, type FileRow } from '../store/files';
import { realPathSync, relativeToRoots } from '../tools/pathGuard';

/** Uploads of up to this size with a text media type are given to the model inline. */
const INLINE_TEXT_BYTES = 1024 * 1024;
const isText = (mediaType: string): boolean => mediaType.startsWith('text/') || /^application\/(json|xml|yaml|x-yaml|javascript|typescript|x-sh|toml)\b/.test(mediaType);

/** An upload is usable from the workspace it was made in (or by a server serving all of them). */
function uploadInScope(ctx: AppContext, row: FileRow): boolean {
  return row.data !== null && (ctx.workspace.scope === 'all' || row.workspace === null || row.workspace === ctx.workspace.workspace);
}

export function checkInputParts(ctx: AppContext, content: InputPart[]): void {
  content.forEach((part, i) => {
    if (part.type !== 'file') return;
    if (part.file_id !== undefined) {
      const row = getFileRow(ctx.db, part.file_id);
      if (!row || !uploadInScope(ctx, row)) throw badRequest('Invalid input part.', `content[${i}].file_id: no uploaded file with id ${part.file_id}.`, `content.${i}.file_id`);
      return;
    }
    if (part.path === undefined) return;
    const base = ctx.workspace.folders[0];
    const real = base ? realPathSync(path.resolve(base, part.path)) : null;
    if (real && relativeToRoots(ctx.workspace.folders, real) !== null) return;
    log.warn('attachment refused: outside the workspace', { name: part.name, real_path: real });
    throw badRequest(`Attachment "${part.name ?? part.path}" is outside the workspace.`, 'Only files inside the workspace folders can be attached.', `content.${i}.path`);
  });
}

function referenceText(p: Extract<InputPart, { type: 'file-reference' }>): string {
  const lines = p.start_line ? `:${p.start_line}${p.end_line && p.end_line !== p.start_line ? `-${p.end_line}` : ''}` : '';
  return p.content === undefined ? `${p.file_name}${lines}` : `${p.file_name}${lines}:\n\`\`\`\n${p.content}\n\`\`\``;
}

/**
 * The parts of a user message as stored, with its files linked to the chat. Inside the caller's
 * transaction; the parts were checked by checkInputParts when the message was sent.
 */
export function userMessageParts(ctx: AppContext, chatId: string, content: InputPart[], now: number): MessagePart[] {
  return content.map((p): MessagePart => {
    if (p.type === 'text') return { ...p };
    if (p.type === 'file-reference') return { type: 'text', text: referenceText(p) };
    if (p.file_id !== undefined) {
      const row = getFileRow(ctx.db, p.file_id);
      if (!row || row.data === null) return { type: 'file', file_id: p.file_id, name: p.name ?? 'file', media_type: p.media_type ?? 'application/octet-stream' };
      linkFile(ctx.db, chatId, row.id, 'attachment', now);
      const inline = isText(row.media_type) && row.size <= INLINE_TEXT_BYTES ? { content: row.data.toString('utf8') } : {};
      return { type: 'file', file_id: row.id, name: p.name ?? row.name, media_type: row.media_type, ...inline };
    }
    const name = p.name ?? path.basename(p.path ?? 'file');
    const mediaType = p.media_type ?? 'text/plain';
    if (p.path !== undefined) {
      const base = ctx.workspace.folders[0];
      const abs = base ? path.resolve(base, p.path) : p.path;
      linkPathFile(ctx.db, chatId, { path: abs, name, mediaType, size: Buffer.byteLength(p.content ?? ''), kind: 'attachment', now });
    }
    return { type: 'file', name, media_type: mediaType, ...(p.path !== undefined ? { path: p.path } : {}), ...(p.content !== undefined ? { content: p.content } : {}) };
  });
}
