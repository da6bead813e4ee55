import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { resolveInWorkspace } from './pathGuard';
import type { Tool } from './types';

export function requireTrusted(ctx: { trusted: boolean }, tool: string): void {
  if (!ctx.trusted) throw new Error(`Workspace is not trusted: ${tool} is disabled. Trust the workspace to allow it.`);
}

const schema = z.object({
  path: z.string().min(1).describe('File path, relative to the workspace folder'),
  content: z.string().describe('The complete new content of the file'),
});

export const writeFileTool: Tool<typeof schema> = {
  name: 'write_file',
  description: 'Create a file or replace its whole content. Parent folders are created. Prefer edit_files for changes to existing files.',
  schema,
  async run(args, ctx) {
    requireTrusted(ctx, 'write_file');
    const file = resolveInWorkspace(ctx, args.path, 'path');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, args.content);
    return { ok: true };
  },
};
