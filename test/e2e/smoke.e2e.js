// The workbench loads, the Local Agents container is in the activity bar, and
// "Local Agents: New Chat" shows the chat webview.
'use strict';
const assert = require('node:assert/strict');

module.exports = async function smoke(h) {
  await h.activityBarItem('Local Agents').waitFor({ timeout: 30000 });
  h.log('activity-bar container present');

  await h.runCommand('Local Agents: New Chat');
  const chat = await h.webview();
  await chat.locator('body').waitFor({ timeout: 30000 });
  const text = (await chat.locator('body').innerText()).trim();
  assert.ok(text.length > 0, 'the chat webview rendered nothing');
  h.log('chat webview says:', text.slice(0, 200).replace(/\s+/g, ' '));
  await h.screenshot('new-chat');
};
module.exports.timeout = 120000;
