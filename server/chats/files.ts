// Uploads (POST /chats/files) and the chat with its linked files (GET /chats/{id}).
import type { AppContext } from '../context';
import { notFound } from '../errors';
import type { Chat } from '../protocol';
import type { ChatFileData } from '../protocol/requests';
import type { ParsedParams } from '../protocol/schemas';
import { getFileRow, insertUpload, listChatFileRows } from '../store/files';
import { iso } from '../util/time';
import { chatPayload } from './lifecycle';

export function uploadChatFile(ctx: AppContext, p: ParsedParams<'UploadChatFile'>): { id: string } {
  const data = Buffer.from(p.data, 'base64');
  return { id: insertUpload(ctx.db, { name: p.name, mediaType: p.media_type, data, workspace: ctx.workspace.workspace, createdAt: ctx.now() }) };
}

export function getChatFile(ctx: AppContext, p: ParsedParams<'GetChatFile'>): ChatFileData {
  const row = getFileRow(ctx.db, p.file_id);
  const visible = row && row.data !== null && (ctx.workspace.scope === 'all' || row.workspace === null || row.workspace === ctx.workspace.workspace);
  if (!row || !visible || row.data === null) throw notFound('File not found.', `No uploaded file with id ${p.file_id}.`);
  return { id: row.id, name: row.name, media_type: row.media_type, size: row.size, data: row.data.toString('base64'), created_at: iso(row.created_at) };
}

export function chatWithFiles(ctx: AppContext, chatId: string): Chat {
  return { ...chatPayload(ctx, chatId), files: listChatFileRows(ctx.db, chatId) };
}
