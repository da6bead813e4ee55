import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { resolveInWorkspace } from './pathGuard';
import type { Tool } from './types';
import { unifiedDiff } from './unifiedDiff';
import { requireTrusted } from './writeFile';

const EditSchema = z.object({
  path: z.string().min(1),
  old_text: z.string().min(1, 'must not be empty'),
  new_text: z.string(),
  replace_all: z.boolean().optional(),
});
const schema = z.object({ edits: z.array(EditSchema).describe('Edits to apply; all succeed or none is applied') }).strict();

function countOf(haystack: string, needle: string): number {
  let n = 0;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length)) n++;
  return n;
}

/**
 * Finds old_text ignoring differences in indentation and trailing whitespace, line by line.
 * Returns the exact span of the file that matched, or undefined.
 */
function fuzzySpans(content: string, oldText: string): string[] {
  const norm = (l: string) => l.trim();
  const want = oldText.split('\n').map(norm);
  while (want.length && want[want.length - 1] === '') want.pop();
  if (want.length === 0) return [];
  const lines = content.split('\n');
  const spans: string[] = [];
  for (let i = 0; i + want.length <= lines.length; i++) {
    if (want.every((w, k) => norm(lines[i + k]) === w)) spans.push(lines.slice(i, i + want.length).join('\n'));
  }
  return spans;
}

export const editFilesTool: Tool<typeof schema> = {
  name: 'edit_files',
  description: 'Replace text in one or more files. Each edit replaces `old_text` (which must occur exactly once unless replace_all is true) with `new_text`. Small indentation or trailing-whitespace differences are tolerated. All edits apply or none do. Returns a unified diff per file.',
  schema,
  async run(args, ctx) {
    requireTrusted(ctx, 'edit_files');
    if (args.edits.length === 0) throw new Error('Add at least one edit to edits. No edits were applied.');
    const files = new Map<string, { rel: string; before: string; after: string }>();
    args.edits.forEach((e, i) => {
      const abs = resolveInWorkspace(ctx, e.path, `edits.${i}.path`);
      let f = files.get(abs);
      if (!f) {
        let before: string;
        try { before = readFileSync(abs, 'utf8'); } catch { throw new Error(`edits.${i}.path: "${e.path}" does not exist. No edits were applied.`); }
        f = { rel: path.relative(ctx.workspaceFolder, abs), before, after: before };
        files.set(abs, f);
      }
      let target = e.old_text;
      let n = countOf(f.after, target);
      if (n === 0) {
        const spans = fuzzySpans(f.after, e.old_text);
        if (spans.length === 0) throw new Error(`edits.${i}.old_text: not found in ${e.path}. No edits were applied.`);
        target = spans[0];
        n = spans.length;
      }
      if (n > 1 && !e.replace_all) throw new Error(`edits.${i}.old_text: found ${n} times in ${e.path}; add context to make it unique or set replace_all. No edits were applied.`);
      f.after = e.replace_all ? f.after.split(target).join(e.new_text) : f.after.replace(target, () => e.new_text);
    });
    for (const [abs, f] of files) writeFileSync(abs, f.after);
    return { ok: true, files: [...files.values()].map((f) => ({ path: f.rel, diff: unifiedDiff(f.rel, f.before, f.after) })) };
  },
};
