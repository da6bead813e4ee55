// Plan mode from the panel: the agent writes its plan file and proposes it; Approve leaves plan mode and
// the next model request implements it.
'use strict';
const assert = require('node:assert/strict');

module.exports = async function planFlow(h) {
  const { fake } = h;
  let step = 0;
  fake.setHandler((req) => {
    if (!req.stream) return { kind: 'title', title: 'Plan a greeting' };
    const system = String(req.messages?.[0]?.content ?? '');
    const planPath = /the plan file: (\S+?)\.\s/.exec(system)?.[1];
    step++;
    if (planPath && step === 1) return { kind: 'tools', calls: [{ name: 'write_file', args: JSON.stringify({ path: planPath, content: '# Plan\n\n1. Add a `greet()` test.\n2. Make it pass.\n' }) }] };
    if (planPath && step === 2) return { kind: 'tools', calls: [{ name: 'propose_plan', args: JSON.stringify({ path: planPath }) }] };
    return { kind: 'text', text: 'Implementing the approved plan now.' };
  });
  await h.openContainer('Local Agents');
  const chat = await h.webview('[data-testid="composer-input"]', { timeout: 60000 });
  await chat.locator('[data-testid="mode-toggle"]').click();
  await chat.locator('[data-testid="mode-toggle"]', { hasText: 'Plan' }).waitFor();
  const input = chat.locator('[data-testid="composer-input"]');
  await input.fill('Plan a test for greet()');
  await input.press('Enter');
  const card = chat.locator('[data-testid="plan-card"]');
  await card.waitFor({ timeout: 30000 });
  assert.match(await card.innerText(), /Add a greet\(\) test/);
  await h.screenshot('plan-card');
  await chat.locator('[data-testid="plan-approve"]').click();
  await chat.locator('[data-testid="assistant-text"]', { hasText: 'Implementing the approved plan now.' }).waitFor({ timeout: 30000 });
  const last = fake.requests.filter((r) => r.stream).at(-1);
  assert.doesNotMatch(String(last.messages[0].content), /PLAN MODE/, 'the approved turn is not in plan mode');
  assert.ok((last.tools ?? []).some((t) => t.function.name === 'write_file'));
  assert.equal(await chat.locator('[data-testid="plan-card"]').count(), 0, 'the plan card goes once approved');
};
module.exports.timeout = 180000;
