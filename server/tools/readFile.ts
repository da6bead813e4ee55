import { openSync, readSync, closeSync, readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { resolveInWorkspace } from './pathGuard';
import type { Tool } from './types';

const MAX_LINE = 2000;

function looksBinary(file: string): boolean {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(8000);
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  return buf.subarray(0, n).includes(0);
}

const schema = z.object({
  path: z.string().min(1).describe('File path, relative to the workspace folder or absolute inside it'),
  offset: z.number().int().min(1).optional().describe('First line to read, 1-based (default 1)'),
  limit: z.number().int().min(1).max(10000).optional().describe('Number of lines to read (default 2000)'),
});

export const readFileTool: Tool<typeof schema> = {
  name: 'read_file',
  description: 'Read a text file of the workspace. Returns numbered lines (`     1\\tline`), the file size and the total number of lines. Use offset/limit to page through large files.',
  schema,
  async run(args, ctx) {
    const file = resolveInWorkspace(ctx, args.path, 'path');
    let st;
    try { st = statSync(file); } catch { throw new Error(`path: "${args.path}" does not exist.`); }
    if (st.isDirectory()) throw new Error(`path: "${args.path}" is a directory; use execute with ls to list it.`);
    if (looksBinary(file)) throw new Error(`path: "${args.path}" is a binary file.`);
    const lines = readFileSync(file, 'utf8').split('\n');
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    const offset = args.offset ?? 1;
    const limit = args.limit ?? 2000;
    const slice = lines.slice(offset - 1, offset - 1 + limit);
    const content = slice.map((l, i) => `${String(offset + i).padStart(6)}\t${l.length > MAX_LINE ? l.slice(0, MAX_LINE) + '… [line cut]' : l}`).join('\n');
    return { content, file_size: st.size, lines_read: slice.length, total_lines: lines.length };
  },
};
