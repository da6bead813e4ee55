// Checkpoints in the panel: a turn that edits two files ends with a card listing them with +/−; Undo on one
// file puts it back on disk (the other stays), the card marks it undone, and Undo all takes the rest.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

module.exports = async function checkpointsFlow(h) {
  const { fake } = h;
  const file = (f) => path.join(h.workspaceDir, f);
  fs.writeFileSync(file('greeting.txt'), 'hello\n');
  fake.enqueue(
    { kind: 'tools', calls: [{ name: 'edit_files', args: JSON.stringify({ edits: [{ path: 'greeting.txt', old_text: 'hello', new_text: 'hello, world' }] }) }] },
    { kind: 'tools', calls: [{ name: 'write_file', args: JSON.stringify({ path: 'notes/new.md', content: '# New\n\nA file the agent made.\n' }) }] },
    { kind: 'text', text: 'I changed two files.' },
    { kind: 'title', title: 'Two file changes' },
  );
  await h.openContainer('Local Agents');
  await h.runCommand('Local Agents: New Chat');
  const chat = await h.webview('[data-testid="composer-input"]', { timeout: 60000 });
  const input = chat.locator('[data-testid="composer-input"]');
  await input.click();
  await input.fill('change the greeting and add notes');
  await input.press('Enter');
  await chat.locator('[data-testid="chat-status"]', { hasText: 'waiting' }).waitFor({ timeout: 30000 });

  const card = chat.locator('[data-testid="changed-files"]');
  await card.waitFor({ timeout: 15000 });
  const rows = card.locator('[data-testid="changed-file"]');
  assert.equal(await rows.count(), 2);
  assert.match(await rows.nth(0).innerText(), /greeting\.txt\s*\+1\s*−1/);
  assert.match(await rows.nth(1).innerText(), /new\.md\s*\+3\s*−0\s*new/);
  assert.equal(fs.readFileSync(file('greeting.txt'), 'utf8'), 'hello, world\n');
  await h.screenshot('checkpoints-card');

  await rows.nth(0).locator('[data-testid="undo-file"]').click();
  await card.locator('[data-testid="changed-file"][data-state="undone"]').waitFor({ timeout: 15000 });
  assert.equal(fs.readFileSync(file('greeting.txt'), 'utf8'), 'hello\n', 'the file is back on disk');
  assert.ok(fs.existsSync(file('notes/new.md')), 'the other file stays');

  await card.locator('[data-testid="undo-turn"]').click();
  const deadline = Date.now() + 15000;
  while (fs.existsSync(file('notes/new.md')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  assert.equal(fs.existsSync(file('notes/new.md')), false, 'Undo all removed the file the agent created');
  // The card reads the checkpoints again on the change event: both rows turn "undone".
  await card.locator('[data-testid="changed-file"][data-state="undone"]').nth(1).waitFor({ timeout: 15000 });
  assert.equal(await card.locator('[data-testid="changed-file"][data-state="applied"]').count(), 0);
  await h.screenshot('checkpoints-undone');
};

module.exports.userSettings = { 'localAgents.permissions.defaultMode': 'acceptEdits' };
