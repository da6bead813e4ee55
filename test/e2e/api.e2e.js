// The HTTP API of a VS Code window, as a script uses it while a person watches: with localAgents.api.enabled
// the window's server lists itself in the data dir; a chat a script creates with a client tool shows "API"
// in the Chats tree; its panel shows the call that waits for the script, read-only; the script's result
// lets the chat finish; the tree's filter hides API chats.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

async function waitForServerEntry(h, dataDir) {
  const dir = path.join(dataDir, 'api', 'servers');
  const deadline = Date.now() + 60000;
  for (;;) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
    if (files.length > 0) return JSON.parse(fs.readFileSync(path.join(dir, files[0]), 'utf8'));
    if (Date.now() > deadline) throw new Error(`no API server entry in ${dir}`);
    await h.sleep(250);
  }
}

module.exports = async function apiFlow(h) {
  const { fake } = h;
  await h.openContainer('Local Agents');
  await h.unfoldViews(['Chats']);
  // The server starts with the first view; its API entry names the URL (the token is in the data dir).
  const dataDir = h.userSettings()['localAgents.dataLocation'];
  const entry = await waitForServerEntry(h, dataDir);
  assert.match(entry.url, /^http:\/\/127\.0\.0\.1:\d+\/api\/experimental$/);
  const tokenFile = path.join(dataDir, 'api-token');
  assert.equal(fs.statSync(tokenFile).mode & 0o777, 0o600, 'the token file is the user\'s only');
  const token = fs.readFileSync(tokenFile, 'utf8').trim();
  const api = async (method, p, body) => {
    const res = await fetch(`${entry.url}${p}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
    return { status: res.status, body: res.status === 204 ? null : await res.json() };
  };
  assert.equal((await fetch(`${entry.url}/chats`)).status, 401, 'no token, no answer');

  fake.enqueue(
    { kind: 'tools', calls: [{ id: 'call_e2e', name: 'lookup_ticket', args: JSON.stringify({ id: 'T-7' }) }] },
    { kind: 'title', title: 'Ticket lookup from a script' },
    { kind: 'text', text: 'T-7 is open and owned by kim.' },
  );
  const created = await api('POST', '/chats', {
    content: [{ type: 'text', text: 'Is T-7 open?' }],
    unsafe_dynamic_tools: [{ name: 'lookup_ticket', description: 'Looks up a ticket', input_schema: { type: 'object', properties: { id: { type: 'string' } } } }],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  for (let i = 0; ; i++) {
    const c = await api('GET', `/chats/${id}`);
    if (c.body.status === 'requires_action') break;
    if (i > 200) throw new Error(`the chat is ${c.body.status}`);
    await h.sleep(100);
  }

  // The Chats tree marks it; opening it shows the waiting call without any button to answer it.
  const row = h.treeItem('Chats', /Ticket lookup from a script|Is T-7 open/);
  await row.waitFor({ timeout: 30000 });
  assert.match(await row.innerText(), /API/);
  await row.click();
  const chat = await h.webview('[data-testid="client-calls-card"]', { timeout: 60000 });
  const card = chat.locator('[data-testid="client-calls-card"]');
  await card.waitFor({ timeout: 30000 });
  assert.match(await card.innerText(), /lookup_ticket/);
  assert.match(await card.innerText(), /T-7/);
  assert.equal(await card.locator('button').count(), 0, 'the user cannot answer a client call');
  assert.equal(await chat.locator('[data-testid="approval-card"]').count(), 0);
  await h.screenshot('client-call-waits');

  const answered = await api('POST', `/chats/${id}/tool-results`, { results: [{ tool_call_id: 'call_e2e', output: { status: 'open', owner: 'kim' } }] });
  assert.equal(answered.status, 204, JSON.stringify(answered.body));
  await chat.locator('[data-testid="assistant-text"]', { hasText: 'T-7 is open and owned by kim.' }).waitFor({ timeout: 30000 });
  // The card leaves when the answered call's status change arrives, which may trail the first text by a moment.
  await card.waitFor({ state: 'detached', timeout: 10000 }).catch(() => { throw new Error('the card goes once the script answered'); });
  await h.screenshot('client-call-answered');

  // The filter hides API chats from the Chats tree, and shows them again.
  await h.runCommand('Local Agents: Show or Hide API Chats');
  await row.waitFor({ state: 'detached', timeout: 15000 });
  await h.runCommand('Local Agents: Show or Hide API Chats');
  await h.treeItem('Chats', /Ticket lookup from a script|Is T-7 open/).waitFor({ timeout: 15000 });
};

module.exports.userSettings = { 'localAgents.api.enabled': true, 'localAgents.api.port': 0 };
