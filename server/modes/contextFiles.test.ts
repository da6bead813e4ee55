import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { readSkillFileTool } from './subagentTools';
import { discoverContextFiles, discoverSkills } from './contextFiles';
import { makeTestWorkspace, type TestWorkspace } from '../tools/toolTestSupport';
import type { AgentHost } from '../tools/types';

let base: string;
let ws: string;
let secret: string;
beforeEach(() => {
  base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'la-ctx-')));
  ws = path.join(base, 'ws');
  mkdirSync(ws);
  secret = path.join(base, 'id_rsa');
  writeFileSync(secret, '-----BEGIN OPENSSH PRIVATE KEY----- not for the model');
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

test('an AGENTS.md that is a symlink out of the workspace is refused, not read', () => {
  symlinkSync(secret, path.join(ws, 'AGENTS.md'));
  writeFileSync(path.join(ws, 'CLAUDE.md'), 'real instructions');
  const files = discoverContextFiles(ws, [ws]);
  assert.deepEqual(files.map((f) => path.basename(f.context_file_path)), ['CLAUDE.md']);
  assert.ok(!JSON.stringify(files).includes('PRIVATE KEY'));
});

test('an AGENTS.md symlinked to a file inside the workspace is read', () => {
  mkdirSync(path.join(ws, 'docs'));
  writeFileSync(path.join(ws, 'docs', 'rules.md'), 'inside rules');
  symlinkSync(path.join(ws, 'docs', 'rules.md'), path.join(ws, 'AGENTS.md'));
  assert.equal(discoverContextFiles(ws, [ws])[0]?.content, 'inside rules');
});

test('skills: a skill folder or SKILL.md that leads outside is refused', () => {
  const skills = path.join(ws, '.agents', 'skills');
  mkdirSync(path.join(skills, 'good'), { recursive: true });
  writeFileSync(path.join(skills, 'good', 'SKILL.md'), '---\nname: good\ndescription: fine\n---\nbody');
  const outsideSkill = path.join(base, 'evil-skill');
  mkdirSync(outsideSkill);
  writeFileSync(path.join(outsideSkill, 'SKILL.md'), '---\nname: evil\n---\nsteal');
  symlinkSync(outsideSkill, path.join(skills, 'evil'));
  mkdirSync(path.join(skills, 'linked'));
  symlinkSync(secret, path.join(skills, 'linked', 'SKILL.md'));
  assert.deepEqual(discoverSkills(ws, [ws]).map((s) => s.name), ['good']);
});

test('read_skill_file refuses a symlink out of the skill folder', async () => {
  const t: TestWorkspace = makeTestWorkspace();
  try {
    const dir = path.join(t.root, '.agents', 'skills', 's');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'notes.md'), 'skill notes');
    symlinkSync(secret, path.join(dir, 'key.md'));
    const agent = { readSkill: () => ({ name: 's', dir, body: '', files: [] }) } as unknown as AgentHost;
    const ctx = { ...t.ctx, agent };
    assert.deepEqual(await readSkillFileTool.run({ name: 's', path: 'notes.md' }, ctx), { content: 'skill notes' });
    await assert.rejects(readSkillFileTool.run({ name: 's', path: 'key.md' }, ctx), /leads outside the skill's folder/);
  } finally {
    t.cleanup();
  }
});
