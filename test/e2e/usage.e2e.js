// Usage and spend in the real workbench: prices entered on the model in Manage Providers and Models, a chat
// answered with the usage the fake reports, then today's spend in the status bar (over the daily limit: the
// warning and which limit), the next turn refused with the limit and its reset in the panel's banner, the
// Usage tab's chart drawn with that day's spend (docs/usage-chart.png), its tables, the CSV export, and the
// request in the Request Log with its cost and the masked credential.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');

async function send(chat, text) {
  const input = chat.locator('[data-testid="composer-input"]');
  await input.click();
  await input.fill(text);
  await input.press('Enter');
}

module.exports = async function usage(h) {
  const { fake, page } = h;
  await h.openContainer('Local Agents');

  // Prices on the model the chat will use (the provider made from OPENAI_BASE_URL has none).
  await h.runCommand('Local Agents: Manage Providers and Models');
  let manage = await h.webview('[data-testid="providers-tab"]', { timeout: 60000 });
  const model = manage.locator('[data-testid="model-row"][data-model="fake-model"]');
  await model.waitFor({ timeout: 30000 });
  await model.locator('[data-testid="model-edit"]').click();
  const editor = manage.locator('[data-testid="model-editor"]');
  await editor.locator('[data-testid="model-price-input"]').fill('2.50');
  await editor.locator('[data-testid="model-price-output"]').fill('10');
  await editor.locator('[data-testid="model-save"]').click();
  await model.locator('[data-testid="model-price-in"]', { hasText: '$2.50' }).waitFor({ timeout: 15000 });

  // A chat: 12,000 input and 3,000 output tokens at $2.50 / $10 per million: $0.03 + $0.03.
  await h.runCommand('Local Agents: New Chat');
  const chat = await h.webview('[data-testid="composer-input"]', { timeout: 60000 });
  fake.enqueue({ kind: 'text', text: 'Counted and priced.', usage: { prompt_tokens: 12000, completion_tokens: 3000 } });
  await send(chat, 'How much does this cost?');
  await chat.locator('[data-testid="assistant-text"]', { hasText: 'Counted and priced.' }).waitFor({ timeout: 30000 });

  // The status bar: today's spend, over the $0.05 daily limit, says which limit.
  const spend = page.locator('.statusbar-item', { hasText: /\$0\.06/ });
  await spend.waitFor({ timeout: 30000 });
  const label = await page.locator('.statusbar [aria-label*="spend limit reached"]').first().getAttribute('aria-label', { timeout: 15000 });
  assert.match(label, /^Daily spend limit reached: new turns do not start until it resets/);

  // The next turn does not start a request: the banner says which limit and when it resets.
  const before = fake.requests.filter((r) => r.stream).length;
  await send(chat, 'And once more?');
  const banner = chat.locator('[data-testid="error-banner"]');
  await banner.waitFor({ timeout: 30000 });
  const bannerText = await banner.innerText();
  assert.match(bannerText, /Chat usage limit exceeded\./);
  assert.match(bannerText, /daily spend limit of \$0\.05 is reached \(\$0\.06 spent\); it resets at /);
  assert.equal(fake.requests.filter((r) => r.stream).length, before, 'no request was sent over the limit');
  await h.screenshot('limit-banner');

  // The Usage tab: today's bar on the chart, the model's and the chat's rows with their dollars.
  await h.runCommand('Local Agents: Show Usage');
  manage = await h.webview('[data-testid="usage-tab"]', { timeout: 30000 });
  const chart = manage.locator('[data-testid="usage-chart"]');
  await chart.locator('canvas').waitFor({ timeout: 30000 });
  await manage.locator('[data-testid="usage-preset-7"]').click();
  await chart.and(manage.locator('[data-days="7"]')).waitFor({ timeout: 15000 });
  assert.equal(await chart.getAttribute('data-priced-days'), '1', 'one day of the seven has priced requests');
  const micros = Number(await chart.getAttribute('data-spend-micros'));
  assert.equal(micros, 60000, 'the chart\'s spend is the chat\'s $0.06');
  // The canvas holds drawn pixels in the spend colour (the bar), not only the axes.
  const drawn = await chart.locator('canvas').evaluate((canvas) => {
    const doc = canvas.ownerDocument;
    const style = (el) => doc.defaultView.getComputedStyle(el);
    const ctx = canvas.getContext('2d');
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const probe = doc.createElement('div');
    probe.style.color = style(doc.body).getPropertyValue('--vscode-charts-blue');
    doc.body.appendChild(probe);
    const [r, g, b] = style(probe).color.match(/\d+/g).map(Number);
    probe.remove();
    let spendPixels = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 200 && Math.abs(data[i] - r) < 8 && Math.abs(data[i + 1] - g) < 8 && Math.abs(data[i + 2] - b) < 8) spendPixels++;
    return spendPixels;
  });
  assert.ok(drawn > 50, `the spend bar is drawn in --vscode-charts-blue (${drawn} pixels)`);
  const modelRow = manage.locator('[data-testid="usage-by-model"] [data-testid="usage-row"][data-key="fake-model"]');
  assert.match(await modelRow.locator('[data-testid="usage-cost"]').innerText(), /^\$0\.06/);
  assert.equal(await manage.locator('[data-testid="usage-by-chat"] [data-testid="usage-row"]').count(), 1);
  assert.match(await manage.locator('[data-testid="usage-total"]').innerText(), /\$0\.06/);

  // The screenshot for the docs: the panel with room (no side bar), the status bar's warning in view.
  await h.runCommand('View: Close Primary Side Bar');
  await h.sleep(800);
  await page.screenshot({ path: path.join(ROOT, 'docs/usage-chart.png') });
  h.log('screenshot docs/usage-chart.png');

  // CSV per model, saved where the dialog proposes (the workspace folder).
  await manage.locator('[data-testid="usage-export-group"]').selectOption('model');
  await manage.locator('[data-testid="usage-export"]').click();
  const dialog = page.locator('.quick-input-widget input');
  await dialog.waitFor({ state: 'visible', timeout: 15000 });
  await h.sleep(300);
  await dialog.press('Enter');
  const deadline = Date.now() + 15000;
  let csvFile;
  while (!csvFile && Date.now() < deadline) {
    csvFile = fs.readdirSync(h.workspaceDir).find((f) => /^local-agents-usage-by-model-.*\.csv$/.test(f));
    if (!csvFile) await h.sleep(250);
  }
  assert.ok(csvFile, 'the CSV was written to the workspace folder');
  const csv = fs.readFileSync(path.join(h.workspaceDir, csvFile), 'utf8').split('\r\n');
  assert.equal(csv[0], 'model,provider,cost_usd,requests,unpriced_requests,input_tokens,output_tokens,reasoning_tokens,cache_read_tokens,cache_write_tokens');
  // One request: the title would come after the answer, which already reached the limit.
  assert.equal(csv[1], 'fake-model,Environment (OPENAI_BASE_URL),0.060000,1,0,12000,3000,0,0,0');
  assert.equal(csv[2], 'total,,0.060000,1,0,12000,3000,0,0,0');

  // The Request Log: the session with its chat step, cost, and the key's last 4 characters only.
  await h.runCommand('Local Agents: Show Request Log');
  manage = await h.webview('[data-testid="requests-tab"]', { timeout: 30000 });
  const step = manage.locator('[data-testid="request-row"][data-kind="chat"]').first();
  await step.waitFor({ timeout: 15000 });
  assert.equal(await step.locator('[data-testid="request-cost"]').innerText(), '$0.06');
  assert.equal(await step.locator('[data-testid="request-credential"]').innerText(), 'centralized …', 'a key under 12 characters shows none of them');
  assert.ok(!(await manage.locator('body').innerHTML()).includes(h.fakeKey), 'the key never reaches the view');
  await h.screenshot('request-log');
};
module.exports.userSettings = { 'localAgents.usage.dailySpendLimit': 0.05 };
module.exports.timeout = 240000;
