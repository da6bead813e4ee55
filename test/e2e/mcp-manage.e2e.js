// The MCP Servers view: add a stdio server-everything from the view's welcome button through the guided
// quick inputs (with model_intent on), see it tested with its tools listed under it, deny one tool inline.
'use strict';
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

  await echo.click();
  await echo.hover();
  await echo.locator('.action-label[aria-label="Deny MCP Tool"]').click({ force: true });
  await h.treeItem('MCP Servers', /^echo$/).locator('.label-description', { hasText: 'denied' }).waitFor({ timeout: 15000 });
  await h.screenshot('denied');
};
module.exports.timeout = 180000;
