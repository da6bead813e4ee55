// The MCP Servers view: add a stdio server-everything from the view's welcome button through the guided
// quick inputs (with model_intent on), see it tested with its tools listed under it; in a new chat it is
// preselected (default_on), the model calls one of its tools and the call shows its model_intent label;
// then deny one tool inline.
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');

const EVERYTHING = path.resolve(__dirname, '../../node_modules/@modelcontextprotocol/server-everything/dist/index.js');

module.exports = async function mcpManage(h) {
  const { page } = h;
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input').first();

  /** Waits for the quick input titled `title` (a step of the Add flow), types, presses Enter. */
  async function answer(title, text) {
    await widget.locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 15000 });
    await input.fill(text);
    await h.sleep(150);
    await page.keyboard.press('Enter');
  }

  await h.openContainer('Local Agents');
  const pane = h.view('MCP Servers');
  await pane.waitFor({ timeout: 30000 });
  const header = pane.locator('.pane-header');
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  const addButton = pane.locator('.welcome-view-content a.monaco-button', { hasText: 'Add MCP Server' });
  await addButton.waitFor({ timeout: 30000 });
  await h.screenshot('empty');
  await addButton.click();

  await answer('Add MCP Server (transport)', 'Local command');
  await answer('Add MCP Server (command)', process.execPath);
  await answer('Add MCP Server (arguments)', `${EVERYTHING} stdio`);
  await answer('Add MCP Server (slug)', 'everything');
  await answer('Add MCP Server (name)', 'Everything');
  await answer('Add MCP Server (availability)', 'On by default');
  await widget.locator('.quick-input-title', { hasText: 'Add MCP Server (options)' }).waitFor({ timeout: 15000 });
  await widget.locator('.quick-input-list .monaco-list-row', { hasText: 'model_intent' }).click();
  await page.keyboard.press('Enter');

  await h.treeItem('MCP Servers', 'Everything').waitFor({ timeout: 30000 });
  const echo = h.treeItem('MCP Servers', /^echo$/);
  await echo.waitFor({ timeout: 60000 });
  await h.waitForNotification(/MCP server "Everything".*connected, \d+ tools/);
  await h.screenshot('tested');

  // A chat: the default_on server is preselected, its tools reach the model wrapped for model_intent,
  // and the call is labelled with the intent the model gave.
  const { fake } = h;
  // Room for the chat view in the side bar: fold the trees this test does not look at.
  await h.foldViews(['Pinned', 'Unread', 'Chats', 'MCP Servers']);
  await h.runCommand('Local Agents: New Chat');
  const chat = await h.webview('[data-testid="composer-input"]', { timeout: 60000 });
  await chat.locator('[data-testid="mcp-picker"]', { hasText: 'MCP 1' }).waitFor({ timeout: 30000 });
  await chat.locator('[data-testid="mcp-picker"]').click();
  assert.equal(await chat.locator('[data-testid="mcp-option"][data-slug="everything"]').isChecked(), true, 'default_on server preselected');
  await chat.locator('[data-testid="mcp-picker"]').click();
  fake.enqueue(
    { kind: 'tools', calls: [{ name: 'everything__echo', args: JSON.stringify({ model_intent: 'Echoing a greeting', properties: { message: 'hi from e2e' } }), pieces: 3 }] },
    { kind: 'text', text: 'The server echoed it back.' },
  );
  const composer = chat.locator('[data-testid="composer-input"]');
  await composer.click();
  await composer.fill('Echo a greeting with the MCP server');
  await composer.press('Enter');
  const call = chat.locator('[data-testid="tool-call"][data-tool="everything__echo"]');
  await call.locator('[data-testid="tool-label"]', { hasText: 'Echoing a greeting' }).waitFor({ timeout: 60000 });
  // MCP tools ask in the default permission mode: the card shows the tool and its arguments.
  const approval = chat.locator('[data-testid="approval-item"][data-tool="everything__echo"]');
  await approval.waitFor({ timeout: 30000 });
  assert.match(await approval.innerText(), /hi from e2e/);
  await approval.locator('[data-testid="approval-allow-once"]').click();
  await call.and(chat.locator('[data-state="done"]')).waitFor({ timeout: 30000 });
  await chat.locator('[data-testid="assistant-text"]', { hasText: 'echoed it back' }).waitFor({ timeout: 30000 });
  const first = fake.requests.find((r) => r.stream && Array.isArray(r.body?.tools) && r.body.tools.some((t) => t.function?.name === 'everything__echo'));
  assert.ok(first, 'the model saw everything__echo');
  const schema = first.body.tools.find((t) => t.function.name === 'everything__echo').function.parameters;
  assert.deepEqual(schema.required, ['model_intent', 'properties'], 'schema wrapped for model_intent');
  const second = fake.requests.filter((r) => r.stream).at(-1);
  const toolMsg = second.body.messages.find((m) => m.role === 'tool');
  assert.match(JSON.stringify(toolMsg.content), /hi from e2e/, 'the unwrapped arguments reached the server and its result came back');
  await h.screenshot('intent-label');
  await h.view('MCP Servers').locator('.pane-header').click();

  await echo.click();
  await echo.hover();
  await echo.locator('.action-label[aria-label="Deny MCP Tool"]').click({ force: true });
  await h.treeItem('MCP Servers', /^echo$/).locator('.label-description', { hasText: 'denied' }).waitFor({ timeout: 15000 });
  await h.screenshot('denied');
};
module.exports.timeout = 180000;
