// edit_files: search-and-replace edits across files, all or nothing. Every edit is checked against the files
// in memory first; only when all of them apply are the files written.
import { access, constants, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { resolveInWorkspace } from './pathGuard';
import { applyMatches, findMatches } from './textMatch';
import { requireTrusted } from './trust';
import type { Tool, ToolContext } from './types';
import { unifiedDiff } from './unifiedDiff';

const NOTHING_APPLIED = ' No edits were applied.';

const editSchema = z.object({
  path: z.string().describe('Path of the file to edit: relative to the workspace folder, or absolute inside the workspace.'),
  old_text: z.string().describe('The text to replace, copied from the file with enough surrounding lines to occur only once.'),
  new_text: z.string().describe('The replacement text.'),
  replace_all: z.boolean().optional().describe('Replace every occurrence of old_text instead of requiring exactly one. Default false.'),
});

const schema = z.object({
  edits: z.array(editSchema, {
    // Models trained on the older shape send `files: [{path, edits}]`; say what to send instead.
    error: (issue) => (issue.input === undefined
      ? 'Required: pass edits: [{path, old_text, new_text, replace_all?}] (the older files: [{path, edits}] shape is not accepted).'
      : undefined),
  }).describe('The edits, applied in order; several may target the same file.'),
});

interface FileState {
  shownPath: string;
  before: string;
  after: string;
}

function shownPath(ctx: ToolContext, real: string): string {
  const rel = path.relative(ctx.workspaceFolder, real);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : real;
}

async function loadFile(ctx: ToolContext, real: string, given: string, field: string): Promise<FileState> {
  const info = await stat(real).catch(() => null);
  if (!info) throw new Error(`${field}: "${given}" does not exist; create new files with write_file.`);
  if (!info.isFile()) throw new Error(`${field}: "${given}" is not a regular file.`);
  await access(real, constants.W_OK).catch(() => { throw new Error(`${field}: "${given}" is not writable.`); });
  const before = await readFile(real, 'utf8');
  return { shownPath: shownPath(ctx, real), before, after: before };
}

/** Checks and applies every edit in memory; throws on the first that does not apply. */
async function planEdits(ctx: ToolContext, edits: z.infer<typeof editSchema>[]): Promise<Map<string, FileState>> {
  const files = new Map<string, FileState>();
  for (const [i, edit] of edits.entries()) {
    const real = await resolveInWorkspace(ctx, edit.path, `edits.${i}.path`);
    let file = files.get(real);
    if (!file) {
      file = await loadFile(ctx, real, edit.path, `edits.${i}.path`);
      files.set(real, file);
    }
    if (edit.old_text === '') throw new Error(`edits.${i}.old_text: must not be empty; to write a whole file use write_file.`);
    const { matches } = findMatches(file.after, edit.old_text, edit.new_text);
    if (matches.length === 0) {
      const earlier = edits.slice(0, i).some((e) => e.path === edit.path) ? ' (an earlier edit in this call may have changed it)' : '';
      throw new Error(`edits.${i}.old_text: not found in "${edit.path}"${earlier}. Read the file again and copy the text exactly.`);
    }
    if (matches.length > 1 && !edit.replace_all) {
      throw new Error(`edits.${i}.old_text: found ${matches.length} times in "${edit.path}". Include more surrounding lines to make it unique, or set replace_all to replace every occurrence.`);
    }
    file.after = applyMatches(file.after, edit.replace_all ? matches : matches.slice(0, 1));
  }
  return files;
}

/** Writes the planned files; if one write fails, the ones already written get their old content back. */
async function writeAll(files: Map<string, FileState>, ctx: ToolContext): Promise<void> {
  const written: Array<[string, FileState]> = [];
  for (const [real, file] of files) {
    if (file.after === file.before) continue;
    try {
      await writeFile(real, file.after, 'utf8');
      written.push([real, file]);
    } catch (err) {
      await Promise.all(written.map(([p, f]) => writeFile(p, f.before, 'utf8').catch(() => undefined)));
      throw new Error(`Could not write "${file.shownPath}": ${(err as Error).message}.`);
    }
  }
  for (const [real, file] of written) ctx.checkpoints?.record(real, Buffer.from(file.before, 'utf8'), Buffer.from(file.after, 'utf8'), 'edit_files');
}

export const editFilesTool: Tool<typeof schema> = {
  name: 'edit_files',
  description: [
    'Edit existing files by replacing text. Each edit replaces old_text with new_text in the file at path.',
    'old_text must occur exactly once (add surrounding lines to make it unique) unless replace_all is true.',
    'Copy old_text from the file; small differences in trailing whitespace or indentation are tolerated.',
    'All edits in one call apply together or none do. Returns a unified diff per changed file.',
    'Use write_file to create files.',
  ].join(' '),
  schema,
  async run(args, ctx) {
    requireTrusted(ctx, 'edit_files');
    if (args.edits.length === 0) throw new Error(`Add at least one edit to edits.${NOTHING_APPLIED}`);
    let files: Map<string, FileState>;
    try {
      files = await planEdits(ctx, args.edits);
      await writeAll(files, ctx);
    } catch (err) {
      throw new Error(`${(err as Error).message}${NOTHING_APPLIED}`);
    }
    return { ok: true, files: [...files.values()].map((f) => ({ path: f.shownPath, diff: unifiedDiff(f.shownPath, f.before, f.after) })) };
  },
};
