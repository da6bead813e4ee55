// Computer use through a real server process, the parts that need a decision or refuse: off-loopback navigates
// decided once / always / by a deny rule, an untrusted workspace, a provider that takes no images, and
// downloads. Chromium maps example.invalid to the local test server (LOCAL_AGENTS_BROWSER_ARGS), so whether a
// request left "the machine" is read from what that server saw.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import * as P from '../../server/protocol';
import type { Chat, ChatMessage, PendingAction, ToolResultPart } from '../../server/protocol';
import type { CapturedRequest, FakeReply } from '../fakes/fakeOpenAI';
import { setupEnv, text, type Env } from './helpers';

type Server = Awaited<ReturnType<Env['start']>>;
interface Seen { method: string; host: string; path: string }
/** What a download would write: searched for on disk afterwards. */
const MARKER = 'local-agents-download-marker-7f3a';

async function startTestSite(): Promise<{ url: string; port: number; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', host: req.headers.host ?? '', path: req.url ?? '' });
    const html = (s: string) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end(s); };
    if (req.url === '/away') return html('<!doctype html><title>Away page</title><h1>far away</h1>');
    if (req.url === '/') return html('<!doctype html><title>Home</title><h1>home</h1>');
    if (req.url === '/dl') {
      // The link covers CSS (100..400, 100..200): screenshot (80..320, 80..160).
      return html(`<!doctype html><title>Downloads</title><body style="margin:0">
        <a href="/report.txt" download="report.txt" style="position:absolute;left:100px;top:100px;width:300px;height:100px;display:block;background:#ccc">Get the report</a></body>`);
    }
    if (req.url === '/report.txt' || req.url === '/attach') {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-disposition': `attachment; filename="${req.url === '/attach' ? 'attached.txt' : 'report.txt'}"` });
      return res.end(`${MARKER}\n`);
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not here');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, port, seen, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

let env: Env;
let site: Awaited<ReturnType<typeof startTestSite>>;
beforeEach(async () => { env = await setupEnv(); site = await startTestSite(); });
afterEach(async () => { await env.cleanup(); await site.close(); });

const browserEnv = () => ({ LOCAL_AGENTS_BROWSER_ARGS: JSON.stringify(['--host-resolver-rules=MAP example.invalid 127.0.0.1']) });
const call = (name: string, args: unknown, extra: Partial<Extract<FakeReply, { kind: 'tools' }>> = {}): FakeReply => ({ kind: 'tools', calls: [{ name, args: JSON.stringify(args) }], ...extra });
const systemOf = (r: CapturedRequest) => String((r.messages?.[0] as { content?: string } | undefined)?.content ?? '');
const isChild = (r: CapturedRequest) => systemOf(r).includes('computer-use agent');
/** How many tool results the request carries: which step of its chat it is. */
const toolCount = (r: CapturedRequest) => (r.messages as Array<{ role: string }>).filter((m) => m.role === 'tool').length;
const toolNames = (r: CapturedRequest) => (r.tools ?? []).map((t) => (t as { function: { name: string } }).function.name);
const messages = async (s: Server, chatId: string) => (await s.request<unknown, P.MessagesPage>(P.GetMessages, { chat_id: chatId, limit: 200 })).messages;
const results = (msgs: ChatMessage[]) => msgs.flatMap((m) => m.content.filter((p): p is ToolResultPart => p.type === 'tool-result'));
const pending = (s: Server, id: string) => s.request<unknown, PendingAction[]>(P.ListPendingActions, { chat_id: id });
const audit = (s: Server, id: string) => s.request<unknown, P.ToolDecisionRecord[]>(P.ListToolDecisions, { chat_id: id });
const getChat = (s: Server, id: string) => s.request<unknown, Chat>(P.GetChat, { chat_id: id });
/** The children of a parent, in the order they were created. */
const childIds = (s: Server, parentId: string) => [...new Set(s.watch.filter((w) => w.kind === 'created' && w.chat.parent_chat_id === parentId).map((w) => w.chat.id))];
const awayHits = () => site.seen.filter((r) => r.host.startsWith('example.invalid'));

interface StepResult { content: Array<{ type: string; text?: string }>; structured_content: { url: string; title: string } }
const stepText = (r: ToolResultPart) => (r.result as StepResult).content?.[0]?.text ?? JSON.stringify(r.result);

async function waitChild(s: Server, parentId: string, n: number): Promise<string> {
  let id = '';
  await s.waitFor(() => { id = childIds(s, parentId)[n] ?? ''; return !!id; }, 30_000, `child ${n + 1} created`);
  return id;
}

/** Every browser process of a computer-use profile seen while sampling, by the chat id in its profile folder. */
function sampleBrowsers(): { stop(): Set<string> } {
  const seen = new Set<string>();
  const scan = () => {
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const m = /la-computer-([0-9a-f-]{36})/.exec(readFileSync(`/proc/${d}/cmdline`, 'utf8'));
        if (m) seen.add(m[1]);
      } catch {
        // gone meanwhile
      }
    }
  };
  const timer = setInterval(scan, 40);
  // A failed test never calls stop(): the sampling must not keep the test process alive.
  timer.unref();
  return { stop() { clearInterval(timer); scan(); return seen; } };
}

/** Parent: spawn `children` computer-use agents one after another, then answer. Child: navigate to `url`, then report what it saw. */
function twoVisits(url: string, children = 2) {
  env.fake.setHandler((req) => {
    if (!req.stream) return undefined;
    if (isChild(req)) return toolCount(req) === 0 ? call('computer', { action: 'navigate', url }) : { kind: 'text', text: 'REPORT: visited' };
    const n = toolCount(req);
    return n < children ? call('spawn_computer_use_agent', { prompt: `visit ${n + 1}`, title: `visit ${n + 1}` }) : { kind: 'text', text: 'all visits done' };
  });
}

test('allow once: the off-loopback page loads (its server sees Host example.invalid) and the step shows its title; a new child chat asks again', async () => {
  const s = await env.start({}, browserEnv());
  const away = `http://example.invalid:${site.port}/away`;
  const rule = `computer(http://example.invalid:${site.port}/*)`;
  twoVisits(away);
  const parent = await s.request<unknown, Chat>(P.CreateChat, { content: text('visit twice') });

  const first = await waitChild(s, parent.id, 0);
  await s.waitForStatus(first, ['requires_action'], 30_000);
  const [ask1] = await pending(s, first);
  assert.equal(ask1.tool_name, 'computer');
  assert.deepEqual(ask1.needs.map((n) => n.rule), [rule]);
  assert.deepEqual(awayHits(), [], 'nothing reached the host before the decision');
  await s.request(P.DecideToolCall, { chat_id: first, tool_call_id: ask1.tool_call_id, decision: 'allow_once' });

  const second = await waitChild(s, parent.id, 1);
  await s.waitForStatus(second, ['requires_action'], 30_000);
  const [ask2] = await pending(s, second);
  assert.deepEqual(ask2.needs.map((n) => n.rule), [rule], 'once is once: the new chat asks again');
  await s.request(P.DecideToolCall, { chat_id: second, tool_call_id: ask2.tool_call_id, decision: 'deny', reason: 'not again' });
  await s.waitForStatus(parent.id, ['waiting'], 60_000);

  const [loaded] = results(await messages(s, first));
  assert.equal(loaded.is_error, undefined, stepText(loaded));
  assert.equal(loaded.decision?.by, 'user');
  assert.equal((loaded.result as StepResult).structured_content.title, 'Away page');
  assert.equal((loaded.result as StepResult).structured_content.url, away);
  assert.match(stepText(loaded), /^navigate — "Away page" http:\/\/example\.invalid/);
  // The page really came from "off the machine": its request carried that host, once (the denied second visit sent nothing).
  assert.deepEqual(awayHits().map((r) => [r.method, r.host, r.path]), [['GET', `example.invalid:${site.port}`, '/away']]);
  const [denied] = results(await messages(s, second));
  assert.equal(denied.is_error, true);
  assert.match(JSON.stringify(denied.result), /denied by the user: not again/);
  // No rule was kept by "once".
  const info = await s.request<unknown, P.ServerSettingsInfo>(P.GetSettings, {});
  assert.ok(!info.permissions.rules.some((r) => r.rule === rule));
  await s.stop();
});

test('always allow: the origin rule is added to the user\'s rules and a later child navigates there without asking', async () => {
  const s = await env.start({}, browserEnv());
  const added: string[][] = [];
  s.conn.onNotification(P.PermissionRulesAddedNotification.method, (p: P.PermissionRulesAddedParams) => { added.push(p.rules); });
  const away = `http://example.invalid:${site.port}/away`;
  const rule = `computer(http://example.invalid:${site.port}/*)`;
  twoVisits(away);
  const parent = await s.request<unknown, Chat>(P.CreateChat, { content: text('visit twice') });
  const first = await waitChild(s, parent.id, 0);
  await s.waitForStatus(first, ['requires_action'], 30_000);
  const [ask] = await pending(s, first);
  const decided = await s.request<unknown, P.DecideResult>(P.DecideToolCall, { chat_id: first, tool_call_id: ask.tool_call_id, decision: 'allow_always' });
  assert.deepEqual(decided.rules_added, [rule]);
  await s.waitFor(() => added.length === 1, 5000, 'rulesAdded');
  assert.deepEqual(added, [[rule]]);
  const info = await s.request<unknown, P.ServerSettingsInfo>(P.GetSettings, {});
  assert.ok(info.permissions.rules.some((r) => r.rule === rule && r.list === 'allow' && r.source === 'user'), JSON.stringify(info.permissions.rules));

  await s.waitForStatus(parent.id, ['waiting'], 60_000);
  const second = childIds(s, parent.id)[1];
  assert.ok(second, 'the second child ran');
  const secondAudit = await audit(s, second);
  assert.deepEqual(secondAudit.map((a) => [a.tool_name, a.decision, a.decided_by]), [['computer', 'allow', 'rule']], 'no ask in the second chat');
  const [step] = results(await messages(s, second));
  assert.equal(step.is_error, undefined, stepText(step));
  assert.equal((step.result as StepResult).structured_content.title, 'Away page');
  assert.equal(awayHits().length, 2, 'both visits reached the host');
  await s.stop();
});

test('a deny rule computer(<origin>/*) set through UpdateSettings blocks the navigate without asking; the model reads why', async () => {
  const s = await env.start({}, browserEnv());
  const away = `http://example.invalid:${site.port}/away`;
  const rule = `computer(http://example.invalid:${site.port}/*)`;
  const info = await s.request<unknown, P.ServerSettingsInfo>(P.UpdateSettings, { permissions: { deny: [rule] } });
  assert.ok(info.permissions.rules.some((r) => r.rule === rule && r.list === 'deny'));
  twoVisits(away, 1);
  const parent = await s.request<unknown, Chat>(P.CreateChat, { content: text('visit') });
  const child = await waitChild(s, parent.id, 0);
  await s.waitForStatus(parent.id, ['waiting'], 60_000);

  assert.deepEqual((await audit(s, child)).map((a) => [a.tool_name, a.decision, a.decided_by]), [['computer', 'deny', 'rule']]);
  const [step] = results(await messages(s, child));
  assert.equal(step.is_error, true);
  assert.match(JSON.stringify(step.result), new RegExp(`denied by the rule computer\\(http://example\\.invalid:${site.port}/\\*\\)`));
  const sent = env.fake.requests.filter((r) => r.stream && isChild(r)).at(-1)!;
  assert.match(JSON.stringify(sent.messages), /denied by the rule computer\(http:\/\/example\.invalid/);
  assert.deepEqual(awayHits(), []);
  await s.stop();
});

test('an untrusted workspace: spawn_computer_use_agent is not offered and refused; a child\'s computer call after trust is withdrawn is refused; no browser starts', async () => {
  const s = await env.start({}, browserEnv());
  const browsers = sampleBrowsers();
  await s.request(P.SetWorkspace, { workspace: env.workspace, folders: [env.workspace], trusted: false });
  env.fake.setHandler((req) => {
    if (!req.stream) return undefined;
    return toolCount(req) === 0 ? call('spawn_computer_use_agent', { prompt: 'check it', start_url: `${site.url}/` }) : { kind: 'text', text: 'noted' };
  });
  const refusedParent = await s.request<unknown, Chat>(P.CreateChat, { content: text('check') });
  await s.waitForStatus(refusedParent.id, ['waiting'], 20_000);
  const firstReq = env.fake.requests.find((r) => r.stream)!;
  assert.ok(!toolNames(firstReq).includes('spawn_computer_use_agent'), 'not offered');
  const [refused] = results(await messages(s, refusedParent.id));
  assert.equal(refused.is_error, true);
  assert.match(JSON.stringify(refused.result), /Workspace is not trusted: spawn_computer_use_agent is disabled/);
  assert.deepEqual(childIds(s, refusedParent.id), []);

  // Trusted again, a child starts; while its model is still answering, trust is withdrawn: its computer call is refused.
  await s.request(P.SetWorkspace, { workspace: env.workspace, folders: [env.workspace], trusted: true });
  env.fake.setHandler((req) => {
    if (!req.stream) return undefined;
    if (isChild(req)) return toolCount(req) === 0 ? call('computer', { action: 'navigate', url: `${site.url}/` }, { delayMs: 400 }) : { kind: 'text', text: 'REPORT: could not' };
    return toolCount(req) === 0 ? call('spawn_computer_use_agent', { prompt: 'check it' }) : { kind: 'text', text: 'noted' };
  });
  const parent = await s.request<unknown, Chat>(P.CreateChat, { content: text('check') });
  const child = await waitChild(s, parent.id, 0);
  await s.waitFor(() => env.fake.requests.some((r) => r.stream && isChild(r)), 20_000, 'the child asked its model');
  const childReq = env.fake.requests.find((r) => r.stream && isChild(r))!;
  assert.ok(toolNames(childReq).includes('computer'), 'offered while trusted');
  await s.request(P.SetWorkspace, { workspace: env.workspace, folders: [env.workspace], trusted: false });
  await s.waitForStatus(parent.id, ['waiting'], 60_000);
  const [step] = results(await messages(s, child));
  assert.equal(step.is_error, true, JSON.stringify(step.result).slice(0, 300));
  assert.match(JSON.stringify(step.result), /Workspace is not trusted: computer is disabled/);
  assert.deepEqual(site.seen, [], 'the test site was never visited');
  const seen = browsers.stop();
  assert.ok(![refusedParent.id, parent.id, child].some((id) => seen.has(id)), `a browser started: ${[...seen].join(', ')}`);
  await s.stop();
});

test('a provider that refuses images: the child\'s error and the parent\'s report name the model and localAgents.computerUse.model', async () => {
  const s = await env.start({}, browserEnv());
  let refusedReq: CapturedRequest | undefined;
  env.fake.setHandler((req) => {
    if (!req.stream) return undefined;
    if (isChild(req)) {
      if (toolCount(req) === 0) return call('computer', { action: 'navigate', url: `${site.url}/` });
      refusedReq = req;
      return { kind: 'error', status: 400, message: 'Invalid content type. image_url is only supported by certain models.', code: 'invalid_value' };
    }
    return toolCount(req) === 0 ? call('spawn_computer_use_agent', { prompt: 'check home' }) : { kind: 'text', text: 'the checker failed' };
  });
  const parent = await s.request<unknown, Chat>(P.CreateChat, { content: text('check') });
  await s.waitForStatus(parent.id, ['waiting'], 60_000);
  assert.ok(refusedReq, 'the child sent its screenshot');
  assert.ok(JSON.stringify(refusedReq.messages).includes('data:image/png;base64,'), 'the refused request carried the image');
  const [childId] = childIds(s, parent.id);
  const child = await getChat(s, childId);
  assert.equal(child.status, 'error');
  const words = /The model "fake-model" refused the request's images \(400\): Invalid content type\. image_url is only supported by certain models\.[\s\S]*localAgents\.computerUse\.model/;
  assert.match(child.last_error?.message ?? '', words);
  assert.equal(child.last_error?.kind, 'config');
  assert.equal(env.fake.requests.filter((r) => r === refusedReq).length, 1);
  assert.equal(env.fake.requests.filter((r) => r.stream && isChild(r)).length, 2, 'a refusal is not retried');
  const [spawn] = results(await messages(s, parent.id));
  assert.equal((spawn.result as { status: string }).status, 'error');
  assert.match((spawn.result as { last_error?: string }).last_error ?? '', words);
  await s.stop();
});

/** Every file path under `dir` (recursively, a few levels). */
function filesUnder(dir: string, depth = 0): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const p = path.join(dir, e);
    try {
      return statSync(p).isDirectory() ? (depth < 6 ? filesUnder(p, depth + 1) : []) : [p];
    } catch {
      return [];
    }
  });
}

/**
 * Samples, while the browser runs, where a download could land: any file in a Playwright artifacts folder made
 * after the start (where Playwright has Chromium save accepted downloads, under a GUID name, deleted again on
 * cancel, hence sampling), and files of the download's names or a partial download's in the profile.
 */
function sampleDownloads(names: string[]): { stop(): string[] } {
  const old = new Set(readdirSync(os.tmpdir()));
  const found = new Set<string>();
  const scan = () => {
    for (const d of readdirSync(os.tmpdir())) {
      const dir = path.join(os.tmpdir(), d);
      if (d.startsWith('playwright-artifacts-') && !old.has(d)) for (const f of filesUnder(dir)) found.add(f);
      if (d.startsWith('la-computer-')) {
        for (const f of filesUnder(dir)) if (names.includes(path.basename(f)) || f.endsWith('.crdownload')) found.add(f);
      }
    }
  };
  const timer = setInterval(scan, 25);
  timer.unref();
  return { stop() { clearInterval(timer); scan(); return [...found]; } };
}

test('downloads are refused: a download link and an attachment response; the steps say so and no file appears', async () => {
  const s = await env.start({}, browserEnv());
  const names = ['report.txt', 'attached.txt'];
  const downloadsDir = path.join(os.homedir(), 'Downloads');
  const before = new Set(names.flatMap((n) => (existsSync(path.join(downloadsDir, n)) ? [n] : [])));
  const downloads = sampleDownloads(names);
  env.fake.setHandler((req) => {
    if (!req.stream) return undefined;
    if (isChild(req)) {
      const n = toolCount(req);
      if (n === 0) return call('computer', { action: 'navigate', url: `${site.url}/dl` });
      if (n === 1) return call('computer', { action: 'click', x: 200, y: 120 });
      if (n === 2) return call('computer', { action: 'navigate', url: `${site.url}/attach` });
      return { kind: 'text', text: 'REPORT: downloads tried' };
    }
    return toolCount(req) === 0 ? call('spawn_computer_use_agent', { prompt: 'download the report' }) : { kind: 'text', text: 'ok' };
  });
  const parent = await s.request<unknown, Chat>(P.CreateChat, { content: text('get the report') });
  await s.waitForStatus(parent.id, ['waiting'], 60_000);
  const [childId] = childIds(s, parent.id);
  const steps = results(await messages(s, childId));
  assert.equal(steps.length, 3);
  assert.equal((steps[0].result as StepResult).structured_content.title, 'Downloads');
  // A download link's download starts in the browser, outside the page's requests: Chromium reports it some
  // hundreds of milliseconds after the click, so the refusal is in the click's step or, when later, in the next.
  assert.match(`${stepText(steps[1])}\n${stepText(steps[2])}`, /A download \(report\.txt\) was refused: computer use never saves files/);
  assert.match(stepText(steps[2]), /A download \(attached\.txt\) was refused: computer use never saves files/);
  // Not a failed navigate: the tab stays on its page and the note says what happened.
  assert.equal(steps[2].is_error, undefined, stepText(steps[2]));
  assert.match(stepText(steps[2]), /^navigate — "Downloads" http:\/\/127\.0\.0\.1:\d+\/dl;/);
  assert.ok(site.seen.some((r) => r.path === '/report.txt'), 'the click did start the download');
  assert.deepEqual(downloads.stop(), [], 'no downloaded file in the browser\'s profile or download folders');
  assert.deepEqual(readdirSync(env.workspace), ['README.md']);
  assert.deepEqual(names.filter((n) => existsSync(path.join(downloadsDir, n)) && !before.has(n)), []);
  await s.stop();
});
