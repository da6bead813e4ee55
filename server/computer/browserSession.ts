// One computer-use subagent's browser: an installed Chromium-family browser driven by playwright-core, with
// its own throw-away profile, every request judged by the origin policy, and one step = one action plus a
// screenshot and what went wrong on the page since the previous step. playwright-core is loaded on the
// first session only: idle servers never pay for it.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, CDPSession, Page, Request, Route, WebSocketRoute } from 'playwright-core';
import type { PermissionPolicy } from '../permissions/rules';
import { findBrowser } from './browserDiscovery';
import { originOf, requestVerdict, tunnelVerdict } from './originPolicy';
import { commandEnv, defaultCommandEnvSettings } from '../tools/commandEnv';
import { EgressProxy, hostMapOf } from './egressProxy';
import { SCREENSHOT, SCREENSHOT_SCALE, toCssDelta, toCssPoint, VIEWPORT } from './screenshotScale';

export type ComputerAction =
  | { action: 'screenshot' }
  | { action: 'navigate'; url: string }
  | { action: 'click'; x: number; y: number; button?: 'left' | 'right' | 'middle' }
  | { action: 'double_click'; x: number; y: number }
  | { action: 'type'; text: string }
  | { action: 'key'; combo: string }
  | { action: 'scroll'; x: number; y: number; dx: number; dy: number }
  | { action: 'wait'; ms: number }
  | { action: 'back' };

export interface StepReport {
  action: ComputerAction['action'];
  url: string;
  title: string;
  width: number;
  height: number;
  /** Where the action acted, in screenshot pixels. */
  marker: { x: number; y: number } | null;
  console_errors: string[];
  failed_requests: string[];
  blocked_requests: string[];
  /** Downloads and file choosers that were refused, and other things the model should know. */
  notes: string[];
  /** Why the action failed, when it did. */
  error?: string;
  png: Buffer | null;
}

export interface SessionOptions {
  /** A Playwright channel or executable path; null: found automatically. */
  browser: string | null;
  headless: boolean;
  /** The chat's policy as it is now (rules may change while the session lives: "Always allow"). */
  policy: () => PermissionPolicy;
  /** Names the profile folder, so the process can be told apart (`ps`, tests). */
  label: string;
  /** The browser's environment: the command policy's, without secret-looking variables (default: this process's, filtered the same way). */
  env?: NodeJS.ProcessEnv;
}

const NAV_TIMEOUT_MS = 30_000;
/** How long after an action a navigation it caused may still start. */
const NAV_GRACE_MS = 60;
const MAX_LIST = 20;
const MAX_WAIT_MS = 10_000;

/** More browser flags from LOCAL_AGENTS_BROWSER_ARGS, a JSON array of strings (flags may hold spaces), e.g. `--host-resolver-rules=…` in tests. */
function extraArgs(): string[] {
  const raw = process.env.LOCAL_AGENTS_BROWSER_ARGS;
  if (!raw) return [];
  const parsed: unknown = JSON.parse(raw);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) throw new Error('LOCAL_AGENTS_BROWSER_ARGS must be a JSON array of strings.');
  return parsed;
}

const KEY_NAMES: Record<string, string> = {
  ctrl: 'Control', control: 'Control', cmd: 'Meta', command: 'Meta', meta: 'Meta', super: 'Meta', win: 'Meta', alt: 'Alt', option: 'Alt',
  shift: 'Shift', enter: 'Enter', return: 'Enter', esc: 'Escape', escape: 'Escape', tab: 'Tab', backspace: 'Backspace', delete: 'Delete',
  space: 'Space', up: 'ArrowUp', down: 'ArrowDown', left: 'ArrowLeft', right: 'ArrowRight', pageup: 'PageUp', pagedown: 'PageDown', home: 'Home', end: 'End',
};

/** `ctrl+a`, `Control+A`, `cmd+shift+t` → Playwright's `Control+a` form. */
export function normalizeKeyCombo(combo: string): string {
  return combo.split('+').map((k) => k.trim()).filter(Boolean)
    .map((k) => KEY_NAMES[k.toLowerCase()] ?? (/^f\d{1,2}$/i.test(k) ? k.toUpperCase() : k.length === 1 ? k : k[0].toUpperCase() + k.slice(1)))
    .join('+');
}

/** Bounds the URL bookkeeping of a long session. */
const MAX_REMEMBERED = 2000;

const pushCapped = (list: string[], s: string) => { if (list.length < MAX_LIST) list.push(s.length > 300 ? `${s.slice(0, 300)}…` : s); };

export class BrowserSession {
  private page!: Page;
  private cdp: CDPSession | null = null;
  private readonly approvedOrigins = new Set<string>();
  private consoleErrors: string[] = [];
  private failedRequests: string[] = [];
  private blockedRequests: string[] = [];
  private notes: string[] = [];
  private readonly blockedUrls = new Set<string>();
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();

  private context!: BrowserContext;
  private proxy: EgressProxy | null = null;
  /** URLs and origins the page asked for, and what the proxy refused before the page was known to ask. */
  private readonly pageTargets = new Set<string>();
  private readonly proxyBlocked = new Map<string, string>();

  private constructor(readonly profileDir: string, private readonly opts: SessionOptions) {}

  static async open(opts: SessionOptions): Promise<BrowserSession> {
    const choice = findBrowser(opts.browser);
    const { chromium } = await import('playwright-core');
    const profileDir = mkdtempSync(path.join(os.tmpdir(), `la-computer-${opts.label.replace(/[^A-Za-z0-9-]/g, '').slice(0, 40)}-`));
    const session = new BrowserSession(profileDir, opts);
    const browserArgs = extraArgs();
    // Loopback included (<-loopback>): a redirect or a script anywhere cannot reach an origin the policy refuses.
    const proxy = new EgressProxy({
      request: (url) => requestVerdict(url, opts.policy(), session.approvedOrigins),
      tunnel: (host, port) => tunnelVerdict(host, port, opts.policy(), session.approvedOrigins),
      blocked: (target, what, why) => session.blockedByProxy(target, what, why),
    }, hostMapOf(browserArgs));
    session.proxy = proxy;
    const proxyUrl = await proxy.listen();
    let context: BrowserContext;
    try {
      context = await chromium.launchPersistentContext(profileDir, {
        ...choice,
        headless: opts.headless,
        // Like a command's: no API keys or tokens from the server's environment in the browser's.
        env: opts.env ?? commandEnv(defaultCommandEnvSettings()),
        viewport: VIEWPORT,
        deviceScaleFactor: 1,
        // Files never leave or enter the machine through the page.
        acceptDownloads: false,
        // Service workers would fetch outside the routes below.
        serviceWorkers: 'block',
        args: [
          '--no-first-run', '--no-default-browser-check', '--disable-sync', '--disable-background-networking', '--disable-component-update',
          `--proxy-server=${proxyUrl}`, '--proxy-bypass-list=<-loopback>', ...browserArgs,
        ],
        timeout: 60_000,
      });
    } catch (err) {
      proxy.close();
      rmSync(profileDir, { recursive: true, force: true });
      throw new Error(`The browser for computer use did not start (${'executablePath' in choice ? choice.executablePath : `channel ${choice.channel}`}): ${(err as Error).message.split('\n')[0]}`);
    }
    session.context = context;
    await session.wire();
    return session;
  }

  /**
   * A request the proxy refused: a redirect's or anything else the routes never saw. It is the page's to report
   * once the page is known to have asked for it (its request event, by URL or origin); the browser's own
   * background traffic (update checks, sign-in probes) is refused as well but says nothing to the model.
   */
  private blockedByProxy(target: string, what: string, why: string): void {
    const text = `${what} (${why})`;
    if (this.pageTargets.has(target)) {
      this.reportBlocked(target, text);
      return;
    }
    if (this.proxyBlocked.size >= MAX_REMEMBERED) this.proxyBlocked.clear();
    this.proxyBlocked.set(target, text);
  }

  private notePageRequest(url: string): void {
    const origin = originOf(url);
    for (const key of origin ? [url, origin] : [url]) {
      if (this.pageTargets.size >= MAX_REMEMBERED) this.pageTargets.clear();
      this.pageTargets.add(key);
      const text = this.proxyBlocked.get(key);
      if (text !== undefined) {
        this.proxyBlocked.delete(key);
        this.reportBlocked(key, text);
      }
    }
  }

  private reportBlocked(key: string, text: string): void {
    if (this.blockedUrls.has(key)) return;
    this.blockedUrls.add(key);
    pushCapped(this.blockedRequests, text);
  }

  private async wire(): Promise<void> {
    await this.context.route('**/*', (route) => this.judge(route));
    await this.context.routeWebSocket(/.*/, (ws) => this.judgeSocket(ws));
    this.context.on('request', (r) => this.notePageRequest(r.url()));
    this.context.on('page', (p) => { this.adopt(p); this.notes.push(`A new tab opened (${p.url() || 'about:blank'}); actions now go to it.`); });
    const first = this.context.pages()[0] ?? await this.context.newPage();
    this.adopt(first);
  }

  /** The newest tab is the one the model sees and acts on. */
  private adopt(page: Page): void {
    this.page = page;
    this.cdp = null;
    page.on('console', (m) => { if (m.type() === 'error') pushCapped(this.consoleErrors, m.text()); });
    page.on('pageerror', (e) => pushCapped(this.consoleErrors, `Uncaught ${e.name}: ${e.message}`));
    page.on('requestfailed', (r) => { if (!this.blockedUrls.has(r.url())) pushCapped(this.failedRequests, `${r.method()} ${r.url()}: ${r.failure()?.errorText ?? 'failed'}`); });
    page.on('response', (r) => { if (r.status() >= 400 && !this.blockedUrls.has(r.url()) && !this.proxyBlocked.has(r.url())) pushCapped(this.failedRequests, `${r.request().method()} ${r.url()}: HTTP ${r.status()}`); });
    page.on('download', (d) => { this.notes.push(`A download (${d.suggestedFilename()}) was refused: computer use never saves files.`); void d.cancel().catch(() => {}); });
    // Listening makes Playwright take the chooser instead of a native dialog; no file is ever set on it.
    page.on('filechooser', () => { this.notes.push('The page opened a file chooser; uploads are refused in computer use, so no file was chosen.'); });
    page.on('dialog', (d) => { this.notes.push(`A ${d.type()} dialog said "${d.message()}"; it was dismissed.`); void d.dismiss().catch(() => {}); });
  }

  private judge(route: Route): Promise<void> {
    const url = route.request().url();
    const verdict = requestVerdict(url, this.opts.policy(), this.approvedOrigins);
    if (verdict.allowed) return route.fallback();
    this.blockedUrls.add(url);
    pushCapped(this.blockedRequests, `${route.request().method()} ${url} (${verdict.why})`);
    return route.abort('blockedbyclient');
  }

  private judgeSocket(ws: WebSocketRoute): void {
    const verdict = requestVerdict(ws.url(), this.opts.policy(), this.approvedOrigins);
    if (verdict.allowed) { ws.connectToServer(); return; }
    pushCapped(this.blockedRequests, `WebSocket ${ws.url()} (${verdict.why})`);
    void ws.close({ code: 1008, reason: 'blocked by Local Agents' }).catch(() => {});
  }

  /** Runs one action and reports. Steps of one session never overlap (parallel calls queue). */
  step(action: ComputerAction, signal?: AbortSignal): Promise<StepReport> {
    const next = this.queue.then(() => this.runStep(action, signal));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runStep(action: ComputerAction, signal?: AbortSignal): Promise<StepReport> {
    if (this.closed) throw new Error('The browser of this computer-use session was closed.');
    let marker: StepReport['marker'] = null;
    let error: string | undefined;
    try {
      if (signal?.aborted) throw new Error('interrupted');
      marker = await this.act(action);
    } catch (err) {
      error = (err as Error).message.split('\n')[0];
    }
    return this.report(action.action, marker, error);
  }

  private async act(a: ComputerAction): Promise<StepReport['marker']> {
    const page = this.page;
    switch (a.action) {
      case 'screenshot':
        return null;
      case 'navigate': {
        // The gate let this navigate run (loopback, a rule, or the user): its origin may load its own resources.
        const origin = originOf(a.url);
        if (origin) this.approvedOrigins.add(origin);
        try {
          await page.goto(a.url, { waitUntil: 'load', timeout: NAV_TIMEOUT_MS });
        } catch (err) {
          // A URL that answers with an attachment aborts the navigation as a download, which the download
          // listener refuses and notes; the tab stays on its page, so this navigate did what it could.
          if (!/Download is starting/.test((err as Error).message)) throw err;
        }
        return null;
      }
      case 'back':
        await page.goBack({ waitUntil: 'load', timeout: NAV_TIMEOUT_MS });
        return null;
      case 'wait':
        await page.waitForTimeout(Math.min(Math.max(a.ms, 0), MAX_WAIT_MS));
        return null;
      case 'click':
      case 'double_click': {
        const p = toCssPoint(a.x, a.y);
        await this.settleAfter(() => (a.action === 'click' ? page.mouse.click(p.x, p.y, { button: a.button ?? 'left' }) : page.mouse.dblclick(p.x, p.y)));
        return { x: a.x, y: a.y };
      }
      case 'type':
        await this.settleAfter(() => page.keyboard.type(a.text));
        return null;
      case 'key':
        await this.settleAfter(() => page.keyboard.press(normalizeKeyCombo(a.combo)));
        return null;
      case 'scroll': {
        const p = toCssPoint(a.x, a.y);
        await page.mouse.move(p.x, p.y);
        await this.settleAfter(() => page.mouse.wheel(toCssDelta(a.dx), toCssDelta(a.dy)));
        return { x: a.x, y: a.y };
      }
    }
  }

  /** Runs an input action; when it starts a navigation of the tab (a form submit, a link), waits for the new page to load. */
  private async settleAfter(input: () => Promise<void>): Promise<void> {
    const page = this.page;
    let navigation: Request | null = null;
    const onRequest = (r: Request) => { if (!navigation && r.isNavigationRequest() && r.frame() === page.mainFrame()) navigation = r; };
    page.on('request', onRequest);
    try {
      await input();
      await new Promise((r) => setTimeout(r, NAV_GRACE_MS));
    } finally {
      page.off('request', onRequest);
    }
    if (navigation) await page.waitForLoadState('load', { timeout: NAV_TIMEOUT_MS }).catch(() => {});
    await this.nextFrame();
  }

  /** Two animation frames: what the action changed has been painted. */
  private async nextFrame(): Promise<void> {
    try {
      await this.page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
    } catch {
      // A navigation replaced the document meanwhile: wait for the new one instead.
      await this.page.waitForLoadState('load', { timeout: NAV_TIMEOUT_MS }).catch(() => {});
    }
  }

  /** The visible viewport downscaled by the browser (CDP clip.scale), so the PNG is always SCREENSHOT sized. */
  async screenshot(): Promise<Buffer> {
    this.cdp ??= await this.context.newCDPSession(this.page);
    const metrics = await this.cdp.send('Page.getLayoutMetrics');
    const vv = metrics.cssVisualViewport;
    const shot = await this.cdp.send('Page.captureScreenshot', {
      format: 'png', captureBeyondViewport: false,
      clip: { x: vv.pageX, y: vv.pageY, width: VIEWPORT.width, height: VIEWPORT.height, scale: SCREENSHOT_SCALE },
    });
    return Buffer.from(shot.data, 'base64');
  }

  private async report(action: ComputerAction['action'], marker: StepReport['marker'], error: string | undefined): Promise<StepReport> {
    let png: Buffer | null = null;
    let title = '';
    try {
      png = await this.screenshot();
      title = await this.page.title();
    } catch (err) {
      error ??= `no screenshot: ${(err as Error).message.split('\n')[0]}`;
    }
    const out: StepReport = {
      action, url: this.page.url(), title, width: SCREENSHOT.width, height: SCREENSHOT.height, marker,
      console_errors: this.consoleErrors, failed_requests: this.failedRequests, blocked_requests: this.blockedRequests, notes: this.notes, png,
      ...(error ? { error } : {}),
    };
    this.consoleErrors = [];
    this.failedRequests = [];
    this.blockedRequests = [];
    this.notes = [];
    this.blockedUrls.clear();
    return out;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Ends the browser process and removes its profile. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.context.close();
    } catch {
      // Already gone (crashed or killed): the profile still goes.
    }
    this.proxy?.close();
    rmSync(this.profileDir, { recursive: true, force: true });
  }
}
