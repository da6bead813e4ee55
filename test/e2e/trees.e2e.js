// The trees: pin a chat from the Chats tree and see it under Pinned, reorder two pinned chats by
// drag and drop, and an unread mark on a chat that finished in the background, gone once opened.
'use strict';
const assert = require('node:assert/strict');

async function newChatWithAnswer(h, question) {
  await h.runCommand('Local Agents: New Chat');
  const chat = await h.webview('[data-testid="composer-input"]', { timeout: 60000 });
  const input = chat.locator('[data-testid="composer-input"]');
  await input.click();
  await input.fill(question);
  await input.press('Enter');
  return chat;
}

async function rowLabels(h, viewTitle) {
  return (await h.view(viewTitle).locator('.monaco-list-row .label-name').allInnerTexts()).map((t) => t.trim());
}

module.exports = async function trees(h) {
  const { fake } = h;
  await h.openContainer('Local Agents');
  await h.unfoldViews(['Pinned', 'Unread', 'Chats']);
  // Two finished chats with predictable titles.
  fake.enqueue({ kind: 'text', text: 'one' }, { kind: 'title', title: 'Alpha chat' });
  let chat = await newChatWithAnswer(h, 'first chat');
  await chat.locator('[data-testid="chat-status"]', { hasText: 'waiting' }).waitFor({ timeout: 30000 });
  fake.enqueue({ kind: 'text', text: 'two' }, { kind: 'title', title: 'Beta chat' });
  chat = await newChatWithAnswer(h, 'second chat');
  await chat.locator('[data-testid="chat-status"]', { hasText: 'waiting' }).waitFor({ timeout: 30000 });
  await h.treeItem('Chats', 'Alpha chat').waitFor({ timeout: 30000 });
  await h.treeItem('Chats', 'Beta chat').waitFor({ timeout: 30000 });

  // Pin both from the Chats tree (inline action), Alpha first.
  for (const title of ['Alpha chat', 'Beta chat']) {
    const row = h.treeItem('Chats', title);
    // Inline actions show on the selected or hovered row.
    await row.click();
    await row.hover();
    await row.locator('.action-label[aria-label="Pin Chat"]').click({ force: true });
    await h.treeItem('Pinned', title).waitFor({ timeout: 15000 });
    // Pinned chats leave the Chats tree; wait for that re-render so the next click cannot land on a row
    // that moved under the pointer (a click on the "Today" group row would fold it).
    await h.treeItem('Chats', title).waitFor({ state: 'detached', timeout: 15000 });
  }
  assert.deepEqual(await rowLabels(h, 'Pinned'), ['Alpha chat', 'Beta chat']);
  await h.screenshot('pinned');

  // Drag Beta onto Alpha: Beta takes position 1.
  await h.treeItem('Pinned', 'Beta chat').dragTo(h.treeItem('Pinned', 'Alpha chat'));
  for (let i = 0; i < 40 && (await rowLabels(h, 'Pinned'))[0] !== 'Beta chat'; i++) await h.sleep(250);
  assert.deepEqual(await rowLabels(h, 'Pinned'), ['Beta chat', 'Alpha chat']);

  // A chat finishing while another one is shown becomes unread; opening it clears the mark.
  fake.enqueue({ kind: 'text', text: 'background answer arrives slowly', chunks: ['background ', 'answer ', 'arrives ', 'slowly'], delayMs: 700 }, { kind: 'title', title: 'Gamma chat' });
  chat = await newChatWithAnswer(h, 'third chat, answered in the background');
  await chat.locator('[data-testid="chat-status"]', { hasText: /running|pending/ }).waitFor({ timeout: 20000 });
  await h.runCommand('Local Agents: New Chat'); // the panel leaves the running chat
  await h.treeItem('Unread', 'Gamma chat').waitFor({ timeout: 30000 });
  await h.screenshot('trees');
  await h.treeItem('Chats', 'Gamma chat').click();
  const opened = await h.webview('[data-testid="assistant-text"]', { timeout: 30000 });
  await opened.locator('[data-testid="assistant-text"]', { hasText: 'background answer' }).waitFor({ timeout: 15000 });
  await h.treeItem('Unread', 'Gamma chat').waitFor({ state: 'detached', timeout: 15000 });
};
module.exports.timeout = 240000;
