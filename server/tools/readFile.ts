// read_file: a page of a text file with line numbers, so the model can cite lines and page through big files.
import { open, readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { resolveInWorkspace } from './pathGuard';
import type { Tool } from './types';

export const DEFAULT_LIMIT = 2000;
/** Longer lines (minified code, data) are cut so one line cannot flood the context. */
export const MAX_LINE_CHARS = 2000;
/** A page stops early past this size; the model continues with a later offset. */
export const MAX_PAGE_BYTES = 256 * 1024;
/** Files are read whole to count their lines; beyond this a shell tool (head, sed -n) is the better fit. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
const BINARY_SNIFF_BYTES = 8000;

async function looksBinary(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(BINARY_SNIFF_BYTES);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).includes(0);
  } finally {
    await handle.close();
  }
}

function numbered(lineNumber: number, line: string): string {
  const shown = line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}... [line cut: ${line.length} characters]` : line;
  return `${String(lineNumber).padStart(4)}\t${shown}`;
}

const schema = z.object({
  path: z.string().describe('Path of the file: relative to the workspace folder, or absolute inside the workspace.'),
  offset: z.number().int().min(1).optional().describe('First line to return, 1-based. Default 1.'),
  limit: z.number().int().min(1).optional().describe(`Maximum number of lines to return. Default ${DEFAULT_LIMIT}.`),
});

export const readFileTool: Tool<typeof schema> = {
  name: 'read_file',
  description: [
    'Read a text file from the workspace. Returns the lines prefixed with their 1-based line numbers ("   1\\tline"),',
    'plus file_size (bytes), lines_read and total_lines.',
    `Reads up to ${DEFAULT_LIMIT} lines from offset; for larger files call again with a later offset.`,
    `Lines longer than ${MAX_LINE_CHARS} characters are cut. Directories and binary files are refused.`,
    'Prefer this over cat/head/sed in execute when you want to look at a file.',
  ].join(' '),
  schema,
  async run(args, ctx) {
    const file = await resolveInWorkspace(ctx, args.path, 'path');
    const info = await stat(file).catch(() => null);
    if (!info) throw new Error(`path: "${args.path}" does not exist.`);
    if (info.isDirectory()) throw new Error(`path: "${args.path}" is a directory, not a file; list it with execute (ls).`);
    if (!info.isFile()) throw new Error(`path: "${args.path}" is not a regular file.`);
    if (info.size > MAX_FILE_BYTES) throw new Error(`path: "${args.path}" is ${info.size} bytes, too large to read; look at parts of it with execute (head, sed -n, grep).`);
    if (await looksBinary(file)) throw new Error(`path: "${args.path}" is a binary file; read_file only reads text.`);

    const text = await readFile(file, 'utf8');
    const lines = text === '' ? [] : text.split('\n');
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    const offset = args.offset ?? 1;
    const limit = args.limit ?? DEFAULT_LIMIT;
    if (offset > Math.max(lines.length, 1)) {
      throw new Error(`offset: ${offset} is past the end of "${args.path}", which has ${lines.length} lines.`);
    }

    const page: string[] = [];
    let pageBytes = 0;
    let stoppedEarly = false;
    for (let i = offset - 1; i < Math.min(lines.length, offset - 1 + limit); i++) {
      const line = numbered(i + 1, lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i]);
      pageBytes += Buffer.byteLength(line) + 1;
      if (pageBytes > MAX_PAGE_BYTES && page.length > 0) {
        stoppedEarly = true;
        break;
      }
      page.push(line);
    }
    return {
      content: page.join('\n'),
      file_size: info.size,
      lines_read: page.length,
      total_lines: lines.length,
      ...(stoppedEarly ? { note: `Stopped at ${MAX_PAGE_BYTES / 1024} KiB; continue with offset ${offset + page.length}.` } : {}),
    };
  },
};
