// A chat of 5,000 messages: it opens at the end with only the visible messages in the DOM, and scrolling
// up loads older pages until the first message. (Timings are logged; performance is judged by benchmarks.)
/* global Event */
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');
const Database = require('better-sqlite3');

const N = 5000;

module.exports = async function longChat(h) {
  const { fake } = h;
  await h.openContainer('Local Agents');
  let chat = await h.webview('[data-testid="composer-input"]', { timeout: 60000 });
  fake.enqueue({ kind: 'text', text: 'seeded' }, { kind: 'title', title: 'Long chat' });
  await chat.locator('[data-testid="composer-input"]').fill('start a long chat');
  await chat.locator('[data-testid="composer-input"]').press('Enter');
  await chat.locator('[data-testid="chat-status"]', { hasText: 'waiting' }).waitFor({ timeout: 30000 });

  // Thousands of earlier messages, written straight into the same store (WAL: the server keeps running).
  const db = new Database(path.resolve(__dirname, '../../.e2e/run/data/longchat/chats.db'));
  const { id } = db.prepare('SELECT id FROM chats').get();
  const ins = db.prepare('INSERT INTO chat_messages (chat_id, role, content, created_at) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < N; i++) {
      const text = i % 2 ? `Answer **${i}** with \`code\` and a list:\n\n- one\n- two\n\nmessage ${i}` : `question message ${i}`;
      ins.run(id, i % 2 ? 'assistant' : 'user', JSON.stringify([{ type: 'text', text }]), Date.now());
    }
  })();
  db.close();

  await h.runCommand('Local Agents: New Chat');
  await h.unfoldViews(['Chats']);
  const started = Date.now();
  await h.treeItem('Chats', 'Long chat').click();
  chat = await h.webview('[data-testid="composer-input"]');
  await chat.locator('[data-testid="assistant-text"]', { hasText: `message ${N - 1}` }).waitFor({ timeout: 30000 });
  h.log(`opened a ${N + 2}-message chat in ${Date.now() - started} ms`);
  const rendered = await chat.locator('[data-testid="message"]').count();
  h.log(`${rendered} message elements in the DOM`);
  assert.ok(rendered > 0 && rendered < 150, `only visible messages are rendered, got ${rendered}`);
  await h.screenshot('opened');

  // Scroll to the top again and again: older pages load until the very first message.
  const list = chat.locator('[data-testid="message-list"]');
  const scrollStart = Date.now();
  for (let i = 0; i < 200; i++) {
    if (await chat.locator('[data-testid="message"]', { hasText: 'question message 0' }).count()) break;
    await list.evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); });
    await h.sleep(150);
  }
  await chat.locator('[data-testid="message"]', { hasText: 'question message 0' }).first().waitFor({ timeout: 10000 });
  h.log(`scrolled to the first message in ${Date.now() - scrollStart} ms`);
  const after = await chat.locator('[data-testid="message"]').count();
  assert.ok(after < 150, `still windowed after loading every page, got ${after}`);
  await h.screenshot('top');
};
module.exports.timeout = 240000;
