// A computer-use agent from the panel: the spawn call shows the child like other subagents plus a live view
// of its newest screenshot (a real 1024×640 PNG from the server's browser, the click marked where it landed,
// action, URL and page problems as a caption), a Stop button that interrupts the child, and transcripts where
// each `computer` call is an action line and a thumbnail, never base64 as text. The page the agent drives is
// served here on 127.0.0.1 (loopback needs no approval).
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

// The button covers screenshot pixels (80..320, 80..176): the screenshot is 0.8 of the 1280×800 viewport.
const PAGE = `<!DOCTYPE html><html><head><title>Signup form</title></head><body style="margin:0;font:28px sans-serif">
<form id="f" onsubmit="return false"><input name="email" placeholder="email" style="position:absolute;left:100px;top:30px;width:300px;font:inherit">
<button id="go" type="button" style="position:absolute;left:100px;top:100px;width:300px;height:120px;font:36px sans-serif">Sign up</button></form>
<h1 id="msg" style="position:absolute;left:100px;top:240px;margin:0;font-size:64px">Not clicked</h1>
<script>
document.getElementById('go').addEventListener('click', () => {
  document.getElementById('msg').textContent = 'Clicked!';
  console.error('signup failed on purpose');
  fetch('/clicked', { method: 'POST' });
});
</script></body></html>`;

function servePage() {
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (req.url === '/clicked') { res.writeHead(204); res.end(); return; }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(PAGE);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, seen, url: `http://127.0.0.1:${server.address().port}/form` })));
}

const toolNames = (req) => (req.tools ?? []).map((t) => t?.function?.name ?? t?.name);

module.exports = async function computerUse(h) {
  const { fake, page } = h;
  const site = await servePage();
  try {
    let parentStep = 0;
    let childStep = 0;
    fake.setHandler((req) => {
      if (!req.stream) return { kind: 'title', title: 'Check the signup form' };
      if (toolNames(req).includes('computer')) {
        childStep++;
        if (childStep === 1) return { kind: 'tools', calls: [{ name: 'computer', args: JSON.stringify({ action: 'navigate', url: site.url }) }] };
        if (childStep === 2) return { kind: 'tools', calls: [{ name: 'computer', args: JSON.stringify({ action: 'click', x: 200, y: 128 }) }] };
        // Still thinking when Stop is pressed: the answer never comes.
        return { kind: 'hang' };
      }
      parentStep++;
      if (parentStep === 1) return { kind: 'tools', calls: [{ name: 'spawn_computer_use_agent', args: JSON.stringify({ prompt: 'Open the signup form and press Sign up.', title: 'Form checker' }) }] };
      return { kind: 'text', text: 'The form checker was stopped after pressing Sign up.' };
    });
    await h.openContainer('Local Agents');
    await h.foldViews(['Pinned', 'Unread', 'Chats', 'MCP Servers']);
    await h.runCommand('Local Agents: New Chat');
    const chat = await h.webview('[data-testid="composer-input"]', { timeout: 60000 });
    const input = chat.locator('[data-testid="composer-input"]');
    await input.fill('Check that the signup button works');
    await input.press('Enter');

    const sub = chat.locator('[data-testid="tool-call"][data-tool="spawn_computer_use_agent"] [data-testid="subagent"]');
    await sub.locator('.subagent-title', { hasText: 'Form checker' }).waitFor({ timeout: 30000 });
    const live = sub.locator('[data-testid="computer-live"]');
    await live.waitFor({ timeout: 30000 });

    // The click's frame: the marker shows, and the page really got the click.
    const marker = live.locator('[data-testid="computer-marker"]');
    await marker.waitFor({ timeout: 60000 });
    assert.equal(await marker.getAttribute('data-x'), '200');
    assert.equal(await marker.getAttribute('data-y'), '128');
    for (let i = 0; i < 50 && !site.seen.includes('POST /clicked'); i++) await h.sleep(100);
    assert.ok(site.seen.includes('POST /clicked'), `the page saw the click: ${site.seen.join(', ')}`);

    const img = live.locator('[data-testid="computer-image"]');
    const src = await img.getAttribute('src');
    assert.match(src, /^data:image\/png;base64,/);
    const png = Buffer.from(src.slice(src.indexOf(',') + 1), 'base64');
    assert.equal(png.toString('latin1', 1, 4), 'PNG');
    assert.deepEqual({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) }, { width: 1024, height: 640 });

    // The marker's centre sits on (200, 128) of the image as displayed, whatever its size.
    const ib = await img.boundingBox();
    const mb = await marker.boundingBox();
    assert.ok(ib && mb);
    const cx = ((mb.x + mb.width / 2 - ib.x) / ib.width) * 1024;
    const cy = ((mb.y + mb.height / 2 - ib.y) / ib.height) * 640;
    assert.ok(Math.abs(cx - 200) < 6 && Math.abs(cy - 128) < 6, `marker at (${cx.toFixed(1)}, ${cy.toFixed(1)}) of the screenshot`);

    const caption = live.locator('[data-testid="computer-caption"]');
    assert.match(await caption.innerText(), /click/);
    assert.match(await caption.innerText(), new RegExp(site.url.replace(/[.?]/g, '\\$&')));
    assert.ok(Number(await live.locator('[data-testid="console-errors"]').getAttribute('data-count')) >= 1, 'the console error is counted');

    const stop = live.locator('[data-testid="computer-stop"]');
    await stop.waitFor({ timeout: 10000 });
    assert.equal(await sub.locator('[data-testid="subagent-status"]').innerText(), 'running');

    // The live view fits the side bar, and the composer stays in view under it.
    const frames = page.locator('iframe.webview.ready');
    let frameBox = null;
    for (let i = 0; i < await frames.count(); i++) {
      const b = await frames.nth(i).boundingBox();
      if (b && b.height > 0 && b.x < 683) frameBox = b;
    }
    assert.ok(frameBox, 'the chat webview is visible');
    const inView = (r, o) => r.x >= o.x - 0.5 && r.y >= o.y - 0.5 && r.x + r.width <= o.x + o.width + 0.5 && r.y + r.height <= o.y + o.height + 0.5;
    await sub.scrollIntoViewIfNeeded();
    const ib2 = await img.boundingBox();
    assert.ok(ib2.width <= frameBox.width, `the screenshot (${ib2.width} px) fits the view (${frameBox.width} px)`);
    assert.ok(ib2.height <= frameBox.height * 0.3 + 1, `the screenshot (${ib2.height} px) keeps to 30% of the view (${frameBox.height} px)`);
    const composer = await input.boundingBox();
    assert.ok(composer && inView(composer, frameBox), `the composer is in view: ${JSON.stringify(composer)} in ${JSON.stringify(frameBox)}`);
    await live.scrollIntoViewIfNeeded();
    const shot = await h.screenshot('live');
    fs.copyFileSync(shot, path.join(__dirname, '..', '..', 'docs', 'computer-use.png'));

    // The transcript: each computer call is an action line and a thumbnail; no base64 anywhere as text.
    await sub.locator('[data-testid="subagent-toggle"]').click();
    const transcript = sub.locator('[data-testid="subagent-transcript"]');
    const calls = transcript.locator('[data-testid="tool-call"][data-tool="computer"]');
    await calls.nth(1).locator('[data-testid="computer-image"]').waitFor({ timeout: 30000 });
    assert.match(await calls.nth(0).locator('[data-testid="computer-action"]').innerText(), /^navigate http:\/\/127\.0\.0\.1:\d+\/form$/);
    assert.equal(await calls.nth(1).locator('[data-testid="computer-action"]').innerText(), 'click (200, 128)');
    assert.equal(await calls.nth(1).locator('[data-testid="computer-marker"]').count(), 1);
    await calls.nth(1).scrollIntoViewIfNeeded();
    await h.screenshot('transcript');
    const text = await chat.locator('body').innerText();
    assert.ok(!text.includes('iVBORw0KGgo'), 'no PNG base64 shown as text');
    assert.ok(text.length < 20000, `the view's text stays small (${text.length} characters)`);

    // Stop interrupts the child, not the parent, which goes on with the child's outcome.
    await stop.click();
    const status = sub.locator('[data-testid="subagent-status"]');
    for (let i = 0; i < 300 && (await status.innerText()) === 'running'; i++) await h.sleep(100);
    assert.notEqual(await status.innerText(), 'running', 'the child stopped');
    await live.locator('[data-testid="computer-stop"]').waitFor({ state: 'detached', timeout: 15000 });
    assert.equal(await live.locator('[data-testid="computer-image"]').count(), 1, 'the last frame stays after Stop');
    await chat.locator('[data-testid="assistant-text"]', { hasText: 'form checker was stopped' }).waitFor({ timeout: 60000 });
    await h.screenshot('stopped');
  } finally {
    site.server.close();
  }
};
module.exports.timeout = 240000;
