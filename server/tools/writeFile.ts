// write_file: create a file or replace all of its content.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { readForCheckpoint } from '../checkpoints/recorder';
import { resolveInWorkspace } from './pathGuard';
import { requireTrusted } from './trust';
import type { Tool } from './types';

const schema = z.object({
  path: z.string().describe('Path of the file: relative to the workspace folder, or absolute inside the workspace.'),
  content: z.string().describe('The complete new content of the file.'),
});

export const writeFileTool: Tool<typeof schema> = {
  name: 'write_file',
  description: [
    'Create a file, or replace the whole content of an existing one. Missing parent folders are created.',
    'Use it for new files and full rewrites; to change part of an existing file use edit_files, which is safer',
    'and shows a diff.',
  ].join(' '),
  schema,
  async run(args, ctx) {
    requireTrusted(ctx, 'write_file');
    const file = await resolveInWorkspace(ctx, args.path, 'path');
    const existing = await stat(file).catch(() => null);
    if (existing?.isDirectory()) throw new Error(`path: "${args.path}" is a directory.`);
    const before = ctx.checkpoints ? readForCheckpoint(file) : null;
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, args.content, 'utf8');
    ctx.checkpoints?.record(file, before, Buffer.from(args.content, 'utf8'), 'write_file');
    return { ok: true };
  },
};
