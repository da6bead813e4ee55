// Compaction from the composer: after an answer, `/compact the API names` summarises the chat; the panel
// shows the boundary with its summary on demand and the header's context meter; `/clear` adds a reset
// boundary, and the next request carries neither the old turn nor the summary.
'use strict';
const assert = require('node:assert/strict');

module.exports = async function compactionFlow(h) {
  const { fake } = h;
  fake.enqueue({ kind: 'text', text: 'OLD-ANSWER about the API.', usage: { prompt_tokens: 1200, completion_tokens: 40 } }, { kind: 'title', title: 'API talk' });
  await h.openContainer('Local Agents');
  await h.runCommand('Local Agents: New Chat');
  const chat = await h.webview('[data-testid="composer-input"]', { timeout: 60000 });
  const input = chat.locator('[data-testid="composer-input"]');
  const send = async (text) => {
    await input.click();
    await input.fill(text);
    await input.press('Enter');
  };
  await send('tell me about the API');
  await chat.locator('[data-testid="chat-status"]', { hasText: 'waiting' }).waitFor({ timeout: 30000 });
  const meter = chat.locator('[data-testid="context-meter"]');
  await meter.waitFor({ timeout: 10000 });
  assert.match(await meter.innerText(), /1k \/ 128k/);

  // The summary is the non-streamed answer the fake gives next (it serves titles and summaries alike).
  fake.enqueue({ kind: 'title', title: '## Goal\nExplain the API (SUMMARY-MARK).' });
  await send('/compact the API names');
  const boundary = chat.locator('[data-testid="compaction-boundary"][data-reason="manual"]');
  await boundary.waitFor({ timeout: 20000 });
  assert.match(await boundary.innerText(), /Context compacted: ~[\d,.k]+ → ~[\d,.k]+ tokens \(focus: the API names\)/);
  await boundary.locator('[data-testid="compaction-toggle"]').click();
  assert.match(await chat.locator('[data-testid="compaction-summary"]').innerText(), /SUMMARY-MARK/);
  assert.equal(await input.inputValue(), '', 'the command is not sent as a message');
  await h.screenshot('compaction-boundary');

  await send('/clear');
  await chat.locator('[data-testid="compaction-boundary"][data-reason="reset"]').waitFor({ timeout: 10000 });
  fake.enqueue({ kind: 'text', text: 'Fresh answer.' });
  await send('FRESH-QUESTION');
  await chat.locator('[data-testid="assistant-text"]', { hasText: 'Fresh answer.' }).waitFor({ timeout: 30000 });
  const last = JSON.stringify(fake.requests.filter((r) => r.stream).at(-1).messages);
  assert.match(last, /FRESH-QUESTION/);
  assert.doesNotMatch(last, /OLD-ANSWER|SUMMARY-MARK/);
  await h.screenshot('compaction-cleared');
};
