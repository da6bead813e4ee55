// Persists the workspace's context files and skills into a chat when its binding changes, and lets the
// user add more (`context add`) or clear them so the next turn re-reads the defaults (`context clear`).
import path from 'node:path';
import type { AppContext } from '../context';
import { requireChat } from '../chats/lifecycle';
import { isInside } from '../chats/workspaceBinding';
import { badRequest } from '../errors';
import type { ChatMessage, MessagePart } from '../protocol';
import { insertMessage } from '../store/messages';
import type { ChatRow } from '../store/rows';
import { contextMeta, discoverContextFiles, discoverSkills, skillParts, type InjectedContextMeta } from './contextFiles';

/** The folders context may come from: the workspace's (or the chat's own folder when no workspace is known). */
export const rootsOf = (ctx: AppContext, folder: string): string[] => (ctx.workspace.folders.length > 0 ? ctx.workspace.folders : [folder]);

export function readMeta(row: ChatRow): InjectedContextMeta | null {
  return row.last_injected_context ? (JSON.parse(row.last_injected_context) as InjectedContextMeta) : null;
}

function persist(ctx: AppContext, chatId: string, parts: MessagePart[], meta: InjectedContextMeta): ChatMessage | undefined {
  let message: ChatMessage | undefined;
  ctx.db.transaction(() => {
    if (parts.length > 0) message = insertMessage(ctx.db, { chatId, role: 'system', content: parts, createdAt: ctx.now() });
    ctx.db.prepare('UPDATE chats SET last_injected_context = ? WHERE id = ?').run(JSON.stringify(meta), chatId);
  })();
  if (message) ctx.events.stream(chatId, { type: 'message', message });
  return message;
}

/** Before a root chat's turn: inject the defaults when never injected or when the bound folder changed. */
export function ensureContextInjected(ctx: AppContext, chat: ChatRow, folder: string | null): void {
  if (chat.parent_chat_id) return; // children get their parent's context when spawned
  const meta = readMeta(chat);
  if (meta && meta.folder === folder) return;
  if (!folder) {
    persist(ctx, chat.id, [], contextMeta(null, [], []));
    return;
  }
  const roots = rootsOf(ctx, folder);
  const files = discoverContextFiles(folder, roots);
  const skills = discoverSkills(folder, roots);
  persist(ctx, chat.id, [...files, ...skillParts(skills)], contextMeta(folder, files, skills));
}

/** Adds the instruction files and skills of a folder inside the workspace to the chat (additive). */
export function addContext(ctx: AppContext, chatId: string, dir: string | undefined): InjectedContextMeta {
  const chat = requireChat(ctx, chatId);
  const base = chat.workspace_folder ?? ctx.workspace.folders[0];
  if (!base) throw badRequest('The chat has no workspace folder.', undefined, 'dir');
  const target = path.resolve(base, dir ?? '.');
  if (!ctx.workspace.folders.some((f) => isInside(f, target))) throw badRequest(`Folder "${dir}" is outside the workspace.`, undefined, 'dir');
  const current = readMeta(chat) ?? contextMeta(chat.workspace_folder, [], []);
  const known = new Set(current.files.map((f) => f.path));
  const knownSkills = new Set(current.skills.map((s) => s.name));
  const roots = rootsOf(ctx, target);
  const files = discoverContextFiles(target, roots).filter((f) => !known.has(f.context_file_path));
  const skills = discoverSkills(target, roots).filter((s) => !knownSkills.has(s.name));
  const next = contextMeta(current.folder, files, skills);
  const merged: InjectedContextMeta = { folder: current.folder, files: [...current.files, ...next.files], skills: [...current.skills, ...next.skills] };
  persist(ctx, chatId, [...files, ...skillParts(skills)], merged);
  return merged;
}

/** Soft-deletes the context messages; the next turn injects the defaults again. */
export function clearContext(ctx: AppContext, chatId: string): { deleted_message_ids: number[] } {
  requireChat(ctx, chatId);
  const ids = ctx.db.transaction(() => {
    const rows = ctx.db.prepare(`SELECT id, content FROM chat_messages WHERE chat_id = ? AND role = 'system' AND deleted = 0`).all(chatId) as Array<{ id: number; content: string }>;
    const ctxIds = rows.filter((r) => (JSON.parse(r.content) as MessagePart[]).some((p) => p.type === 'context-file' || p.type === 'skill')).map((r) => r.id);
    for (const id of ctxIds) ctx.db.prepare('UPDATE chat_messages SET deleted = 1 WHERE id = ?').run(id);
    ctx.db.prepare('UPDATE chats SET last_injected_context = NULL WHERE id = ?').run(chatId);
    return ctxIds;
  })();
  if (ids.length) ctx.events.stream(chatId, { type: 'messages_deleted', message_ids: ids });
  return { deleted_message_ids: ids };
}

/** Copies the parent's context messages into a new child chat, with the metadata. */
export function inheritContext(ctx: AppContext, parentId: string, childId: string): void {
  const parent = requireChat(ctx, parentId);
  const rows = ctx.db.prepare(`SELECT content FROM chat_messages WHERE chat_id = ? AND role = 'system' AND deleted = 0 ORDER BY id`).all(parentId) as Array<{ content: string }>;
  const parts = rows.flatMap((r) => (JSON.parse(r.content) as MessagePart[]).filter((p) => p.type === 'context-file' || p.type === 'skill'));
  if (parts.length) insertMessage(ctx.db, { chatId: childId, role: 'system', content: parts, createdAt: ctx.now() });
  ctx.db.prepare('UPDATE chats SET last_injected_context = ? WHERE id = ?').run(parent.last_injected_context, childId);
}
