// Search Chats…: a word that appears only in an older chat's tool output finds it in the quick pick, and
// picking the hit opens that chat at the matching message, marked.
'use strict';
const assert = require('node:assert/strict');

async function ask(h, text) {
  await h.runCommand('Local Agents: New Chat');
  const chat = await h.webview('[data-testid="composer-input"]', { timeout: 60000 });
  const input = chat.locator('[data-testid="composer-input"]');
  await input.click();
  await input.fill(text);
  await input.press('Enter');
  await chat.locator('[data-testid="chat-status"]', { hasText: 'waiting' }).waitFor({ timeout: 30000 });
  return chat;
}

module.exports = async function searchFlow(h) {
  const { fake, page } = h;
  await h.openContainer('Local Agents');
  await h.unfoldViews(['Chats']);
  // The first chat reads a file whose content holds a rare word; several answers follow it.
  require('node:fs').writeFileSync(require('node:path').join(h.workspaceDir, 'notes.txt'), 'The launch code word is quasarwhistle.\n');
  fake.enqueue(
    { kind: 'tools', calls: [{ name: 'read_file', args: JSON.stringify({ path: 'notes.txt' }) }] },
    { kind: 'text', text: 'I read the notes.' },
    { kind: 'title', title: 'Reading the notes' },
  );
  await ask(h, 'read notes.txt');
  fake.enqueue({ kind: 'text', text: 'Something unrelated.' }, { kind: 'title', title: 'Unrelated chat' });
  await ask(h, 'tell me something else');

  await h.runCommand('Local Agents: Search Chats…');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill('quasarwhist');
  const hit = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Reading the notes' }).first();
  await hit.waitFor({ timeout: 15000 });
  assert.match(await hit.innerText(), /quasarwhistle/, 'the snippet shows the match');
  assert.equal(await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Unrelated chat' }).count(), 0);
  await h.screenshot('search-pick');
  await input.press('Enter');

  const chat = await h.webview('[data-testid="search-hit"]', { timeout: 30000 });
  const marked = chat.locator('[data-testid="search-hit"]');
  await marked.waitFor({ timeout: 15000 });
  assert.match(await marked.innerText(), /read_file|notes\.txt/, 'the marked row is the call whose output matched');
  assert.match(await chat.locator('[data-testid="chat-title"]').innerText(), /Reading the notes/);
  await h.screenshot('search-opened');
};
