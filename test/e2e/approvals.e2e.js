// Approvals from the panel: a command waits with its card; Allow once runs it; Always allow shows the exact
// rule, saves it to the user's settings and lets the same command run without asking next time.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

async function send(chat, text) {
  const input = chat.locator('[data-testid="composer-input"]');
  await input.click();
  await input.fill(text);
  await input.press('Enter');
}

module.exports = async function approvalsFlow(h) {
  const { fake } = h;
  await h.openContainer('Local Agents');
  await h.unfoldViews(['Unread']);
  await h.runCommand('Local Agents: New Chat');
  const chat = await h.webview('[data-testid="composer-input"]', { timeout: 60000 });

  // 1. A command asks; Allow once runs it.
  fake.enqueue(
    { kind: 'tools', calls: [{ name: 'execute', args: JSON.stringify({ command: 'touch approved-by-e2e.txt' }) }] },
    { kind: 'text', text: 'Created the file.' },
  );
  await send(chat, 'Create approved-by-e2e.txt');
  const card = chat.locator('[data-testid="approval-card"]');
  await card.waitFor({ timeout: 30000 });
  assert.match(await card.locator('[data-testid="approval-command"]').innerText(), /touch approved-by-e2e\.txt/);
  await chat.locator('[data-testid="chat-status"]', { hasText: 'requires_action' }).waitFor({ timeout: 10000 });
  assert.equal(fs.existsSync(path.join(h.workspaceDir, 'approved-by-e2e.txt')), false, 'nothing ran before the decision');
  // The Unread tree lists the chat that waits for a decision.
  await h.treeItem('Unread', /Create approved/).waitFor({ timeout: 15000 });
  await h.screenshot('approval-card');
  await card.locator('[data-testid="approval-allow-once"]').click();
  await chat.locator('[data-testid="assistant-text"]', { hasText: 'Created the file.' }).waitFor({ timeout: 30000 });
  assert.equal(fs.existsSync(path.join(h.workspaceDir, 'approved-by-e2e.txt')), true);
  assert.equal(await card.count(), 0, 'the card goes once decided');
  const label = chat.locator('[data-testid="tool-call"][data-tool="execute"] [data-testid="tool-label"]').first();
  assert.equal(await label.getAttribute('data-decision'), 'allow by user');
  assert.match(await label.getAttribute('title'), /Allowed by you/);

  // 2. Always allow: the card shows the exact rule; saving it writes it to the user's settings.
  fake.enqueue(
    { kind: 'tools', calls: [{ name: 'execute', args: JSON.stringify({ command: 'date' }) }] },
    { kind: 'text', text: 'That is the date.' },
  );
  await send(chat, 'What is the date?');
  await card.waitFor({ timeout: 30000 });
  await card.locator('[data-testid="approval-always"]').click();
  const ruleInput = card.locator('[data-testid="approval-rule-input"]');
  assert.equal(await ruleInput.inputValue(), 'execute(date)', 'the exact rule is shown');
  await h.screenshot('always-allow');
  await card.locator('[data-testid="approval-always-confirm"]').click();
  await chat.locator('[data-testid="assistant-text"]', { hasText: 'That is the date.' }).waitFor({ timeout: 30000 });
  const deadline = Date.now() + 15000;
  while (!(h.userSettings()['localAgents.permissions.allow'] || []).includes('execute(date)')) {
    if (Date.now() > deadline) throw new Error(`the rule was not saved: ${JSON.stringify(h.userSettings())}`);
    await h.sleep(250);
  }
  const allow = h.userSettings()['localAgents.permissions.allow'];
  assert.ok(allow.includes('execute(ls *)'), 'the default rules stay in the list');

  // 3. The saved rule covers the next call: no card, the call says which rule allowed it.
  fake.enqueue(
    { kind: 'tools', calls: [{ name: 'execute', args: JSON.stringify({ command: 'date' }) }] },
    { kind: 'text', text: 'Again without asking.' },
  );
  await send(chat, 'And again?');
  await chat.locator('[data-testid="assistant-text"]', { hasText: 'Again without asking.' }).waitFor({ timeout: 30000 });
  assert.equal(await card.count(), 0);
  const last = chat.locator('[data-testid="tool-call"][data-tool="execute"] [data-testid="tool-label"]').last();
  assert.equal(await last.getAttribute('data-decision'), 'allow by rule');
  assert.match(await last.getAttribute('title'), /execute\(date\)/);
};
module.exports.timeout = 240000;
