// (e) The loopback HTTP API of a real `local-agents serve --http` process, each part against the physical
// limit in the same run: listing 50 chats (of 2,000) over HTTP and over JSON-RPC stdio vs the bare SQL on
// the same file; a 20,000-delta answer read from the chat's SSE stream vs stdio notifications vs the raw
// openai SDK on the same fake stream; and 100 SSE clients on one streaming chat vs one (added latency of
// the last client's events, server CPU per 1,000 deltas).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startFakeOpenAI, type FakeOpenAI } from '../test/fakes/fakeOpenAI';
import { rawRequest, startApiServer, type ApiServer } from '../test/support/apiServer';
import { startServer, type ServerHandle } from '../test/support/serverProcess';
import type { Chat, ChatsPage, ChatStreamEvent, ChatStreamNotificationParams } from '../server/protocol';
import { ChatStreamNotification, CreateChat, GetChat, ListChats, SendMessage } from '../server/protocol';
import { openDb } from '../server/store/db';
import { median, timeAsync, timeSync, fmt, type Row } from './stats';
import { chunks, DELTAS, rawSdk } from './streamBench';

const CHATS = 2000;
const LIST_RUNS = 200;
const STREAM_RUNS = 11;
const WATCHERS = 100;
const FAN_RUNS = 7;
const TOKEN = 'bench-api-token-0123456789';
/** What the fake answers a title request with: the sign that a chat's first exchange is over. */
const FAKE_TITLE = 'Test Chat';
const answer = chunks.join('');
/** Only the last delta carries it (the persisted message after it does too). */
const LAST_DELTA = `w${DELTAS - 1} `;
const content = [{ type: 'text' as const, text: 'go' }];
const providerEnv = (fake: FakeOpenAI) => ({ OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'bench', OPENAI_MODEL: 'fake-model' });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(pred: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!pred()) {
    if (performance.now() > end) throw new Error(`bench: timed out waiting for ${what}`);
    await sleep(2);
  }
}

/** utime + stime of a process (all its threads), in ms. */
const TICK_MS = 1000 / (Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100);
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

// ---- HTTP client: one keep-alive connection for requests (as stdio has one pipe), one socket per stream ----

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

async function api<T>(server: ApiServer, verb: string, route: string, body?: unknown): Promise<T> {
  const r = await rawRequest(`${server.url}${route}`, {
    method: verb, agent,
    headers: { Authorization: `Bearer ${TOKEN}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (r.status >= 400) throw new Error(`bench: ${verb} ${route} → ${r.status} ${r.text}`);
  return r.body as T;
}

/** An SSE stream read as it arrives: `onEvent` gets each event's name, its raw data and the arrival time. */
function openStream(url: string, onEvent: (event: string, data: string, at: number) => void): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers: { Accept: 'text/event-stream', Authorization: `Bearer ${TOKEN}` } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`bench: ${url} → ${res.statusCode}`));
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      let buf = '';
      res.on('data', (chunk: string) => {
        const at = performance.now();
        buf += chunk;
        let start = 0;
        let end;
        while ((end = buf.indexOf('\n\n', start)) >= 0) {
          let event = 'message';
          let data = '';
          for (const line of buf.slice(start, end).split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          start = end + 2;
          if (data) onEvent(event, data, at);
        }
        buf = buf.slice(start);
      });
      resolve(() => req.destroy());
    });
    req.on('error', (err) => { if (!req.destroyed) reject(err); });
  });
}

// ---- (1) list 50 chats ----

function seed(dbPath: string, workspace: string): void {
  const db = openDb(dbPath);
  const insChat = db.prepare(`INSERT INTO chats (id, workspace, workspace_folder, title, status, labels, pin_order, created_at, updated_at)
    VALUES (?, ?, ?, ?, 'waiting', ?, ?, ?, ?)`);
  const insLabel = db.prepare('INSERT INTO chat_labels (chat_id, key, value) VALUES (?, ?, ?)');
  const insMsg = db.prepare('INSERT INTO chat_messages (chat_id, role, content, created_at, input_tokens, output_tokens) VALUES (?, ?, ?, ?, 100, 50)');
  const markRead = db.prepare('UPDATE chats SET last_read_message_id = ? WHERE id = ?');
  const base = Date.parse('2025-01-01T00:00:00Z');
  db.transaction(() => {
    for (let i = 0; i < CHATS; i++) {
      const id = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
      const labels = i % 4 === 0 ? { team: `t${i % 7}`, env: i % 3 ? 'prod' : 'dev' } : {};
      insChat.run(id, workspace, workspace, `Chat ${i}: a title of a usual length`, JSON.stringify(labels), i < 5 ? i + 1 : 0, base + i * 1000, base + i * 1000 + (i * 7919) % 100_000);
      for (const [k, v] of Object.entries(labels)) insLabel.run(id, k, v);
      insMsg.run(id, 'user', JSON.stringify([{ type: 'text', text: `question ${i}` }]), base + i * 1000);
      const last = insMsg.run(id, 'assistant', JSON.stringify([{ type: 'text', text: `answer ${i}` }]), base + i * 1000 + 1).lastInsertRowid;
      // Two thirds read, a third with an unread answer.
      if (i % 3) markRead.run(Number(last), id);
    }
  })();
  db.exec('ANALYZE');
  db.close();
}

async function listBench(fake: FakeOpenAI, root: string): Promise<Row[]> {
  const workspace = path.join(root, 'ws-list');
  mkdirSync(workspace);
  const dbPath = path.join(root, 'list', 'chats.db');
  seed(dbPath, workspace);
  // Both servers on the one file: no turn runs here, so neither's worker takes anything of the other's.
  const served = await startApiServer({ db: dbPath, workspace, token: TOKEN, env: providerEnv(fake) });
  const stdio = await startServer({ dbPath, workspace, workspaceFolders: [workspace] }, providerEnv(fake));
  const bare = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const stmt = bare.prepare(`SELECT * FROM chats WHERE workspace = ? AND archived = 0 AND parent_chat_id IS NULL
      ORDER BY pin_sort, updated_at DESC, id DESC LIMIT 50`);
    const check = (page: ChatsPage) => { if (page.chats.length !== 50 || !page.has_more) throw new Error(`bench: a list page had ${page.chats.length} chats`); };
    check(await api<ChatsPage>(served, 'GET', '/chats?limit=50'));
    check(await stdio.request<unknown, ChatsPage>(ListChats, { limit: 50 }));
    if (stmt.all(workspace).length !== 50) throw new Error('bench: the bare list query found no chats');
    // Interleaved rounds, so a slow moment of the machine lands on every path alike.
    const httpMs: number[] = [];
    const rpcMs: number[] = [];
    const sqlMs: number[] = [];
    for (let round = 0; round < 4; round++) {
      httpMs.push(...(await timeAsync(LIST_RUNS / 4, () => api(served, 'GET', '/chats?limit=50'))));
      rpcMs.push(...(await timeAsync(LIST_RUNS / 4, () => stdio.request(ListChats, { limit: 50 }))));
      sqlMs.push(...timeSync(LIST_RUNS / 4, () => stmt.all(workspace)));
    }
    const h = median(httpMs);
    const r = median(rpcMs);
    const s = median(sqlMs);
    return [
      { metric: `(e) list 50 chats (${CHATS.toLocaleString('en')} seeded), HTTP GET /chats`, value: fmt(h), limit: `bare SQL ${fmt(s)}`, ratio: `${(h / s).toFixed(1)}x`, goal: '-', ok: true },
      { metric: '(e) same, JSON-RPC over stdio', value: fmt(r), limit: `bare SQL ${fmt(s)}; HTTP/stdio ${(h / r).toFixed(2)}x`, ratio: `${(r / s).toFixed(1)}x`, goal: '-', ok: true },
    ];
  } finally {
    bare.close();
    await served.stop();
    await stdio.stop();
  }
}

// ---- (2) a 20,000-delta answer: SSE vs stdio vs the raw SDK ----

interface StreamResult { total: number; ttft: number; text: number }


/**
 * A chat whose first exchange (and its title request) is over, so the timed answer is a second turn with
 * nothing else running; a fresh chat each time, so no history grows toward compaction.
 */
async function freshChat(fake: FakeOpenAI, create: () => Promise<Chat>, get: (id: string) => Promise<Chat>): Promise<string> {
  fake.enqueue({ kind: 'text', text: 'ok' });
  const chat = await create();
  for (const end = performance.now() + 15_000; ;) {
    const c = await get(chat.id);
    if (c.status === 'waiting' && c.title === FAKE_TITLE) return chat.id;
    if (c.status === 'error' || performance.now() > end) throw new Error(`bench: setup chat ${chat.id} is ${c.status} "${c.title}"`);
    await sleep(5);
  }
}

const httpChat = (fake: FakeOpenAI, served: ApiServer) => freshChat(fake, () => api<Chat>(served, 'POST', '/chats', { content }), (id) => api<Chat>(served, 'GET', `/chats/${id}`));

/** What a client has of one turn: text so far, and when the first and the last delta came. */
class TurnView {
  text = 0;
  first = -1;
  last = -1;
  persisted = false;
  waiting = false;
  events = 0;

  constructor(private readonly t0: () => number) {}

  onEvent(ev: ChatStreamEvent, at: number): void {
    this.events++;
    if (ev.type === 'message_part' && ev.role === 'assistant' && ev.part.type === 'text') {
      if (this.first < 0) this.first = at - this.t0();
      this.text += ev.part.text.length;
      if (this.text === answer.length) this.last = at - this.t0();
    } else if (ev.type === 'message' && ev.message.role === 'assistant') {
      this.persisted = true;
    } else if (ev.type === 'status' && ev.status === 'waiting' && this.persisted) {
      this.waiting = true;
    }
  }

  get done(): boolean { return this.last >= 0 && this.persisted && this.waiting; }
}

async function sseRun(fake: FakeOpenAI, served: ApiServer): Promise<StreamResult> {
  const id = await httpChat(fake, served);
  let t0 = 0;
  let opened = false;
  const view = new TurnView(() => t0);
  const close = await openStream(`${served.url}/chats/${id}/stream`, (event, data, at) => {
    if (!opened) { opened = true; return; } // the chat's current status
    view.onEvent(JSON.parse(data) as ChatStreamEvent, at);
  });
  await until(() => opened, 'the stream\'s first status');
  fake.enqueue({ kind: 'text', text: answer, chunks });
  t0 = performance.now();
  await api(served, 'POST', `/chats/${id}/messages`, { content });
  await until(() => view.done, 'the answer over SSE');
  close();
  return { total: view.last, ttft: view.first, text: view.text };
}

async function stdioRun(fake: FakeOpenAI, server: ServerHandle, route: { chatId: string; view?: TurnView }): Promise<StreamResult> {
  const id = await freshChat(fake, () => server.request<unknown, Chat>(CreateChat, { content }), (chatId) => server.request<unknown, Chat>(GetChat, { chat_id: chatId }));
  let t0 = 0;
  const view = new TurnView(() => t0);
  route.chatId = id;
  route.view = view;
  fake.enqueue({ kind: 'text', text: answer, chunks });
  t0 = performance.now();
  await server.request(SendMessage, { chat_id: id, content });
  await until(() => view.done, 'the answer over stdio');
  route.view = undefined;
  return { total: view.last, ttft: view.first, text: view.text };
}

async function streamBench(fake: FakeOpenAI, served: ApiServer, stdio: ServerHandle): Promise<Row[]> {
  const route: { chatId: string; view?: TurnView } = { chatId: '' };
  stdio.conn.onNotification(ChatStreamNotification.method, (p: ChatStreamNotificationParams) => {
    if (!route.view || p.chat_id !== route.chatId) return;
    const at = performance.now();
    for (const e of p.events) route.view.onEvent(e, at);
  });
  const raw: StreamResult[] = [];
  const piece: StreamResult[] = [];
  const sse: StreamResult[] = [];
  const rpc: StreamResult[] = [];
  await rawSdk(fake); // warm-up every path
  await rawSdk(fake, true);
  await sseRun(fake, served);
  await stdioRun(fake, stdio, route);
  for (let i = 0; i < STREAM_RUNS; i++) {
    raw.push(await rawSdk(fake));
    piece.push(await rawSdk(fake, true));
    sse.push(await sseRun(fake, served));
    rpc.push(await stdioRun(fake, stdio, route));
  }
  if ([...raw, ...piece, ...sse, ...rpc].some((r) => r.text !== answer.length)) throw new Error('bench: a stream lost text');
  const rawT = median(raw.map((r) => r.total));
  const pieceT = median(piece.map((r) => r.total));
  const sseT = median(sse.map((r) => r.total));
  const rpcT = median(rpc.map((r) => r.total));
  const ttft = (rs: StreamResult[]) => fmt(median(rs.map((r) => r.ttft)));
  return [
    { metric: `(e) ${DELTAS}-delta answer, HTTP SSE stream`, value: fmt(sseT), limit: `stdio notifications ${fmt(rpcT)}`, ratio: `${(sseT / rpcT).toFixed(3)}x`, goal: '≤ 1.1x', ok: sseT / rpcT <= 1.1 },
    { metric: '(e) same, SSE vs the raw openai SDK', value: fmt(sseT), limit: `raw openai SDK ${fmt(rawT)}`, ratio: `${(sseT / rawT).toFixed(3)}x`, goal: '-', ok: true },
    { metric: '(e) same, stdio vs the raw openai SDK', value: fmt(rpcT), limit: `raw openai SDK ${fmt(rawT)}`, ratio: `${(rpcT / rawT).toFixed(3)}x`, goal: '-', ok: true },
    // The server reads the provider with its own piecewise fetch, which is quicker than the SDK's default
    // on one big burst: the SDK with that fetch is the floor of the server's own way of reading.
    { metric: '(e) same, SSE vs the SDK with the server\'s fetch', value: fmt(sseT), limit: `SDK + sseFetch ${fmt(pieceT)}`, ratio: `${(sseT / pieceT).toFixed(3)}x`, goal: '-', ok: true },
    { metric: '(e) time to first delta: SSE / stdio', value: `${ttft(sse)} / ${ttft(rpc)}`, limit: `raw SDK ${ttft(raw)}, SDK + sseFetch ${ttft(piece)}`, ratio: '-', goal: '-', ok: true },
  ];
}

// ---- (3) 100 SSE clients on one streaming chat vs one ----

interface FanResult { first: number[]; last: number[]; cpu: number; events: number }

async function fanRun(fake: FakeOpenAI, served: ApiServer, n: number): Promise<FanResult> {
  const id = await httpChat(fake, served);
  let t0 = 0;
  const views = Array.from({ length: n }, () => ({ opened: false, first: -1, last: -1, persisted: false, waiting: false, events: 0 }));
  // A light client: no JSON parsing, so the 100 readers in this process take as little CPU as they can.
  const closers = await Promise.all(views.map((v) => openStream(`${served.url}/chats/${id}/stream`, (event, data, at) => {
    if (!v.opened) { v.opened = true; return; }
    v.events++;
    if (event === 'message_part') {
      if (v.first < 0) v.first = at - t0;
      if (v.last < 0 && data.includes(LAST_DELTA)) v.last = at - t0;
    } else if (event === 'message' && data.includes('"role":"assistant"')) {
      v.persisted = true;
    } else if (event === 'status' && v.persisted && data.includes('"waiting"')) {
      v.waiting = true;
    }
  })));
  await until(() => views.every((v) => v.opened), 'every watcher\'s first status');
  fake.enqueue({ kind: 'text', text: answer, chunks });
  const pid = served.child.pid!;
  const cpu0 = cpuMs(pid);
  t0 = performance.now();
  await api(served, 'POST', `/chats/${id}/messages`, { content });
  await until(() => views.every((v) => v.last >= 0 && v.waiting), `the answer at ${n} watchers`);
  const cpu = cpuMs(pid) - cpu0;
  for (const c of closers) c();
  // Let the server see the sockets go before the next run.
  await sleep(50);
  return { first: views.map((v) => v.first), last: views.map((v) => v.last), cpu, events: median(views.map((v) => v.events)) };
}

async function fanBench(fake: FakeOpenAI, served: ApiServer): Promise<Row[]> {
  const one: FanResult[] = [];
  const many: FanResult[] = [];
  await fanRun(fake, served, 1); // warm-up
  await fanRun(fake, served, WATCHERS);
  for (let i = 0; i < FAN_RUNS; i++) {
    one.push(await fanRun(fake, served, 1));
    many.push(await fanRun(fake, served, WATCHERS));
  }
  const lastOf = (rs: FanResult[], k: 'first' | 'last') => median(rs.map((r) => Math.max(...r[k])));
  const firstOne = lastOf(one, 'first');
  const firstMany = lastOf(many, 'first');
  const endOne = lastOf(one, 'last');
  const endMany = lastOf(many, 'last');
  const perK = (rs: FanResult[]) => median(rs.map((r) => r.cpu)) / (DELTAS / 1000);
  const cpuOne = perK(one);
  const cpuMany = perK(many);
  const events = median(many.map((r) => r.events));
  return [
    { metric: `(e) ${WATCHERS} SSE clients: added latency, first delta at the last one`, value: fmt(firstMany - firstOne), limit: `1 client ${fmt(firstOne)}, last of ${WATCHERS} ${fmt(firstMany)}`, ratio: `${(firstMany / firstOne).toFixed(2)}x`, goal: '-', ok: true },
    { metric: `(e) same, last delta (end of the ${DELTAS}-delta answer)`, value: fmt(endMany - endOne), limit: `1 client ${fmt(endOne)}, last of ${WATCHERS} ${fmt(endMany)}`, ratio: `${(endMany / endOne).toFixed(2)}x`, goal: '-', ok: true },
    { metric: `(e) server CPU per 1,000 deltas, ${WATCHERS} SSE clients`, value: fmt(cpuMany), limit: `1 client ${fmt(cpuOne)} (${events} SSE events per client)`, ratio: `${(cpuMany / cpuOne).toFixed(2)}x`, goal: '-', ok: true },
  ];
}

export async function runApiBench(): Promise<Row[]> {
  const fake = await startFakeOpenAI();
  const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'la-bench-api-')));
  try {
    const rows = await listBench(fake, root);
    // One database each: two workers on one file and workspace could take each other's turns.
    const workspace = path.join(root, 'ws-stream');
    mkdirSync(workspace);
    const served = await startApiServer({ db: path.join(root, 'http', 'chats.db'), workspace, token: TOKEN, env: providerEnv(fake) });
    const stdio = await startServer({ dbPath: path.join(root, 'stdio', 'chats.db'), workspace, workspaceFolders: [workspace] }, providerEnv(fake));
    try {
      rows.push(...(await streamBench(fake, served, stdio)));
      rows.push(...(await fanBench(fake, served)));
    } finally {
      await served.stop();
      await stdio.stop();
    }
    return rows;
  } finally {
    agent.destroy();
    await fake.close();
    rmSync(root, { recursive: true, force: true });
  }
}
