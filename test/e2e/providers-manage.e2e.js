// Manage Providers and Models: add a second OpenAI-compatible provider (its own name, on the fake's URL),
// the key typed into VS Code's password box, the models fetched from the provider with the prices and
// context its list publishes (OpenRouter's shape), saved as the default; a name already taken is refused at
// the name field; then a new chat is answered by that provider's model with that key; deleting it after a
// confirmation gives the default back to the other provider's model.
'use strict';
const assert = require('node:assert/strict');

const LISTED = 'router/priced-model';

module.exports = async function providersManage(h) {
  const { fake, page } = h;
  const models = fake.models.slice();
  fake.models.push(LISTED);
  fake.modelDetails[LISTED] = {
    context_length: 200000,
    pricing: { prompt: '0.000003', completion: '0.000015' },
    architecture: { input_modalities: ['text', 'image'] },
    top_provider: { max_completion_tokens: 8192 },
  };
  try {
    await h.openContainer('Local Agents');
    await h.runCommand('Local Agents: Manage Providers and Models');
    const manage = await h.webview('[data-testid="providers-tab"]', { timeout: 60000 });
    await manage.locator('[data-testid="provider-row"]').first().waitFor({ timeout: 30000 });
    await manage.locator('[data-testid="add-provider"]').click();
    const form = manage.locator('[data-testid="new-provider"]');
    await form.locator('[data-testid="setup-preset"]').selectOption('other');
    await form.locator('[data-testid="provider-name"]').fill('fake-router');
    await form.locator('[data-testid="setup-base-url"]').fill(h.fakeUrl);

    // Without the key the provider refuses to list its models: said at the base URL.
    await form.locator('[data-testid="setup-fetch-models"]').click();
    await form.locator('[data-testid="field-error"][data-field="base_url"]', { hasText: /401/ }).waitFor({ timeout: 30000 });

    // The key goes into VS Code's own password box, never into the view.
    await form.locator('[data-testid="setup-key"]').click();
    const box = page.locator('.quick-input-widget input');
    await box.waitFor({ state: 'visible', timeout: 15000 });
    assert.equal(await box.getAttribute('type'), 'password');
    await box.fill(h.fakeKey);
    await box.press('Enter');
    await form.locator('[data-testid="setup-key-state"]', { hasText: 'entered' }).waitFor({ timeout: 15000 });

    await form.locator('[data-testid="setup-fetch-models"]').click();
    const picker = form.locator('select[data-testid="setup-model"]');
    await picker.waitFor({ timeout: 30000 });
    assert.deepEqual(await picker.locator('option').allInnerTexts(), ['fake-model', 'fake-model-large', LISTED]);
    await picker.selectOption(LISTED);
    const listed = await form.locator('[data-testid="setup-model-details"]').innerText();
    assert.match(listed, /context 200,000 · max output 8,192 · \$3\/M in · \$15\/M out · images/);
    await h.screenshot('new-provider');
    await form.locator('[data-testid="setup-save"]').click();
    await form.waitFor({ state: 'detached', timeout: 30000 });

    // Saved: a personal key, the listed model as the default with the list's prices, context and images.
    const row = manage.locator('[data-testid="provider-row"][data-name="fake-router"]');
    await row.waitFor({ timeout: 15000 });
    assert.equal(await row.locator('[data-testid="provider-key-source"]').getAttribute('data-source'), 'personal');
    const model = row.locator(`[data-testid="model-row"][data-model="${LISTED}"]`);
    await model.locator('[data-testid="model-default-mark"]').waitFor({ timeout: 15000 });
    assert.equal(await model.locator('[data-testid="model-price-in"]').innerText(), '$3.00');
    const cells = await model.locator('td').allInnerTexts();
    assert.equal(cells[1], '200,000');
    assert.equal(cells[2], '8,192');
    assert.equal(cells[4], 'yes');
    assert.equal(await manage.locator('[data-testid="model-default-mark"]').count(), 1, 'one default');
    assert.ok(!(await manage.locator('body').innerHTML()).includes(h.fakeKey), 'the key never reaches the view');
    await h.screenshot('saved');

    // A second provider by the same name: refused, next to the name field, before anything is written.
    await manage.locator('[data-testid="add-provider"]').click();
    await form.locator('[data-testid="setup-preset"]').selectOption('other');
    await form.locator('[data-testid="provider-name"]').fill('fake-router');
    await form.locator('[data-testid="setup-base-url"]').fill(h.fakeUrl);
    await form.locator('[data-testid="setup-model"]').fill('fake-model');
    await form.locator('[data-testid="setup-save"]').click();
    await form.locator('[data-testid="field-error"][data-field="provider_name"]', { hasText: 'A provider named "fake-router" is already configured.' }).waitFor({ timeout: 15000 });
    await form.locator('[data-testid="provider-cancel"]').click();
    assert.equal(await manage.locator('[data-testid="provider-row"][data-name="fake-router"]').count(), 1);

    // A new chat runs on the new default: its model, with the key typed above.
    await h.runCommand('Local Agents: New Chat');
    const chat = await h.webview('[data-testid="composer-input"]', { timeout: 60000 });
    fake.enqueue({ kind: 'text', text: 'Answered by the router.' });
    const input = chat.locator('[data-testid="composer-input"]');
    await input.fill('hello router');
    await input.press('Enter');
    await chat.locator('[data-testid="assistant-text"]', { hasText: 'Answered by the router.' }).waitFor({ timeout: 30000 });
    const req = fake.requests.filter((r) => r.stream).at(-1);
    assert.equal(req.model, LISTED);
    assert.equal(req.headers.authorization, `Bearer ${h.fakeKey}`);

    // Delete it (VS Code's own confirmation): its model goes, the environment's model is the default again.
    await row.locator('[data-testid="provider-delete"]').click();
    const confirm = page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Delete$/ });
    await confirm.waitFor({ timeout: 15000 });
    await confirm.click();
    await row.waitFor({ state: 'detached', timeout: 15000 });
    await manage.locator('[data-testid="model-row"][data-model="fake-model"] [data-testid="model-default-mark"]').waitFor({ timeout: 15000 });
  } finally {
    fake.models.splice(0, fake.models.length, ...models);
  }
};
module.exports.timeout = 240000;
