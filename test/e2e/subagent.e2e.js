// An explore subagent from the panel: the spawn call shows the child (title, live status) before it
// returns, and its transcript opens inline with the child's own tool call and answer.
'use strict';
const assert = require('node:assert/strict');

module.exports = async function subagentFlow(h) {
  const { fake } = h;
  let parentStep = 0;
  let childStep = 0;
  fake.setHandler((req) => {
    if (!req.stream) return { kind: 'title', title: 'Scout the README' };
    const system = String(req.messages?.[0]?.content ?? '');
    if (system.includes('You are an explore agent')) {
      childStep++;
      if (childStep === 1) return { kind: 'tools', calls: [{ name: 'read_file', args: JSON.stringify({ path: 'README.md' }) }] };
      // Slow enough that the panel shows the child running before the spawn call returns.
      const words = 'The README describes the e2e workspace and nothing else.'.split(' ').map((w) => w + ' ');
      return { kind: 'text', text: words.join(''), chunks: words, delayMs: 300 };
    }
    parentStep++;
    if (parentStep === 1) return { kind: 'tools', calls: [{ name: 'spawn_explore_agent', args: JSON.stringify({ prompt: 'Read README.md and summarise it.', title: 'Readme scout' }) }] };
    return { kind: 'text', text: 'The scout reports: the README describes the e2e workspace.' };
  });
  await h.openContainer('Local Agents');
  // Room for the chat view in the side bar: fold the trees this test does not look at.
  await h.foldViews(['Pinned', 'Unread', 'Chats', 'MCP Servers']);
  await h.runCommand('Local Agents: New Chat');
  const chat = await h.webview('[data-testid="composer-input"]', { timeout: 60000 });
  const input = chat.locator('[data-testid="composer-input"]');
  await input.fill('Have a scout read the README');
  await input.press('Enter');

  const sub = chat.locator('[data-testid="tool-call"][data-tool="spawn_explore_agent"] [data-testid="subagent"]');
  await sub.locator('.subagent-title', { hasText: 'Readme scout' }).waitFor({ timeout: 30000 });
  await sub.locator('[data-testid="subagent-status"]', { hasText: 'running' }).waitFor({ timeout: 30000 });
  await sub.locator('[data-testid="subagent-toggle"]').click();
  const transcript = sub.locator('[data-testid="subagent-transcript"]');
  await transcript.locator('[data-testid="tool-call"][data-tool="read_file"]').waitFor({ timeout: 30000 });
  // The child's answer streams into the open transcript, then the parent answers.
  await transcript.locator('.markdown', { hasText: 'nothing else' }).waitFor({ timeout: 30000 });
  await chat.locator('[data-testid="assistant-text"]', { hasText: 'The scout reports' }).waitFor({ timeout: 30000 });
  await sub.locator('[data-testid="subagent-status"]', { hasText: 'waiting' }).waitFor({ timeout: 30000 });
  assert.equal(await transcript.locator('[data-testid="edit-message"]').count(), 0, 'a subagent transcript is read-only');
  // The chat's cost in the header counts its subagent too.
  const cost = chat.locator('[data-testid="chat-cost"]');
  await cost.waitFor({ timeout: 15000 });
  assert.match(await cost.innerText(), /tokens|\$/);
  assert.match(await cost.getAttribute('title'), /This chat: .*\n1 subagent: /);
  assert.match(await transcript.locator('[data-role="user"]').first().innerText(), /Read README.md and summarise it/);
  await sub.scrollIntoViewIfNeeded();
  await h.screenshot('transcript');
};
module.exports.timeout = 180000;
