// Instruction files (AGENTS.md and its peers) and skills from the workspace, injected into a chat as
// context-file and skill parts. They are persisted once per workspace binding, not re-read every turn;
// `last_injected_context` keeps only their metadata.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { log } from '../logger';
import type { ContextFilePart, SkillPart } from '../protocol';
import { realPathSync, relativeToRoots } from '../tools/pathGuard';

export const CONTEXT_FILE_MAX_BYTES = 64 * 1024;
/** Looked up at the workspace folder root, in this order. */
const ROOT_INSTRUCTION_FILES = ['AGENTS.md', 'CLAUDE.md', path.join('.github', 'copilot-instructions.md')];
export const SKILLS_DIR = path.join('.agents', 'skills');

export interface InjectedContextMeta {
  folder: string | null;
  files: Array<{ path: string; size: number; truncated: boolean }>;
  skills: Array<{ name: string; description: string }>;
}

export interface SkillInfo { name: string; description: string; dir: string; body: string }

function readCapped(file: string): { content: string; truncated: boolean; size: number } {
  const buf = readFileSync(file);
  const truncated = buf.length > CONTEXT_FILE_MAX_BYTES;
  return { content: buf.subarray(0, CONTEXT_FILE_MAX_BYTES).toString('utf8'), truncated, size: buf.length };
}

function isFile(p: string): boolean {
  try { return statSync(p).isFile(); } catch { return false; }
}

/**
 * The real path of a context file or skill when it stays inside the workspace folders; null (and a logged
 * reason) when it leads outside, through a symlink or otherwise: it is never read, so never sent to a model.
 */
export function realInside(p: string, roots: string[], what: string): string | null {
  const real = realPathSync(p);
  if (relativeToRoots(roots, real) !== null) return real;
  log.warn(`${what} refused: it leads outside the workspace`, { path: p, real_path: real });
  return null;
}

/** AGENTS.md-style files at the folder root and in the parent folders (up to the root) of the given paths. */
export function discoverContextFiles(folder: string, roots: string[], workedPaths: string[] = []): ContextFilePart[] {
  const found = new Map<string, string>();
  const consider = (p: string) => {
    if (!isFile(p) || found.has(p)) return;
    const real = realInside(p, roots, 'context file');
    if (real) found.set(p, real);
  };
  for (const name of ROOT_INSTRUCTION_FILES) consider(path.join(folder, name));
  for (const worked of workedPaths) {
    let dir = path.dirname(path.resolve(folder, worked));
    while (dir.startsWith(folder) && dir !== folder) {
      consider(path.join(dir, 'AGENTS.md'));
      dir = path.dirname(dir);
    }
  }
  return [...found].map(([p, real]) => {
    const { content, truncated } = readCapped(real);
    return { type: 'context-file', context_file_path: p, content, ...(truncated ? { context_file_truncated: true } : {}) };
  });
}

/** Minimal front matter: `---\nkey: value\n---`. Values may be quoted. */
export function parseFrontMatter(text: string): { attrs: Record<string, string>; body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!m) return { attrs: {}, body: text };
  const attrs: Record<string, string> = {};
  for (const line of m[1].split(/\r?\n/)) {
    const kv = /^([A-Za-z0-9_-]+):\s*(.*)$/.exec(line);
    if (kv) attrs[kv[1]] = kv[2].trim().replace(/^(['"])(.*)\1$/, '$2');
  }
  return { attrs, body: m[2] };
}

/** Skills under `.agents/skills/<name>/SKILL.md`; `dir` is the skill folder's real path, inside the workspace. */
export function discoverSkills(folder: string, roots: string[]): SkillInfo[] {
  const listed = path.join(folder, SKILLS_DIR);
  if (!existsSync(listed)) return [];
  const root = realInside(listed, roots, 'skills folder');
  if (!root) return [];
  const skills: SkillInfo[] = [];
  for (const entry of readdirSync(root).sort()) {
    const dir = realInside(path.join(root, entry), roots, 'skill');
    const file = dir && path.join(dir, 'SKILL.md');
    if (!dir || !file || !isFile(file)) continue;
    const real = realInside(file, [dir], 'skill file');
    if (!real) continue;
    const { attrs, body } = parseFrontMatter(readCapped(real).content);
    skills.push({ name: attrs.name || entry, description: attrs.description || '', dir, body });
  }
  return skills;
}

export function skillParts(skills: SkillInfo[]): SkillPart[] {
  return skills.map((s) => ({ type: 'skill', skill_name: s.name, skill_description: s.description }));
}

export function contextMeta(folder: string | null, files: ContextFilePart[], skills: SkillInfo[]): InjectedContextMeta {
  return {
    folder,
    files: files.map((f) => ({ path: f.context_file_path, size: Buffer.byteLength(f.content ?? ''), truncated: !!f.context_file_truncated })),
    skills: skills.map((s) => ({ name: s.name, description: s.description })),
  };
}
