// A user's chat in the real panel: streamed answer, a rendered tool call, queueing while busy,
// stopping a running turn, and editing an earlier message.
'use strict';
const assert = require('node:assert/strict');

async function send(chat, text) {
  const input = chat.locator('[data-testid="composer-input"]');
  await input.click();
  await input.fill(text);
  await input.press('Enter');
}

module.exports = async function chatFlow(h) {
  const { fake } = h;
  await h.openContainer('Local Agents');
  await h.runCommand('Local Agents: New Chat');
  const chat = await h.webview('[data-testid="composer-input"]', { timeout: 60000 });

  // 1. A streamed answer with a tool call rendered between the steps.
  fake.enqueue(
    { kind: 'tools', calls: [{ name: 'read_file', args: JSON.stringify({ path: 'README.md' }), pieces: 4 }] },
    { kind: 'text', text: 'The README describes **the e2e workspace**.', delayMs: 30 },
  );
  await send(chat, 'What is in the README?');
  await chat.locator('[data-testid="tool-call"][data-tool="read_file"]').first().waitFor({ timeout: 30000 });
  await chat.locator('[data-testid="assistant-text"]', { hasText: 'describes' }).first().waitFor({ timeout: 30000 });
  await chat.locator('[data-testid="chat-status"]', { hasText: 'waiting' }).waitFor({ timeout: 30000 });
  const streamed = fake.requests.filter((r) => r.stream);
  assert.equal(streamed.length, 2, 'two model steps: the tool call and the answer');
  await h.screenshot('tool-call');

  // 2. A message sent while a turn runs is queued, shown, then answered in order.
  fake.enqueue(
    { kind: 'text', text: 'slow answer one two three four five six', chunks: 'slow answer one two three four five six'.split(' ').map((w) => w + ' '), delayMs: 400 },
    { kind: 'text', text: 'answer to the queued message' },
  );
  await send(chat, 'first, slowly');
  await chat.locator('[data-testid="chat-status"]', { hasText: /running|pending/ }).waitFor({ timeout: 20000 });
  await send(chat, 'queued while busy');
  await chat.locator('[data-testid="queued-item"]', { hasText: 'queued while busy' }).waitFor({ timeout: 10000 });
  await h.screenshot('queued');
  await chat.locator('[data-testid="assistant-text"]', { hasText: 'answer to the queued message' }).waitFor({ timeout: 30000 });
  assert.equal(await chat.locator('[data-testid="queued-item"]').count(), 0, 'the queue is empty once promoted');

  // 3. Stop a running turn: the partial answer stays.
  fake.enqueue({ kind: 'text', text: 'alpha beta gamma delta epsilon zeta eta theta', chunks: 'alpha beta gamma delta epsilon zeta eta theta'.split(' ').map((w) => w + ' '), delayMs: 500 });
  await send(chat, 'count in greek');
  await chat.locator('[data-testid="assistant-text"]', { hasText: 'beta' }).waitFor({ timeout: 20000 });
  await chat.locator('[data-testid="stop-button"]').click();
  await chat.locator('[data-testid="chat-status"]', { hasText: 'waiting' }).waitFor({ timeout: 20000 });
  await h.sleep(1500);
  const partial = await chat.locator('[data-testid="assistant-text"]').last().innerText();
  assert.match(partial, /alpha beta/);
  assert.doesNotMatch(partial, /theta/, 'the turn stopped before the end');

  // 4. Edit the first message: everything after it goes, a new answer comes.
  fake.enqueue({ kind: 'text', text: 'Answer to the edited question.' });
  const firstUser = chat.locator('[data-testid="message"][data-role="user"]').first();
  await firstUser.hover();
  await firstUser.locator('[data-testid="edit-message"]').click();
  await chat.locator('[data-testid="edit-input"]').fill('What is in src/greet.js?');
  await chat.locator('[data-testid="edit-save"]').click();
  await chat.locator('[data-testid="assistant-text"]', { hasText: 'Answer to the edited question.' }).waitFor({ timeout: 30000 });
  await chat.locator('[data-testid="chat-status"]', { hasText: 'waiting' }).waitFor({ timeout: 20000 });
  assert.equal(await chat.locator('[data-testid="message"][data-role="user"]').count(), 1, 'later messages were removed');
  assert.equal(await chat.locator('[data-testid="tool-call"]').count(), 0);
  await h.screenshot('edited');
};
module.exports.timeout = 240000;
