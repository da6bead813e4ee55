import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { readHeadlessSettings, SETTINGS_FILE, writeAllowRules } from '../settings/settingsFile';
import { DEFAULT_ALLOW_RULES, DEFAULT_ASK_RULES } from './rules';
import { compiledPermissions, defaultPermissionSettings, withAllowRules } from './settings';

let dir: string;
beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'la-settings-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('the built-in lists are the settings\' defaults, so what VS Code shows is what applies', () => {
  const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
  const props = pkg.contributes.configuration.properties;
  assert.deepEqual(props['localAgents.permissions.allow'].default, DEFAULT_ALLOW_RULES);
  assert.deepEqual(props['localAgents.permissions.ask'].default, DEFAULT_ASK_RULES);
  // allow and the mode are the user's alone: VS Code ignores them in workspace settings.
  assert.equal(props['localAgents.permissions.allow'].scope, 'application');
  assert.equal(props['localAgents.permissions.defaultMode'].scope, 'application');
  assert.equal(props['localAgents.commandEnv.passThrough'].scope, 'application');
});

test('compiled rules list every rule with its source; bad ones are reported by place and ignored', () => {
  const c = compiledPermissions({ ...defaultPermissionSettings(), deny: ['execute(git push*)', 'bad('], workspaceAsk: ['execute(make*)'] });
  assert.deepEqual(c.errors.map((e) => e.split(':')[0]), ['user deny[1]']);
  assert.deepEqual(c.listed.slice(0, 2), [{ rule: 'execute(git push*)', list: 'deny', source: 'user' }, { rule: 'execute(rg *--pre*)', list: 'ask', source: 'default' }]);
  assert.ok(c.listed.some((r) => r.rule === 'execute(make*)' && r.source === 'workspace'));
  assert.ok(c.listed.some((r) => r.rule === 'execute(ls *)' && r.source === 'default'));
  assert.equal(compiledPermissions(defaultPermissionSettings()).errors.length, 0);
});

test('headless settings: the data dir\'s file, the workspace\'s ask/deny, never its allow', () => {
  const ws = path.join(dir, 'ws');
  mkdirSync(path.join(ws, '.vscode'), { recursive: true });
  writeFileSync(path.join(dir, SETTINGS_FILE), JSON.stringify({ 'localAgents.permissions.allow': ['execute(npm test*)'], 'localAgents.permissions.defaultMode': 'acceptEdits', 'localAgents.commandEnv.passThrough': ['GITHUB_TOKEN'] }));
  writeFileSync(path.join(ws, '.vscode', 'settings.json'), '{\n // JSONC\n "localAgents.permissions.allow": ["execute(*)"],\n "localAgents.permissions.deny": ["execute(git push*)"],\n}');
  const r = readHeadlessSettings(dir, ws);
  assert.deepEqual(r.settings.permissions.allow, ['execute(npm test*)']);
  assert.equal(r.settings.permissions.defaultMode, 'acceptEdits');
  assert.deepEqual(r.settings.permissions.workspaceDeny, ['execute(git push*)']);
  assert.deepEqual(r.settings.commandEnv.passThrough, ['GITHUB_TOKEN']);
  assert.match(r.warnings.join('\n'), /localAgents\.permissions\.allow in the workspace's \.vscode\/settings\.json is ignored/);
});

test('a wrong value names the key and the file; its settings are not used', () => {
  writeFileSync(path.join(dir, SETTINGS_FILE), JSON.stringify({ 'localAgents.permissions.defaultMode': 'yolo' }));
  const r = readHeadlessSettings(dir, null);
  assert.match(r.warnings[0], /settings\.json: "localAgents\.permissions\.defaultMode" .*; the file's settings are ignored/);
  assert.equal(r.settings.permissions.defaultMode, 'default');
  writeFileSync(path.join(dir, SETTINGS_FILE), '{ nope');
  assert.match(readHeadlessSettings(dir, null).warnings[0], /is not valid JSON/);
});

test('"always allow" in a headless run adds to the file (0600), keeping the defaults and other keys', () => {
  const file = path.join(dir, SETTINGS_FILE);
  writeFileSync(file, JSON.stringify({ 'localAgents.planDirectory': 'plans' }));
  const { settings } = readHeadlessSettings(dir, null);
  writeAllowRules(file, settings, ['execute(git fetch)']);
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(saved['localAgents.planDirectory'], 'plans');
  assert.deepEqual(saved['localAgents.permissions.allow'], [...DEFAULT_ALLOW_RULES, 'execute(git fetch)']);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(withAllowRules({ ...defaultPermissionSettings(), allow: ['a'] }, ['a', 'b']).allow, ['a', 'b']);
});
