// The HTTP API under random input: 10,000 seeded random requests across every route of the table (bodies
// of random shape, nesting and types, huge and empty strings, unicode and lone surrogates, 1e308 and -0,
// arrays where objects go, extra fields, real ids of chats, messages, queued messages and files), random
// path segments and query strings, malformed JSON, random verbs. Asserted: never a 5xx; every error is the
// JSON error shape with a string message; the server stays up; and a rejected request changes nothing in
// the database (a snapshot of the chat tables before and after every batch whose requests were all
// rejected or read-only; after a batch with a successful write the snapshot is taken again once the server
// is idle). FUZZ_SEED=<n> replays a run; FUZZ_COUNT=<n> changes its size.
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { ROUTES, type Route } from '../../server/api/routes';
import type { Chat, MessagesPage, QueuedMessage } from '../../server/protocol';
import { dbSnapshot, settledSnapshot, startApiServer, waitChatStatus, type DbSnapshot } from '../support/apiServer';
import { setupEnv, text } from './helpers';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const COUNT = Number(process.env.FUZZ_COUNT ?? 10_000);
const CONCURRENCY = 16;

/** mulberry32: small, fast, and the same sequence for the same seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** encodeURIComponent throws on a lone surrogate: those become U+FFFD (raw ill-formed escapes are sent on purpose elsewhere). */
const enc = (s: string) => encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));

interface Pools { chats: string[]; messages: number[]; queued: number[]; files: string[]; toolCalls: string[] }

class Gen {
  constructor(readonly rand: () => number, readonly pools: Pools) {}
  int(n: number): number { return Math.floor(this.rand() * n); }
  chance(p: number): boolean { return this.rand() < p; }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]; }

  static readonly NUMBERS = [0, -0, 1, -1, 2, 7, 20, 21, 50, 51, 200, 201, 250, 251, 0.5, -1.5, 1e308, -1e308, 5e-324, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e21, 123456789012];
  static readonly STRINGS = [
    '', ' ', '\t\n', 'a', 'null', 'true', '0', '-1', '1e3', 'NaN', '[]', '{}', '../../etc/passwd', '..', '%00', '\u0000', 'a\u0000b', "' OR 1=1 --", '"; DROP TABLE chats; --',
    '\ud800', '\udfff', 'emoji 🧪🚀', 'ﷺ', 'RTL \u202e txet', 'e\u0301', 'こんにちは', 'Ω≈ç√', '\u2028\u2029', '<script>alert(1)</script>', '${jndi:ldap://x}', '__proto__', 'constructor',
    'text', 'file', 'file-reference', 'plan', 'default', 'explore', 'bypass', 'acceptEdits', 'api', 'ui', 'queue', 'interrupt', 'deny', 'allow_once', 'allow_chat', 'allow_always',
    'chat', 'model', 'day', 'k:v', 'env:prod', ':', 'archived:true', 'archived:maybe', 'label:a:b', 'text/plain', 'application/json', 'execute(rm -rf /)', '2024-01-01T00:00:00Z',
  ];
  static readonly KEYS = ['content', 'type', 'text', 'file_id', 'name', 'media_type', 'path', 'file_name', 'labels', 'title', 'archived', 'pin_order', 'results', 'tool_call_id', 'output',
    'decision', 'rules', 'reason', 'unsafe_dynamic_tools', 'input_schema', 'mode', 'chat_id', 'message_id', 'limit', 'before_id', 'after_id', '__proto__', 'constructor', 'prototype', 'x', ''];

  /** An id that exists (or looks like one). */
  id(): string | number {
    const p = this.pools;
    switch (this.int(6)) {
      case 0: return this.pick(p.chats);
      case 1: return this.pick(p.messages);
      case 2: return p.queued.length ? this.pick(p.queued) : 1;
      case 3: return this.pick(p.files);
      case 4: return this.pick(p.toolCalls);
      default: return `${this.pick(p.chats).slice(0, 35)}${this.int(10)}`;
    }
  }

  string(): string {
    switch (this.int(9)) {
      case 0: return this.pick(Gen.STRINGS);
      case 1: return String(this.id());
      case 2: {
        // Huge: usually tens of kB, now and then a megabyte.
        const n = this.chance(0.05) ? 1_000_000 : 1000 + this.int(60_000);
        return (this.chance(0.5) ? 'x' : '🧪').repeat(this.chance(0.5) ? n : Math.ceil(n / 2));
      }
      case 3: return Array.from({ length: this.int(20) }, () => String.fromCharCode(this.int(0x10000))).join('');
      case 4: return Array.from({ length: 1 + this.int(12) }, () => String.fromCharCode(32 + this.int(95))).join('');
      default: return this.pick(Gen.STRINGS) + (this.chance(0.5) ? String(this.int(100)) : '');
    }
  }

  number(): number { return this.chance(0.7) ? this.pick(Gen.NUMBERS) : (this.rand() - 0.5) * 10 ** this.int(20); }

  value(depth = 0): unknown {
    const leaf = depth > 4 || this.chance(0.35 + depth * 0.1);
    if (leaf) {
      switch (this.int(6)) {
        case 0: return null;
        case 1: return this.chance(0.5);
        case 2: return this.number();
        case 3: return this.id();
        default: return this.string();
      }
    }
    if (this.chance(0.4)) return Array.from({ length: this.int(6) }, () => this.value(depth + 1));
    return this.object(depth + 1);
  }

  object(depth = 0, keys: readonly string[] = Gen.KEYS): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (let i = this.int(6); i > 0; i--) Object.defineProperty(o, this.chance(0.8) ? this.pick(keys) : this.string().slice(0, 40), { value: this.value(depth), enumerable: true, configurable: true, writable: true });
    return o;
  }

  /** Input parts: mostly well formed, with a random part now and then. */
  content(): unknown {
    if (this.chance(0.15)) return this.value(1);
    return Array.from({ length: this.int(4) }, () => {
      switch (this.int(6)) {
        case 0: return { type: 'file', file_id: this.chance(0.7) ? this.pick(this.pools.files) : this.string() };
        case 1: return { type: 'file-reference', file_name: this.chance(0.7) ? 'README.md' : this.string(), start_line: this.chance(0.5) ? this.number() : undefined, content: this.chance(0.3) ? this.string() : undefined };
        case 2: return this.object(2);
        case 3: return { type: 'file', name: this.string(), media_type: this.string(), path: this.chance(0.5) ? 'README.md' : this.string(), content: this.string() };
        default: return { type: 'text', text: this.chance(0.8) ? `fuzz ${this.int(1000)}` : this.string() };
      }
    });
  }

  /** A body the route would accept (or nearly: ids may be of the wrong chat). */
  plausible(route: Route): Record<string, unknown> {
    switch (route.name) {
      case 'CreateChat': return { content: text(`fuzz create ${this.int(1000)}`), ...(this.chance(0.3) ? { labels: { fz: String(this.int(5)) } } : {}) };
      case 'SendMessage': return { content: text(`fuzz send ${this.int(1000)}`), ...(this.chance(0.3) ? { busy_behavior: this.pick(['queue', 'interrupt']) } : {}) };
      case 'EditMessage': return { content: text(`fuzz edit ${this.int(1000)}`) };
      case 'UpdateChat': return this.pick([{ title: `fuzz title ${this.int(100)}` }, { labels: { fz: 'x' } }, { labels: {} }, { pin_order: this.int(3) }, { archived: this.chance(0.5) }, { mode: 'default' }]);
      case 'SubmitToolResults': return { results: [{ tool_call_id: this.pick(this.pools.toolCalls), output: this.value(2) }] };
      case 'DecideToolCall': return { tool_call_id: this.pick(this.pools.toolCalls), decision: this.pick(['deny', 'allow_once']) };
      default: return {};
    }
  }

  /** A body for the route: random in shape, or the route's own fields with random values, or a mutated plausible one. */
  body(route: Route): string {
    const r = this.rand();
    if (r < 0.05) return this.pick(['', '{', '{"a":', '[1,2', 'nul', 'NaN', '{"a":1}x', '\ufeff{}', '{"a":1,}', '"just a string"', '12', '[]', 'null', '{"__proto__":{"polluted":1}}', `${'['.repeat(5000)}${']'.repeat(5000)}`]);
    if (r < 0.08) {
      // Deep nesting inside a field the schema reads.
      const depth = 100 + this.int(3000);
      return `{"content":${'['.repeat(depth)}${']'.repeat(depth)},"results":[{"tool_call_id":"${this.pick(this.pools.toolCalls)}","output":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}]}`;
    }
    if (r < 0.25) return JSON.stringify(this.value(0)) ?? 'null';
    const own = Object.keys(route.props);
    if (r < 0.65) {
      const o = this.object(1, own.length ? [...own, ...own, ...Gen.KEYS] : Gen.KEYS);
      if (own.includes('content') && this.chance(0.6)) o.content = this.content();
      return JSON.stringify(o);
    }
    const base: Record<string, unknown> = this.plausible(route);
    if (r < 0.985) {
      // One or two fields changed, one maybe added.
      for (let i = 1 + this.int(2); i > 0; i--) {
        const key = own.length && this.chance(0.8) ? this.pick(own) : this.pick(Gen.KEYS);
        base[key] = key === 'content' ? this.content() : this.value(1);
      }
    }
    return JSON.stringify(base);
  }

  /** `real`: how often the segment is an id that exists. */
  segment(param: string, real = 0.55): string {
    if (this.chance(real)) {
      const p = this.pools;
      if (param === 'chat_id') return this.pick(p.chats);
      if (param === 'message_id') return String(this.pick(p.messages));
      if (param === 'queued_message_id') return String(p.queued.length ? this.pick(p.queued) : 1);
      if (param === 'file_id') return this.pick(p.files);
    }
    // Malformed percent-escapes too: a path is bytes, not always a valid URI component.
    if (this.chance(0.1)) return this.pick(['%', '%zz', '%E0%A4%A', '%C0%AF', '%ED%A0%80', 'a%2Fb', '%2e%2e', '%00']);
    const s = this.chance(0.3) ? String(this.number()) : this.string().slice(0, this.chance(0.9) ? 200 : 20_000);
    return enc(s) || 'x';
  }

  /** A query the route would accept: its own params with values of their JSON Schema type. */
  plausibleQuery(route: Route): string {
    const parts: string[] = [];
    for (const [key, schema] of Object.entries(route.props)) {
      if (route.pathParams.includes(key) || this.chance(0.5)) continue;
      const sc = schema as { type?: string | string[]; enum?: unknown[]; anyOf?: Array<{ enum?: unknown[]; type?: string }>; format?: string; items?: unknown };
      const en = sc.enum ?? sc.anyOf?.find((a) => a.enum)?.enum;
      const type = Array.isArray(sc.type) ? sc.type[0] : sc.type ?? sc.anyOf?.find((a) => a.type)?.type;
      const value = en ? String(this.pick(en)) : type === 'integer' || type === 'number' ? String(1 + this.int(60))
        : type === 'boolean' ? String(this.chance(0.5)) : sc.format === 'date-time' ? new Date(Date.now() - this.int(1e9)).toISOString()
        : type === 'array' ? this.pick(['env:prod', 'fz:1', 'k:v']) : String(this.id());
      parts.push(`${enc(key)}=${enc(value)}`);
    }
    return parts.length ? `?${parts.join('&')}` : '';
  }

  query(route: Route | undefined): string {
    if (route && this.chance(0.25)) return this.plausibleQuery(route);
    const own = route ? Object.keys(route.props) : [];
    const parts: string[] = [];
    for (let i = this.int(5); i > 0; i--) {
      const key = own.length && this.chance(0.75) ? this.pick(own) : this.pick(Gen.KEYS);
      const value = this.chance(0.3) ? String(this.id()) : this.chance(0.3) ? String(this.number()) : this.string().slice(0, this.chance(0.95) ? 100 : 50_000);
      parts.push(`${enc(key)}=${this.chance(0.05) ? '%zz%' : enc(value)}`);
    }
    return parts.length ? `?${parts.join('&')}` : '';
  }
}

interface FuzzRequest { n: number; method: string; path: string; headers: Record<string, string>; body?: string | Buffer; route?: Route }
interface FuzzResponse { status: number; headers: http.IncomingHttpHeaders; text: string; sse: boolean }

const VERBS = ['GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'OPTIONS'];
const MEDIA = ['text/plain', 'application/json', 'application/octet-stream', 'image/png', 'text/markdown; charset=utf-8', 'nonsense', '', 'a/b/c', 'text/x-' + 'y'.repeat(300)];

function makeRequest(g: Gen, n: number, token: string): FuzzRequest {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  // The streams are not in the table; they get random ids and resume points too.
  if (g.chance(0.02)) {
    const watch = g.chance(0.3);
    const path = watch ? '/chats/watch' : `/chats/${g.segment('chat_id')}/stream${g.chance(0.5) ? `?after_id=${enc(String(g.chance(0.5) ? g.id() : g.string().slice(0, 30)))}` : ''}`;
    if (g.chance(0.5)) headers['Last-Event-ID'] = g.chance(0.5) ? `${g.string().slice(0, 10).replace(/[^\x20-\x7e]/g, '')}.${g.int(99)}.${g.int(99)}` : g.string().slice(0, 40).replace(/[^\x20-\x7e]/g, '');
    return { n, method: 'GET', path, headers };
  }
  const route = g.pick(ROUTES);
  // Writes with real ids succeed often, and a batch with a success cannot be checked for "rejected changes
  // nothing": routes that need nothing but the id (interrupt, read, ...) get real ids less often.
  const idOnly = Object.keys(route.props).every((k) => route.pathParams.includes(k) || k === 'edit');
  const real = route.http.verb === 'GET' ? 0.55 : idOnly ? 0.1 : 0.35;
  const path = route.http.path.replace(/\{(\w+)\}/g, (_, p: string) => g.segment(p, real));
  const method = g.chance(0.04) ? g.pick(VERBS) : route.http.verb;
  if (route.http.body === 'raw' && method === 'POST') {
    headers['Content-Type'] = g.pick(MEDIA);
    if (!headers['Content-Type']) delete headers['Content-Type'];
    const name = g.chance(0.4) ? `name=${enc(g.chance(0.5) ? `f${g.int(100)}.txt` : g.string().slice(0, 300))}` : '';
    if (g.chance(0.1)) headers['Content-Disposition'] = `attachment; filename*=UTF-8''${g.pick(['%E0%A4%A', 'ok.txt', '%zz', enc(g.string().slice(0, 50))])}`;
    const body = g.chance(0.3) ? Buffer.from(Array.from({ length: g.int(3000) }, () => g.int(256))) : g.string();
    return { n, method, path: `${path}${name ? `?${name}` : ''}`, headers, body, route };
  }
  if (method === 'GET' || method === 'DELETE' || method === 'OPTIONS') return { n, method, path: `${path}${g.query(route)}`, headers, route, ...(g.chance(0.05) ? { body: g.body(route) } : {}) };
  headers['Content-Type'] = g.chance(0.9) ? 'application/json' : g.pick(MEDIA) || 'text/plain';
  return { n, method, path: `${path}${g.chance(0.1) ? g.query(route) : ''}`, headers, body: g.body(route), route };
}

function send(base: string, agent: http.Agent, r: FuzzRequest): Promise<FuzzResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${r.path}`, { method: r.method, headers: r.body !== undefined ? { ...r.headers, 'Content-Length': String(Buffer.byteLength(r.body)) } : r.headers, agent }, (res) => {
      const sse = String(res.headers['content-type']).startsWith('text/event-stream');
      if (sse) {
        // A stream stays open: that it opened is the answer.
        res.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: '', sse });
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), sse }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error('timed out')));
    if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}

const describe = (r: FuzzRequest) => `#${r.n} ${r.method} ${r.path.slice(0, 300)}${r.body !== undefined ? ` body(${Buffer.byteLength(r.body)}B): ${String(r.body).slice(0, 300)}` : ''}`;

/** The error shape: {message: string, detail?: string, validations: [{field, detail}]}. */
function errorShapeProblem(res: FuzzResponse): string | undefined {
  if (!String(res.headers['content-type']).startsWith('application/json')) return `content-type ${res.headers['content-type']}`;
  let body: unknown;
  try { body = JSON.parse(res.text); } catch { return 'not JSON'; }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'not an object';
  const b = body as { message?: unknown; detail?: unknown; validations?: unknown };
  if (typeof b.message !== 'string' || b.message.length === 0) return 'message is not a string';
  if (b.detail !== undefined && typeof b.detail !== 'string') return 'detail is not a string';
  if (!Array.isArray(b.validations)) return 'validations is not a list';
  if (!b.validations.every((v: { field?: unknown; detail?: unknown }) => typeof v?.field === 'string' && typeof v?.detail === 'string')) return 'a validation is not {field, detail}';
  return undefined;
}

const sameSnapshot = (a: DbSnapshot, b: DbSnapshot) => a.hash === b.hash;

test(`fuzz: ${COUNT} random requests over every route (seed ${SEED}): no 5xx, error bodies well formed, rejected requests change nothing`, { timeout: 240_000 }, async () => {
  console.log(`# fuzz seed ${SEED} (replay: FUZZ_SEED=${SEED}), ${COUNT} requests`);
  const env = await setupEnv();
  const api = await startApiServer({ db: env.dbPath, workspace: env.workspace, env: { OPENAI_BASE_URL: env.fake.url, OPENAI_API_KEY: 'test-key', OPENAI_MODEL: 'fake-model' } });
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    // Fixtures: a chat with a history, one waiting for a client tool (with a queued message), one waiting for an
    // approval, an archived one, an upload.
    const done = (await api.request<Chat>('POST', '/chats', { content: text('fixture one'), labels: { env: 'prod' } })).body.id;
    await waitChatStatus(api, done, 'waiting');
    env.fake.enqueue({ kind: 'tools', calls: [{ id: 'call_fz', name: 'lookup_ticket', args: '{"id":"T-1"}' }] });
    const waiting = (await api.request<Chat>('POST', '/chats', {
      content: text('fixture two'), unsafe_dynamic_tools: [{ name: 'lookup_ticket', input_schema: { type: 'object' } }],
    })).body.id;
    await waitChatStatus(api, waiting, 'requires_action');
    const queued = (await api.request<{ queued_message: QueuedMessage }>('POST', `/chats/${waiting}/messages`, { content: text('queued while waiting') })).body.queued_message;
    env.fake.enqueue({ kind: 'tools', calls: [{ id: 'call_ap', name: 'execute', args: JSON.stringify({ command: 'rm -rf build' }) }] });
    const approval = (await api.request<Chat>('POST', '/chats', { content: text('fixture four'), permission_mode: 'default' })).body.id;
    await waitChatStatus(api, approval, 'requires_action');
    const archived = (await api.request<Chat>('POST', '/chats', { content: text('fixture three') })).body.id;
    await waitChatStatus(api, archived, 'waiting');
    assert.equal((await api.request('PATCH', `/chats/${archived}`, { archived: true })).status, 204);
    const file = (await api.request<{ id: string }>('POST', '/chats/files?name=fixture.txt', 'fixture file', { 'Content-Type': 'text/plain' })).body.id;
    const messages = (await api.request<MessagesPage>('GET', `/chats/${done}/messages`)).body.messages.map((m) => m.id);
    const pools: Pools = { chats: [done, waiting, approval, archived], messages, queued: [queued.id], files: [file], toolCalls: ['call_fz', 'call_ap', 'call_none'] };
    const g = new Gen(prng(SEED), pools);

    const settled = () => settledSnapshot(env.dbPath);

    const failures: string[] = [];
    const fail = (msg: string) => { if (failures.length < 50) failures.push(msg); };
    const statuses = new Map<number, number>();
    const byRoute = new Map<string, { ok: number; rejected: number }>();
    let writes = 0;
    let checkedBatches = 0;
    let snap = await settled();
    const started = Date.now();

    for (let n = 0; n < COUNT; n += CONCURRENCY) {
      const batch = Array.from({ length: Math.min(CONCURRENCY, COUNT - n) }, (_, i) => makeRequest(g, n + i, api.token));
      const results = await Promise.all(batch.map((r) => send(api.url, agent, r).catch((err: Error) => err)));
      let wrote = false;
      results.forEach((res, i) => {
        const r = batch[i];
        if (res instanceof Error) {
          fail(`${describe(r)}\n  transport error: ${res.message}`);
          return;
        }
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const key = r.route ? `${r.route.http.verb} ${r.route.http.path}` : r.path.includes('/watch') ? 'GET /chats/watch' : 'GET /chats/{chat_id}/stream';
        const tally = byRoute.get(key) ?? { ok: 0, rejected: 0 };
        byRoute.set(key, tally);
        const ok = res.status >= 200 && res.status < 300;
        if (ok) tally.ok++;
        else tally.rejected++;
        if (res.status >= 500) fail(`${describe(r)}\n  → ${res.status} ${res.text.slice(0, 500)}`);
        else if (!ok) {
          const problem = errorShapeProblem(res);
          if (problem) fail(`${describe(r)}\n  → ${res.status} error body ${problem}: ${res.text.slice(0, 300)}`);
        } else if (res.status === 204 && res.text !== '') fail(`${describe(r)}\n  → 204 with a body`);
        if (ok && r.method !== 'GET') wrote = true;
      });
      if (wrote) {
        writes++;
        snap = await settled();
      } else {
        // Every request of the batch was rejected or only read: nothing may have changed.
        const after = dbSnapshot(env.dbPath);
        checkedBatches++;
        if (!sameSnapshot(after, snap)) {
          fail(`a batch of rejected or read-only requests changed the database (${JSON.stringify(snap.counts)} → ${JSON.stringify(after.counts)}):\n${batch.map((r, i) => `  ${describe(r).slice(0, 400)} → ${(results[i] as FuzzResponse).status}`).join('\n')}`);
          snap = await settled();
        }
      }
      if (api.child.exitCode !== null || api.child.signalCode !== null) {
        fail(`the server exited (${api.child.exitCode ?? api.child.signalCode}) during the batch from #${n}:\n${api.output().slice(-3000)}`);
        break;
      }
    }

    const seconds = (Date.now() - started) / 1000;
    console.log(`# ${COUNT} requests in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}; ${writes} batches wrote, ${checkedBatches} batches checked unchanged`);
    for (const [k, v] of [...byRoute].sort()) console.log(`#   ${k}: ${v.ok} ok, ${v.rejected} rejected`);
    assert.deepEqual(failures, [], `seed ${SEED}: ${failures.length} problem(s):\n${failures.join('\n\n')}`);
    assert.ok(checkedBatches > COUNT / CONCURRENCY / 3, `too few batches were checked for changes (${checkedBatches})`);
    // Every route was hit, and each both rejected something and (for most) accepted something.
    for (const route of ROUTES) assert.ok(byRoute.has(`${route.http.verb} ${route.http.path}`), `${route.http.verb} ${route.http.path} was never requested`);

    // The server is up and still serves what the fixtures made.
    assert.equal(api.child.exitCode, null);
    const info = await api.request<{ pid: number }>('GET', '/server');
    assert.equal(info.status, 200);
    assert.equal(info.body.pid, api.child.pid);
    const fixture = await api.request<Chat>('GET', `/chats/${done}`);
    assert.equal(fixture.status, 200);
    assert.doesNotMatch(api.output(), /HTTP API request failed/, 'no request failed inside the server');

    // The snapshot does see a change (so "unchanged" above means something).
    const quiet = await settled();
    assert.equal((await api.request('PATCH', `/chats/${done}`, { labels: { snapshot: 'check' } })).status, 204);
    assert.notEqual(dbSnapshot(env.dbPath).hash, quiet.hash);

    // A body past the limit is refused before it is read.
    const big = await send(api.url, agent, { n: -1, method: 'POST', path: '/chats', headers: { Authorization: `Bearer ${api.token}`, 'Content-Type': 'application/json' }, body: `{"content":"${'x'.repeat(17 * 1024 * 1024)}"}` }).catch((e: Error) => e);
    // The server may close the connection before the client has written all of it (EPIPE): then no status is seen.
    if (big instanceof Error) console.log(`# the 17 MB body ended in ${big.message}`);
    else {
      assert.equal(big.status, 413, big.text.slice(0, 200));
      assert.equal(errorShapeProblem(big), undefined);
    }
    assert.equal((await api.request('GET', '/server')).status, 200);
  } finally {
    agent.destroy();
    await api.stop();
    await env.cleanup();
  }
});
