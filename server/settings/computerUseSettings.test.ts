import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { defaultServerSettings, mergeSettings } from './serverSettings';
import { readHeadlessSettings } from './settingsFile';

test('computer use settings: headless by default, read from settings.json, replaced field by field', () => {
  const d = defaultServerSettings();
  assert.deepEqual([d.computerUseModel, d.computerUse], [null, { browser: null, headless: true }]);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'la-cu-settings-'));
  try {
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ 'localAgents.computerUse.model': 'gpt-4o', 'localAgents.computerUse.browser': '/opt/chrome', 'localAgents.computerUse.headless': false }));
    const { settings, warnings } = readHeadlessSettings(dir, null);
    assert.deepEqual(warnings, []);
    assert.deepEqual([settings.computerUseModel, settings.computerUse], ['gpt-4o', { browser: '/opt/chrome', headless: false }]);
    const merged = mergeSettings(settings, { computer_use: { headless: true } });
    assert.deepEqual([merged.computerUseModel, merged.computerUse], ['gpt-4o', { browser: '/opt/chrome', headless: true }]);
    const cleared = mergeSettings(merged, { computer_use: { model: null, browser: '' } });
    assert.deepEqual([cleared.computerUseModel, cleared.computerUse], [null, { browser: null, headless: true }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
