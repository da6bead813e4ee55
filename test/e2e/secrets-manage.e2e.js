// Manage Secrets: a secret added from the panel with its value typed into VS Code's password box (never the
// view), listed with where it is enabled; a second one wanting the same variable is refused at that field;
// the value changed from Edit; the Audit tab lists create and update with their fields, never a value.
'use strict';
const assert = require('node:assert/strict');

const VALUE = 'ghp_e2e-secret-value-1234';
const NEW_VALUE = 'ghp_e2e-secret-value-5678';

module.exports = async function secretsManage(h) {
  const { page } = h;
  const box = page.locator('.quick-input-widget input');
  async function typeValue(value) {
    await box.waitFor({ state: 'visible', timeout: 15000 });
    assert.equal(await box.getAttribute('type'), 'password');
    await box.fill(value);
    await box.press('Enter');
    // The next command palette must not find this box still closing.
    await box.waitFor({ state: 'hidden', timeout: 15000 });
  }

  await h.runCommand('Local Agents: Manage Secrets');
  const manage = await h.webview('[data-testid="secrets-tab"]', { timeout: 60000 });
  await manage.locator('[data-testid="add-secret"]').click();
  let form = manage.locator('[data-testid="secret-form"]');
  await form.locator('[data-testid="secret-name"]').fill('GitHub token');
  await form.locator('[data-testid="secret-env-var"]').fill('GITHUB_TOKEN');
  await form.locator('[data-testid="secret-scope-all"]').check();
  await form.locator('[data-testid="secret-save"]').click();
  await typeValue(VALUE);
  const row = manage.locator('[data-testid="secret-row"][data-name="GitHub token"]');
  await row.waitFor({ timeout: 15000 });
  assert.equal(await row.locator('[data-testid="secret-where"]').innerText(), 'all workspaces');

  // The same variable for another secret: refused next to the variable field; the panel stays as it was.
  await manage.locator('[data-testid="add-secret"]').click();
  form = manage.locator('[data-testid="secret-form"]');
  await form.locator('[data-testid="secret-name"]').fill('Other token');
  await form.locator('[data-testid="secret-env-var"]').fill('GITHUB_TOKEN');
  await form.locator('[data-testid="secret-scope-workspace"]').check();
  await form.locator('[data-testid="secret-save"]').click();
  await typeValue('other-value');
  await form.locator('[data-testid="field-error"][data-field="env_var"]').waitFor({ timeout: 15000 });
  assert.equal(await manage.locator('[data-testid="secret-row"]').count(), 1);
  await form.locator('button', { hasText: 'Cancel' }).click();

  // A new value from Edit.
  await row.locator('[data-testid="secret-edit"]').click();
  form = manage.locator('[data-testid="secret-form"]');
  await form.locator('[data-testid="secret-change-value"]').check();
  await form.locator('[data-testid="secret-save"]').click();
  await typeValue(NEW_VALUE);
  await form.waitFor({ state: 'detached', timeout: 15000 });
  const html = await manage.locator('body').innerHTML();
  assert.ok(!html.includes(VALUE) && !html.includes(NEW_VALUE), 'no value reaches the view');
  await h.screenshot('secrets');

  await h.runCommand('Local Agents: Show Secrets Audit');
  const audit = await h.webview('[data-testid="audit-tab"]', { timeout: 30000 });
  const rows = audit.locator('[data-testid="audit-row"]');
  await rows.nth(1).waitFor({ timeout: 15000 });
  assert.equal(await rows.count(), 2, 'the refused create left no row');
  const texts = await rows.allInnerTexts();
  assert.match(texts[0], /update\s+GitHub token\s+value/);
  assert.match(texts[1], /create\s+GitHub token\s+name, env_var, workspaces, value/);
  const auditHtml = await audit.locator('body').innerHTML();
  assert.ok(!auditHtml.includes(VALUE) && !auditHtml.includes(NEW_VALUE), 'no value in the audit');
  await h.screenshot('audit');
};
module.exports.timeout = 180000;
