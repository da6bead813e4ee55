// A new user with no provider and no OPENAI_* variables: the chat shows the provider form. A wrong key and a
// wrong address are explained in words by Test; the key goes into a VS Code input box (never the webview);
// the models come from the provider; Save makes it the default and the first chat is answered.
'use strict';
const assert = require('node:assert/strict');

module.exports = async function firstRun(h) {
  const { fake, page } = h;
  await h.openContainer('Local Agents');
  await h.runCommand('Local Agents: New Chat');
  const chat = await h.webview('[data-testid="setup-card"]', { timeout: 60000 });
  const card = chat.locator('[data-testid="setup-card"]');
  await h.screenshot('setup-card');

  // Nothing listens on the preset's port: Test says so.
  await chat.locator('[data-testid="setup-preset"]').selectOption('ollama');
  assert.equal(await chat.locator('[data-testid="setup-base-url"]').inputValue(), 'http://localhost:11434/v1');
  await chat.locator('[data-testid="setup-model"]').fill('llama3.2');
  await chat.locator('[data-testid="setup-test"]').click();
  const result = chat.locator('[data-testid="setup-test-result"]');
  await result.waitFor({ timeout: 30000 });
  assert.match(await result.innerText(), /connection refused: nothing answers there/);

  // The fake provider, without its key: 401 in words.
  await chat.locator('[data-testid="setup-preset"]').selectOption('other');
  await chat.locator('[data-testid="setup-base-url"]').fill(h.fakeUrl);
  await chat.locator('[data-testid="setup-model"]').fill('fake-model');
  await chat.locator('[data-testid="setup-test"]').click();
  await result.waitFor({ timeout: 30000 });
  assert.match(await result.innerText(), /rejected the API key \(401\)/);

  // The key is typed into VS Code's own input box.
  await chat.locator('[data-testid="setup-key"]').click();
  const box = page.locator('.quick-input-widget input');
  await box.waitFor({ state: 'visible', timeout: 15000 });
  assert.equal(await box.getAttribute('type'), 'password');
  await box.fill(h.fakeKey);
  await box.press('Enter');
  await chat.locator('[data-testid="setup-key-state"]', { hasText: 'entered' }).waitFor({ timeout: 15000 });
  assert.ok(!(await card.innerHTML()).includes(h.fakeKey), 'the key never reaches the webview');

  // The provider's models to pick from, then a passing Test, then Save.
  await chat.locator('[data-testid="setup-fetch-models"]').click();
  const picker = chat.locator('select[data-testid="setup-model"]');
  await picker.waitFor({ timeout: 30000 });
  assert.deepEqual(await picker.locator('option').allInnerTexts(), ['fake-model', 'fake-model-large']);
  await picker.selectOption('fake-model');
  await chat.locator('[data-testid="setup-test"]').click();
  await chat.locator('[data-testid="setup-test-result"].ok').waitFor({ timeout: 30000 });
  await h.screenshot('setup-tested');
  await chat.locator('[data-testid="setup-save"]').click();
  await card.waitFor({ state: 'detached', timeout: 30000 });

  fake.enqueue({ kind: 'text', text: 'Hello, new user.' });
  const input = chat.locator('[data-testid="composer-input"]');
  await input.fill('hi');
  await input.press('Enter');
  await chat.locator('[data-testid="assistant-text"]', { hasText: 'Hello, new user.' }).waitFor({ timeout: 30000 });
  const req = fake.requests.filter((r) => r.stream).at(-1);
  assert.equal(req.model, 'fake-model');
  assert.equal(req.headers.authorization, `Bearer ${h.fakeKey}`);
};
module.exports.providerEnv = false;
module.exports.timeout = 180000;
