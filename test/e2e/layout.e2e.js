// The chat gets the room it needs at 1366×768 with the default layout (the trees folded): the webview is at
// least half the window's height, and the composer, the model picker and the send button stay fully in
// view with a long transcript, with a queued message, and with a plan card.
'use strict';
const assert = require('node:assert/strict');

const LONG = (n) => `## Answer ${n}\n\n` + Array.from({ length: 30 }, (_, i) => `- point ${i + 1} of answer ${n}: the transcript grows long enough to scroll`).join('\n');

async function send(chat, text) {
  const input = chat.locator('[data-testid="composer-input"]');
  await input.click();
  await input.fill(text);
  await input.press('Enter');
}

module.exports = async function layout(h) {
  const { fake, page } = h;
  const vp = page.viewportSize();
  assert.deepEqual(vp, { width: 1366, height: 768 });
  await h.openContainer('Local Agents');
  await h.runCommand('Local Agents: New Chat');
  const chat = await h.webview('[data-testid="composer-input"]', { timeout: 60000 });

  const frameBox = async () => {
    const frames = page.locator('iframe.webview.ready');
    for (let i = 0; i < await frames.count(); i++) {
      const b = await frames.nth(i).boundingBox();
      if (b && b.height > 0 && b.x < vp.width / 2) return b;
    }
    throw new Error('no visible chat webview');
  };
  /** Fully inside the window and inside the webview (not scrolled or clipped away). */
  const assertInView = async (testid, what) => {
    const frame = await frameBox();
    const b = await chat.locator(`[data-testid="${testid}"]`).boundingBox();
    assert.ok(b, `${testid} is rendered (${what})`);
    const inside = (r, o) => r.x >= o.x - 0.5 && r.y >= o.y - 0.5 && r.x + r.width <= o.x + o.width + 0.5 && r.y + r.height <= o.y + o.height + 0.5;
    assert.ok(inside(b, { x: 0, y: 0, width: vp.width, height: vp.height }), `${testid} inside the window (${what}): ${JSON.stringify(b)}`);
    assert.ok(inside(b, frame), `${testid} inside the chat view (${what}): ${JSON.stringify(b)} vs ${JSON.stringify(frame)}`);
  };
  const composerInView = async (what) => {
    for (const id of ['composer-input', 'model-picker', 'send-button']) await assertInView(id, what);
  };

  const frame = await frameBox();
  assert.ok(frame.height >= vp.height / 2, `the chat view is ${Math.round(frame.height)} px high, at least half of ${vp.height}`);
  h.log(`chat view ${Math.round(frame.width)}×${Math.round(frame.height)} px`);

  // A long transcript.
  for (let n = 1; n <= 4; n++) {
    fake.enqueue({ kind: 'text', text: LONG(n) });
    await send(chat, `question ${n}`);
    await chat.locator('[data-testid="assistant-text"]', { hasText: `point 30 of answer ${n}` }).waitFor({ timeout: 30000 });
  }
  await chat.locator('[data-testid="chat-status"]', { hasText: 'waiting' }).waitFor({ timeout: 20000 });
  await composerInView('long transcript');
  await h.screenshot('long-transcript');

  // A message queued behind a slow answer.
  fake.enqueue(
    { kind: 'text', text: 'slow answer one two three four five six seven eight', chunks: 'slow answer one two three four five six seven eight'.split(' ').map((w) => w + ' '), delayMs: 500 },
    { kind: 'text', text: 'answer to the queued message' },
  );
  await send(chat, 'answer slowly');
  await chat.locator('[data-testid="chat-status"]', { hasText: /running|pending/ }).waitFor({ timeout: 20000 });
  await send(chat, 'queued while the agent works');
  await chat.locator('[data-testid="queued-item"]').first().waitFor({ timeout: 10000 });
  await composerInView('queued message');
  await assertInView('queued-item', 'queued message');
  await h.screenshot('queued');
  await chat.locator('[data-testid="assistant-text"]', { hasText: 'answer to the queued message' }).waitFor({ timeout: 30000 });

  // A plan card.
  let step = 0;
  fake.setHandler((req) => {
    if (!req.stream) return { kind: 'title', title: 'Layout' };
    const planPath = /the plan file: (\S+?)\.\s/.exec(String(req.messages?.[0]?.content ?? ''))?.[1];
    step++;
    if (planPath && step === 1) return { kind: 'tools', calls: [{ name: 'write_file', args: JSON.stringify({ path: planPath, content: '# Plan\n\n' + Array.from({ length: 25 }, (_, i) => `${i + 1}. Step ${i + 1} of the plan.`).join('\n') + '\n' }) }] };
    if (planPath && step === 2) return { kind: 'tools', calls: [{ name: 'propose_plan', args: JSON.stringify({ path: planPath }) }] };
    return { kind: 'text', text: 'ok' };
  });
  await chat.locator('[data-testid="mode-toggle"]').click();
  await send(chat, 'Plan the next feature');
  await chat.locator('[data-testid="plan-card"]').waitFor({ timeout: 30000 });
  await composerInView('plan card');
  await assertInView('plan-approve', 'plan card');
  await h.screenshot('plan-card');
  fake.setHandler(undefined);
};
module.exports.timeout = 240000;
