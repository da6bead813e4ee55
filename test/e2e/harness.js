// Drives the VS Code workbench served by code-server from Debian's chromium (playwright-core) and
// hands each UI test a small set of helpers. CommonJS on purpose: it runs on the system Node
// without a build step.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function escapeRegExp(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }
function exactText(s) { return new RegExp(`^\\s*${escapeRegExp(s)}\\s*$`, 'i'); }
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A logger that prefixes seconds since start and the test's name. */
function makeLog(prefix) {
  const t0 = Date.now();
  return (...args) => console.log(`${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s [${prefix}]`, ...args);
}

/**
 * Launches chromium with a fresh profile and opens the workbench on `workspaceDir`.
 * `payload` (pairs, as VS Code's workbench URL expects) is used for extension-host tests.
 * `beforeGoto(page)` runs before navigation (e.g. to expose codeAutomationExit).
 */
async function launchWorkbench({ codeServer, workspaceDir, profileDir, payload, log, beforeGoto, waitForWorkbench = true }) {
  fs.rmSync(profileDir, { recursive: true, force: true });
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1366, height: 768 },
  });
  const page = context.pages()[0] || await context.newPage();
  page.on('pageerror', (e) => log('[pageerror]', e.message.split('\n')[0].slice(0, 300)));
  if (beforeGoto) await beforeGoto(page);
  let url = `${codeServer.url}/?folder=${encodeURIComponent(workspaceDir)}`;
  if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  await page.goto(url);
  if (waitForWorkbench) {
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await page.locator('.statusbar').waitFor({ timeout: 60000 });
  }
  return { context, page };
}

/** The helper object every `test/e2e/*.e2e.js` receives. */
function createHelpers({ page, fake, workspaceDir, outDir, testName, log, userSettingsFile, fakeUrl, fakeKey, github }) {
  async function screenshot(name) {
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `${testName}-${name}.png`);
    await page.screenshot({ path: file });
    log('screenshot', path.relative(process.cwd(), file));
    return file;
  }

  /**
   * Runs a command from the palette by its full title ("Local Agents: New Chat"). The palette
   * snapshots the command list when it opens and extension commands arrive a few seconds after
   * the workbench renders, so it reopens until the command is listed.
   */
  async function runCommand(title, { attempts = 20 } = {}) {
    const input = page.locator('.quick-input-widget input');
    const row = page.locator('.quick-input-list .monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: exactText(title) }) }).first();
    for (let attempt = 1; ; attempt++) {
      if (!(await input.isVisible())) {
        // A focused webview swallows F1: give the focus back to the workbench first.
        await page.locator('.statusbar').click({ position: { x: 2, y: 2 } }).catch(() => {});
        await page.keyboard.press('F1');
      }
      try {
        // The palette can close under the fill when something else takes the focus (seen in CI on a first
        // run: the input went inert, then hidden, while the workbench opened an editor): open it again.
        await input.waitFor({ state: 'visible', timeout: 10000 });
        await input.fill('>' + title, { timeout: 5000 });
        await row.waitFor({ timeout: 2000 });
        break;
      } catch {
        if (attempt >= attempts) throw new Error(`command "${title}" never appeared in the palette`);
        await page.keyboard.press('Escape');
        await sleep(1000);
      }
    }
    // The list can still be settling (seen: "element is inert" under load); the matched row is the
    // focused one, so Enter runs it as well.
    await row.click({ timeout: 5000 }).catch(async () => {
      await input.focus();
      await page.keyboard.press('Enter');
    });
    await input.waitFor({ state: 'hidden', timeout: 10000 }).catch(() => { /* a command may open its own quick input */ });
  }

  /**
   * The chat webview's inner document as a FrameLocator. Webviews are two iframes deep
   * (iframe.webview.ready > iframe#active-frame). With several webviews, the first visible one
   * whose inner document contains `selectorHint` is chosen (any visible one without a hint).
   */
  async function webview(selectorHint, { timeout = 30000 } = {}) {
    const outers = page.locator('iframe.webview.ready');
    const deadline = Date.now() + timeout;
    for (;;) {
      const n = await outers.count();
      for (let i = 0; i < n; i++) {
        const outer = outers.nth(i);
        if (!(await outer.isVisible().catch(() => false))) continue;
        // Pin the frame by its unique name so later DOM changes don't shift the index.
        const name = await outer.getAttribute('name').catch(() => null);
        const base = name ? page.frameLocator(`iframe.webview.ready[name="${name}"]`) : page.frameLocator('iframe.webview.ready').nth(i);
        const inner = base.frameLocator('iframe#active-frame');
        const probe = inner.locator(selectorHint || 'body');
        if (await probe.count().catch(() => 0) > 0) return inner;
      }
      if (Date.now() > deadline) {
        throw new Error(`no visible webview${selectorHint ? ` containing ${selectorHint}` : ''} within ${timeout} ms (${n} webview iframes)`);
      }
      await sleep(250);
    }
  }

  const center = page.locator('.notifications-center');
  const messages = center.locator('.notification-list-item-message');

  /**
   * Texts of the notifications in the notification center. Toasts are hidden under the
   * smoke-test driver, so this opens the center, reads it, and closes it again.
   */
  async function notifications() {
    // The palette can drop a command while the workbench settles (seen in CI): ask again a few times.
    for (let attempt = 1; !(await center.isVisible()); attempt++) {
      await runCommand('Notifications: Show Notifications');
      const shown = await center.waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false);
      if (!shown && attempt >= 3) throw new Error('the notification center did not open after 3 tries');
    }
    await sleep(200);
    const texts = (await messages.allTextContents()).map((t) => t.trim());
    await runCommand('Notifications: Hide Notifications');
    return texts;
  }

  /** Waits until a notification whose text matches appears; returns its text. */
  async function waitForNotification(match, { timeout = 30000 } = {}) {
    const re = typeof match === 'string' ? new RegExp(escapeRegExp(match), 'i') : match;
    const deadline = Date.now() + timeout;
    for (;;) {
      const found = (await notifications()).find((t) => re.test(t));
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`no notification matching ${re} within ${timeout} ms`);
      await sleep(1000);
    }
  }

  /** The activity-bar entry of a view container, by its title ("Local Agents"). */
  function activityBarItem(title) {
    return page.locator('.activitybar .action-item')
      .filter({ has: page.locator(`.action-label[aria-label^="${title.replace(/"/g, '\\"')}"]`) }).first();
  }

  /** Opens a view container from the activity bar unless it is already showing. */
  async function openContainer(title) {
    const item = activityBarItem(title);
    await item.waitFor({ timeout: 30000 });
    if ((await item.getAttribute('class') || '').split(/\s+/).includes('checked')) return;
    await item.click();
  }

  /** The pane (view) with this title inside the side bar, e.g. "Pinned". */
  function view(viewTitle) {
    return page.locator('.pane').filter({ has: page.locator('.pane-header h3.title', { hasText: exactText(viewTitle) }) }).first();
  }

  /** Folds these side-bar views (those that are open), leaving their room to the others, e.g. the chat. */
  async function foldViews(viewTitles) {
    for (const title of viewTitles) {
      const header = view(title).locator('.pane-header');
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    }
  }

  /** Opens these side-bar views (the trees are folded by default, leaving the room to the chat). */
  async function unfoldViews(viewTitles) {
    for (const title of viewTitles) {
      const header = view(title).locator('.pane-header');
      await header.waitFor({ timeout: 30000 });
      if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    }
  }

  /** A row of the tree in view `viewTitle` whose label contains `label` (string or RegExp). */
  function treeItem(viewTitle, label) {
    const text = typeof label === 'string' ? label : label;
    return view(viewTitle).locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: text }) }).first();
  }

  /** The user's settings.json as VS Code last wrote it (the extension writes "Always allow" rules there). */
  function userSettings() {
    try { return JSON.parse(fs.readFileSync(userSettingsFile, 'utf8')); } catch { return {}; }
  }

  return {
    page, fake, fakeUrl, fakeKey, github, workspaceDir, log, sleep,
    runCommand, webview, notifications, waitForNotification, screenshot,
    activityBarItem, openContainer, view, foldViews, unfoldViews, treeItem, userSettings,
  };
}

/** Rejects after `ms` with a message naming what took too long. */
function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms); }),
  ]);
}

/**
 * Runs one UI test file in a fresh browser: returns { ok, error }. A failing test leaves
 * `<name>-failure.png` in outDir.
 */
async function runUiTest({ file, codeServer, fake, workspaceDir, profileDir, outDir, userSettingsFile, fakeUrl, fakeKey, github, defaultTimeout = 180000 }) {
  const testName = path.basename(file).replace(/\.e2e\.js$/, '');
  const log = makeLog(testName);
  const testFn = require(file);
  if (typeof testFn !== 'function') return { ok: false, error: new Error(`${file} must export an async function(helpers)`) };
  const timeout = Number(testFn.timeout) || defaultTimeout;
  let session;
  try {
    session = await launchWorkbench({ codeServer, workspaceDir, profileDir, log });
    log('workbench loaded');
    const helpers = createHelpers({ page: session.page, fake, workspaceDir, outDir, testName, log, userSettingsFile, fakeUrl, fakeKey, github });
    await withTimeout(Promise.resolve().then(() => testFn(helpers)), timeout, `test ${testName}`);
    return { ok: true };
  } catch (error) {
    if (session) {
      fs.mkdirSync(outDir, { recursive: true });
      const shot = path.join(outDir, `${testName}-failure.png`);
      await session.page.screenshot({ path: shot }).then(() => log('failure screenshot', shot), () => {});
    }
    return { ok: false, error };
  } finally {
    if (session) await session.context.close().catch(() => {});
  }
}

/**
 * Runs the extension-host Mocha suite inside the workbench through the smoke-test driver:
 * the payload makes VS Code load `extensionDevelopmentPath` and run `extensionTestsPath`, then
 * call window.codeAutomationExit(code). Resolves to the exit code.
 */
async function runExtensionHostSuite({ codeServer, extensionDevelopmentPath, extensionTestsPath, workspaceDir, profileDir, outDir, timeout = 180000 }) {
  const log = makeLog('extension-host');
  let resolveExit;
  const exited = new Promise((r) => { resolveExit = r; });
  const remote = (p) => `vscode-remote://${codeServer.authority}${p}`;
  const payload = [['extensionDevelopmentPath', remote(extensionDevelopmentPath)], ['extensionTestsPath', remote(extensionTestsPath)]];
  const session = await launchWorkbench({
    codeServer, workspaceDir, profileDir, payload, log, waitForWorkbench: false,
    beforeGoto: async (page) => {
      await page.exposeFunction('codeAutomationExit', (code) => { resolveExit(code); });
      // The suite's reporter prints '[mocha] ' lines to the extension host's console, which the
      // workbench mirrors into the page console (see test/extension-host/index.ts).
      page.on('console', (m) => {
        const text = m.text();
        if (process.env.E2E_DEBUG_CONSOLE) log('[console]', m.type(), text.slice(0, 300));
        const at = text.indexOf('[mocha] ');
        if (at >= 0) console.log('    ' + text.slice(at + 8));
      });
    },
  });
  try {
    const code = await withTimeout(exited, timeout, 'extension-host suite').catch((e) => { log(e.message); return 'timeout'; });
    log('codeAutomationExit', code);
    fs.mkdirSync(outDir, { recursive: true });
    await session.page.screenshot({ path: path.join(outDir, 'extension-host.png') }).catch(() => {});
    return code;
  } finally {
    await session.context.close().catch(() => {});
  }
}

module.exports = { launchWorkbench, createHelpers, runUiTest, runExtensionHostSuite, makeLog, withTimeout };
