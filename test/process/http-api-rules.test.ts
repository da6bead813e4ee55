// The HTTP API's rules, black-box over real HTTP against a running `serve`: authentication and transport
// (token, Host, loopback, port in use, rotation, the registry of live servers, 404/405, no CORS), every
// 400/409/429 of the routes with its exact message and the state left as it was, and the happy paths the
// rules guard (list filters, labels, pins, the message queue, uploads linked on send, approvals).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import type { Chat, ChatMessage, ChatsPage, MessagesPage, PendingAction, QueuedMessage, ToolDecisionRecord } from '../../server/protocol';
import {
  dbQuery, dbSnapshot, rawRequest, settledSnapshot, runCli, startApiServer, tokenFile, waitChatStatus, type ApiResponse, type ApiServer, type StartOptions,
} from '../support/apiServer';
import { setupEnv, text, type Env } from './helpers';

interface ErrorBody { message: string; detail?: string; validations: Array<{ field: string; detail: string }> }

let env: Env;
const servers: ApiServer[] = [];
beforeEach(async () => { env = await setupEnv(); });
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
  await env.cleanup();
});

const providerEnv = () => ({ OPENAI_BASE_URL: env.fake.url, OPENAI_API_KEY: 'test-key', OPENAI_MODEL: 'fake-model' });
async function serve(extra: Partial<StartOptions> = {}): Promise<ApiServer> {
  const s = await startApiServer({ db: env.dbPath, workspace: env.workspace, ...extra, env: { ...providerEnv(), ...extra.env } });
  servers.push(s);
  return s;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A 4xx with the seed's error shape; returns the body. */
function expectError(r: ApiResponse<unknown>, status: number, message: string | RegExp): ErrorBody {
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text}`);
  assert.match(String(r.headers['content-type']), /^application\/json/);
  const body = r.body as ErrorBody;
  assert.equal(typeof body.message, 'string', r.text);
  assert.ok(Array.isArray(body.validations), r.text);
  if (typeof message === 'string') assert.equal(body.message, message, r.text);
  else assert.match(body.message, message, r.text);
  return body;
}

const fields = (b: ErrorBody) => b.validations.map((v) => v.field);

// ---------------------------------------------------------------------------------------------------
// 1. Authentication and transport
// ---------------------------------------------------------------------------------------------------

test('auth and transport: 401 without or with a wrong token, 403 for a foreign Host, 404/405 as JSON, no CORS headers', async () => {
  const api = await serve();
  const none = await rawRequest(`${api.url}/chats`, {});
  expectError(none, 401, 'Unauthorized.');
  assert.equal(none.headers['www-authenticate'], 'Bearer');
  expectError(await rawRequest(`${api.url}/chats`, { headers: { Authorization: 'Bearer wrong-token' } }), 401, 'Unauthorized.');
  expectError(await rawRequest(`${api.url}/chats`, { headers: { Authorization: `Basic ${api.token}` } }), 401, 'Unauthorized.');
  // A token that only starts with the right one is not the token.
  expectError(await rawRequest(`${api.url}/chats`, { headers: { Authorization: `Bearer ${api.token}x` } }), 401, 'Unauthorized.');

  // DNS rebinding: a page on evil.example resolving to 127.0.0.1 is refused, even with the token.
  const evil = await api.request('GET', '/chats', undefined, { Host: 'evil.example' });
  expectError(evil, 403, 'Host not allowed.');
  expectError(await api.request('GET', '/chats', undefined, { Host: `evil.example:${api.port}` }), 403, 'Host not allowed.');
  expectError(await api.request('GET', '/chats', undefined, { Host: `127.0.0.1.evil.example:${api.port}` }), 403, 'Host not allowed.');
  assert.equal((await api.request('GET', '/chats', undefined, { Host: `localhost:${api.port}` })).status, 200);

  const unknown = await api.request('GET', '/nope');
  expectError(unknown, 404, 'Not found.');
  expectError(await api.request('GET', '/chats/x/y/z/w'), 404, 'Not found.');
  expectError(await rawRequest(`http://127.0.0.1:${api.port}/elsewhere`, { headers: { Authorization: `Bearer ${api.token}` } }), 404, 'Not found.');

  // A malformed escape in a path is the client's 400, not a URIError's 500; headers past Node's limit get JSON too.
  for (const [verb, route] of [['GET', '/chats/%zz'], ['GET', '/chats/%E0%A4%A/messages'], ['PATCH', '/chats/x/messages/%C0%AF'], ['GET', '/chats/%/stream']]) {
    const b = expectError(await api.request(verb, route, verb === 'PATCH' ? {} : undefined), 400, 'Invalid path.');
    assert.match(b.detail ?? '', /segment is not valid percent-encoded UTF-8/);
  }
  const hugeUrl = await api.request('GET', `/chats?q=${'x'.repeat(20_000)}`);
  expectError(hugeUrl, 431, 'Request headers too large.');

  const wrongVerb = await api.request('DELETE', '/chats');
  expectError(wrongVerb, 405, 'Method not allowed.');
  assert.deepEqual(String(wrongVerb.headers.allow).split(', ').sort(), ['GET', 'POST']);
  const putChat = await api.request('PUT', '/chats/some-id', {});
  expectError(putChat, 405, 'Method not allowed.');
  assert.deepEqual(String(putChat.headers.allow).split(', ').sort(), ['GET', 'PATCH']);

  // No CORS: neither a simple request nor a preflight gets an allow-origin header.
  const cors = await api.request('GET', '/chats', undefined, { Origin: 'http://evil.example' });
  assert.equal(cors.status, 200);
  assert.equal(cors.headers['access-control-allow-origin'], undefined);
  const preflight = await rawRequest(`${api.url}/chats`, { method: 'OPTIONS', headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' } });
  assert.equal(preflight.status, 401, 'a preflight carries no token');
  assert.equal(preflight.headers['access-control-allow-origin'], undefined);
  const optionsWithToken = await api.request('OPTIONS', '/chats', undefined, { Origin: 'http://evil.example' });
  expectError(optionsWithToken, 405, 'Method not allowed.');
  assert.equal(optionsWithToken.headers['access-control-allow-origin'], undefined);
  for (const r of [none, evil, unknown, wrongVerb]) assert.equal(r.headers['access-control-allow-origin'], undefined);
  assert.equal((await api.request<ChatsPage>('GET', '/chats')).body.chats.length, 0, 'nothing was created on the way');
});

test('serve refuses a non-loopback address and a taken port, exiting non-zero with the reason', async () => {
  const db = ['--db', env.dbPath, '--workspace', env.workspace];
  const wildcard = await runCli(['serve', '--http', '0.0.0.0:0', ...db], { ...providerEnv(), LOCAL_AGENTS_API_TOKEN: 't' });
  assert.notEqual(wildcard.code, 0);
  assert.match(wildcard.stderr, /loopback/);
  assert.doesNotMatch(wildcard.stdout, /Local Agents API:/);
  const lan = await runCli(['serve', '--http', '192.168.1.10:0', ...db], { ...providerEnv(), LOCAL_AGENTS_API_TOKEN: 't' });
  assert.notEqual(lan.code, 0);
  assert.match(lan.stderr, /loopback/);

  const first = await serve();
  const second = await runCli(['serve', '--http', `127.0.0.1:${first.port}`, ...db], { ...providerEnv(), LOCAL_AGENTS_API_TOKEN: 't' });
  assert.notEqual(second.code, 0);
  assert.match(second.stderr, new RegExp(`Port ${first.port} on 127\\.0\\.0\\.1 is in use`));
  // The first one still answers.
  assert.equal((await first.request('GET', '/server')).status, 200);
});

test('token file: made 0600, rotation makes the old token 401 within ~1.5 s and the new one 200; `api servers` lists the server until SIGTERM', async () => {
  const api = await serve({ env: { LOCAL_AGENTS_API_TOKEN: '' } });
  const file = tokenFile(env.dbPath);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const old = api.token;
  assert.match(old, /^la_[A-Za-z0-9_-]{20,}$/);
  assert.equal((await api.request('GET', '/server')).status, 200);
  assert.match(api.output(), new RegExp(`token: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), 'serve says where the token is, never the token');
  assert.doesNotMatch(api.output(), new RegExp(old));

  const cliEnv = { LOCAL_AGENTS_API_TOKEN: '' };
  const printed = await runCli(['api', 'token', '--db', env.dbPath], cliEnv);
  assert.equal(printed.code, 0, printed.stderr);
  assert.equal(printed.stdout.trim(), old);
  // With the variable set, the file is not the token: rotating it is refused.
  const refused = await runCli(['api', 'token', '--rotate', '--db', env.dbPath], { LOCAL_AGENTS_API_TOKEN: 'x' });
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /LOCAL_AGENTS_API_TOKEN is set/);

  const rotated = await runCli(['api', 'token', '--rotate', '--db', env.dbPath], cliEnv);
  assert.equal(rotated.code, 0, rotated.stderr);
  const fresh = rotated.stdout.trim();
  assert.notEqual(fresh, old);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const rotatedAt = Date.now();
  for (;;) {
    const r = await api.request('GET', '/server');
    if (r.status === 401) break;
    assert.equal(r.status, 200);
    assert.ok(Date.now() - rotatedAt < 1500, 'the old token still works 1.5 s after the rotation');
    await sleep(50);
  }
  api.token = fresh;
  assert.equal((await api.request('GET', '/server')).status, 200);

  const listed = await runCli(['api', 'servers', '--json', '--db', env.dbPath]);
  assert.equal(listed.code, 0, listed.stderr);
  const entries = JSON.parse(listed.stdout) as Array<{ url: string; pid: number; workspace: string }>;
  assert.deepEqual(entries.map((e) => [e.url, e.pid, e.workspace]), [[api.url, api.child.pid, env.workspace]]);
  const plain = await runCli(['api', 'servers', '--db', env.dbPath]);
  assert.match(plain.stdout, new RegExp(`${api.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+pid ${api.child.pid}`));

  api.child.kill('SIGTERM');
  await new Promise((r) => api.child.once('exit', r));
  assert.equal(api.child.exitCode, 0, api.output());
  const after = await runCli(['api', 'servers', '--json', '--db', env.dbPath]);
  assert.deepEqual(JSON.parse(after.stdout), []);
});

// ---------------------------------------------------------------------------------------------------
// 2. The 400/409/429 rules
// ---------------------------------------------------------------------------------------------------

test('create: every content, dynamic tool, model, MCP and label rule is a 400 with its message, and nothing is stored', async () => {
  const api = await serve();
  const before = dbSnapshot(env.dbPath);
  const create = (body: unknown) => api.request('POST', '/chats', body);

  expectError(await create({}), 400, 'Content is required.');
  expectError(await create({ content: [] }), 400, 'Content is required.');
  expectError(await create({ content: 'hello' }), 400, 'Content is required.');
  const empty = expectError(await create({ content: [{ type: 'text', text: '' }] }), 400, 'Invalid input part.');
  assert.equal(empty.detail, 'content[0].text cannot be empty.');
  assert.deepEqual(fields(empty), ['content.0.text']);
  const second = expectError(await create({ content: [{ type: 'text', text: 'ok' }, { type: 'text', text: '' }] }), 400, 'Invalid input part.');
  assert.equal(second.detail, 'content[1].text cannot be empty.');

  const unknownFile = expectError(await create({ content: [{ type: 'text', text: 'see' }, { type: 'file', file_id: 'no-such-file' }] }), 400, 'Invalid input part.');
  assert.equal(unknownFile.detail, 'content[1].file_id: no uploaded file with id no-such-file.');
  assert.deepEqual(fields(unknownFile), ['content.1.file_id']);
  const noId = expectError(await create({ content: [{ type: 'file' }] }), 400, 'Invalid input part.');
  assert.match(noId.detail ?? '', /^content\[0\] a file part needs file_id, or name and media_type\.$/);

  const emptyRef = expectError(await create({ content: [{ type: 'file-reference', file_name: '' }] }), 400, 'Invalid input part.');
  assert.deepEqual(fields(emptyRef), ['content.0.file_name']);
  assert.equal(emptyRef.detail, 'content[0].file_name cannot be empty.');
  const missingRef = expectError(await create({ content: [{ type: 'file-reference' }] }), 400, 'Invalid input part.');
  assert.deepEqual(fields(missingRef), ['content.0.file_name']);

  const unsupported = expectError(await create({ content: [{ type: 'image', url: 'http://x' }] }), 400, 'Invalid input part.');
  assert.equal(unsupported.detail, 'content[0].type unsupported part type (expected text, file or file-reference).');
  assert.deepEqual(fields(unsupported), ['content.0.type']);
  expectError(await create({ content: [42] }), 400, 'Invalid input part.');

  const tool = (name: string, extra: Record<string, unknown> = {}) => ({ name, input_schema: { type: 'object' }, ...extra });
  const many = Array.from({ length: 251 }, (_, i) => tool(`t${i}`));
  const tooMany = expectError(await create({ content: text('hi'), unsafe_dynamic_tools: many }), 400, 'Too many dynamic tools.');
  assert.deepEqual(fields(tooMany), ['unsafe_dynamic_tools']);
  expectError(await create({ content: text('hi'), unsafe_dynamic_tools: [tool('')] }), 400, 'Dynamic tool name must not be empty.');
  expectError(await create({ content: text('hi'), unsafe_dynamic_tools: [tool('   ')] }), 400, 'Dynamic tool name must not be empty.');
  expectError(await create({ content: text('hi'), unsafe_dynamic_tools: [{ input_schema: { type: 'object' } }] }), 400, 'Dynamic tool name must not be empty.');
  const dup = expectError(await create({ content: text('hi'), unsafe_dynamic_tools: [tool('a'), tool('b'), tool('a')] }), 400, 'Duplicate dynamic tool name.');
  assert.deepEqual(fields(dup), ['unsafe_dynamic_tools.2.name']);
  const notObject = expectError(await create({ content: text('hi'), unsafe_dynamic_tools: [tool('a', { input_schema: { type: 'string' } })] }), 400, /input_schema must be a JSON Schema of type "object"\./);
  assert.deepEqual(fields(notObject), ['unsafe_dynamic_tools.0.input_schema']);
  expectError(await create({ content: text('hi'), unsafe_dynamic_tools: [tool('a', { input_schema: [] })] }), 400, /input_schema must be a JSON Schema object\./);

  const model = expectError(await create({ content: text('hi'), model_config_id: 'no-such-model' }), 400, 'Invalid model config.');
  assert.match(model.detail ?? '', /no-such-model/);
  const mcp = expectError(await create({ content: text('hi'), mcp_server_ids: ['nope-1', 'nope-2'] }), 400, 'One or more MCP server IDs are invalid.');
  assert.equal(mcp.detail, 'Invalid IDs: nope-1, nope-2');
  assert.deepEqual(fields(mcp), ['mcp_server_ids']);

  // Labels: each error names the label and the field `labels`.
  const labels51 = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
  const cases: Array<[Record<string, string>, string]> = [
    [labels51, 'Invalid labels: too many labels (51); maximum is 50.'],
    [{ [`k${'x'.repeat(64)}`]: 'v' }, `Invalid labels: label key "k${'x'.repeat(64)}" exceeds maximum length of 64 bytes.`],
    [{ 'bad key!': 'v' }, 'Invalid labels: label key "bad key!" contains invalid characters; must match ^[a-zA-Z0-9][a-zA-Z0-9._/-]*$.'],
    [{ '.dot': 'v' }, 'Invalid labels: label key ".dot" contains invalid characters; must match ^[a-zA-Z0-9][a-zA-Z0-9._/-]*$.'],
    [{ env: '' }, 'Invalid labels: label value for key "env" must not be empty.'],
    [{ '': 'v' }, 'Invalid labels: label key must not be empty.'],
    [{ env: 'é'.repeat(129) }, 'Invalid labels: label value for key "env" exceeds maximum length of 256 bytes.'],
  ];
  for (const [labels, message] of cases) {
    const b = expectError(await create({ content: text('hi'), labels }), 400, message);
    assert.deepEqual(fields(b), ['labels'], message);
  }
  expectError(await create({ content: text('hi'), labels: { env: 5 } }), 400, /labels/);

  assert.deepEqual(dbSnapshot(env.dbPath), before, 'no rejected create stored anything');
  // (The server may have asked the provider for its model metadata at start: the context limit.)
  assert.equal(env.fake.requests.filter((r) => /\/(chat\/completions|responses)$/.test(r.path)).length, 0, 'no rejected create reached the model');
  // 50 labels, a 64-byte key and a 256-byte value are fine.
  const max = { ...Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, 'v'])), [`a${'b'.repeat(63)}`]: 'é'.repeat(128) };
  const ok = await create({ content: text('hi'), labels: max });
  assert.equal(ok.status, 201, ok.text);
  assert.deepEqual((ok.body as Chat).labels, max);
});

test('list: label filters AND-ed, bad filters 400, q title words and archived:, client_type', async () => {
  const api = await serve();
  const make = async (title: string, labels: Record<string, string>, clientType?: 'ui' | 'api') => {
    const r = await api.request<Chat>('POST', '/chats', { content: text(title), labels, ...(clientType ? { client_type: clientType } : {}) });
    assert.equal(r.status, 201, r.text);
    await waitChatStatus(api, r.body.id, 'waiting');
    // Renamed after the first turn, so a generated title does not replace it.
    assert.equal((await api.request('PATCH', `/chats/${r.body.id}`, { title })).status, 204);
    return r.body.id;
  };
  const a = await make('alpha deploy notes', { env: 'prod', team: 'core' });
  const b = await make('beta deploy', { env: 'prod', team: 'web' });
  const c = await make('gamma review', { env: 'dev', team: 'core' }, 'ui');
  const ids = async (query: string) => {
    const r = await api.request<ChatsPage>('GET', `/chats${query}`);
    assert.equal(r.status, 200, r.text);
    return r.body.chats.map((x) => x.id).sort();
  };
  assert.deepEqual(await ids(''), [a, b, c].sort());
  assert.deepEqual(await ids('?label=env:prod'), [a, b].sort());
  assert.deepEqual(await ids('?label=env:prod&label=team:core'), [a]);
  assert.deepEqual(await ids('?label=env:prod&label=team:nobody'), []);
  assert.deepEqual(await ids('?label=team:core'), [a, c].sort());
  assert.deepEqual(await ids(`?q=${encodeURIComponent('label:team:core deploy')}`), [a]);
  for (const bad of ['env', 'env:', ':prod', '']) {
    const r = await api.request('GET', `/chats?label=${encodeURIComponent(bad)}`);
    const body = expectError(r, 400, `Invalid label filter: "${bad}" (expected format key:value, both must be non-empty)`);
    assert.deepEqual(fields(body), ['label']);
  }
  assert.deepEqual(await ids('?q=deploy'), [a, b].sort());
  assert.deepEqual(await ids(`?q=${encodeURIComponent('deploy alpha')}`), [a]);
  assert.deepEqual(await ids('?q=nothing-like-this'), []);
  assert.deepEqual(await ids('?client_type=api'), [a, b].sort());
  assert.deepEqual(await ids('?client_type=ui'), [c]);
  expectError(await api.request('GET', '/chats?client_type=robot'), 400, /client_type/);

  assert.equal((await api.request('PATCH', `/chats/${b}`, { archived: true })).status, 204);
  assert.deepEqual(await ids('?q=deploy'), [a]);
  assert.deepEqual(await ids(`?q=${encodeURIComponent('archived:true')}`), [b]);
  assert.deepEqual(await ids(`?q=${encodeURIComponent('archived:true deploy')}`), [b]);
  assert.deepEqual(await ids(`?q=${encodeURIComponent('archived:false')}`), [a, c].sort());
  assert.deepEqual(await ids('?archived=true'), [b]);
  expectError(await api.request('GET', `/chats?q=${encodeURIComponent('archived:maybe')}`), 400, 'Invalid search query.');
  const paged = await api.request<ChatsPage>('GET', '/chats?limit=1');
  assert.equal(paged.body.chats.length, 1);
  assert.equal(paged.body.has_more, true);
  expectError(await api.request('GET', '/chats?limit=0'), 400, /limit/);
});

test('PATCH: labels absent keep, {} clears (204, no body); pin rules; archive twice; bad ids', async () => {
  const api = await serve();
  const created = await api.request<Chat>('POST', '/chats', { content: text('patch me'), labels: { env: 'prod' } });
  const id = created.body.id;
  await waitChatStatus(api, id, 'waiting');
  const get = async () => (await api.request<Chat>('GET', `/chats/${id}`)).body;

  const set = await api.request('PATCH', `/chats/${id}`, { labels: { env: 'dev', team: 'core' } });
  assert.equal(set.status, 204);
  assert.equal(set.text, '');
  assert.equal(set.headers['content-type'], undefined);
  assert.deepEqual((await get()).labels, { env: 'dev', team: 'core' });
  assert.equal((await api.request('PATCH', `/chats/${id}`, { title: 'renamed' })).status, 204);
  const kept = await get();
  assert.equal(kept.title, 'renamed');
  assert.deepEqual(kept.labels, { env: 'dev', team: 'core' }, 'labels absent: kept');
  const badLabels = expectError(await api.request('PATCH', `/chats/${id}`, { labels: { 'no spaces': 'x' } }), 400, /label key "no spaces" contains invalid characters/);
  assert.deepEqual(fields(badLabels), ['labels']);
  assert.deepEqual((await get()).labels, { env: 'dev', team: 'core' });
  const cleared = await api.request('PATCH', `/chats/${id}`, { labels: {} });
  assert.equal(cleared.status, 204);
  assert.equal(cleared.text, '');
  assert.deepEqual((await get()).labels, {});
  assert.deepEqual(dbQuery(env.dbPath, 'SELECT * FROM chat_labels WHERE chat_id = ?', id), []);

  const negative = expectError(await api.request('PATCH', `/chats/${id}`, { pin_order: -1 }), 400, 'Pin order must be non-negative.');
  assert.deepEqual(fields(negative), ['pin_order']);
  expectError(await api.request('PATCH', `/chats/${id}`, { pin_order: 1.5 }), 400, 'Pin order must be an integer.');
  expectError(await api.request('PATCH', `/chats/${id}`, { pin_order: 'first' }), 400, 'Pin order must be an integer.');
  assert.equal((await get()).pin_order, 0);
  assert.equal((await api.request('PATCH', `/chats/${id}`, { pin_order: 7 })).status, 204);
  assert.equal((await get()).pin_order, 1, 'a new pin goes to the end of the pinned list');
  expectError(await api.request('PATCH', `/chats/${id}`, { title: '   ' }), 400, 'Title must not be empty.');

  assert.equal((await api.request('PATCH', `/chats/${id}`, { archived: true })).status, 204);
  const archived = await get();
  assert.equal(archived.archived, true);
  assert.equal(archived.pin_order, 0, 'archiving unpins');
  const twice = expectError(await api.request('PATCH', `/chats/${id}`, { archived: true }), 400, 'Chat is already archived.');
  assert.deepEqual(fields(twice), ['archived']);
  const pinArchived = expectError(await api.request('PATCH', `/chats/${id}`, { pin_order: 1 }), 400, 'Cannot pin an archived chat.');
  assert.deepEqual(fields(pinArchived), ['pin_order']);
  // Unarchive and a bad pin in one request: the whole request is refused, the chat stays archived.
  expectError(await api.request('PATCH', `/chats/${id}`, { archived: false, pin_order: -1 }), 400, 'Pin order must be non-negative.');
  assert.equal((await get()).archived, true);
  expectError(await api.request('POST', `/chats/${id}/messages`, { content: text('hi') }), 400, 'Cannot send to an archived chat.');
  assert.equal((await api.request('PATCH', `/chats/${id}`, { archived: false })).status, 204);
  expectError(await api.request('PATCH', `/chats/${id}`, { archived: false }), 400, 'Chat is already not archived.');

  expectError(await api.request('GET', '/chats/no-such-chat'), 404, 'Chat not found.');
  expectError(await api.request('PATCH', '/chats/no-such-chat', { title: 'x' }), 404, 'Chat not found.');
});

test('messages: limits, edit ids, the queue (full at 20: 429; DELETE 204; promote goes first) and has_more', async () => {
  const api = await serve();
  env.fake.enqueue({ kind: 'hang' });
  const created = await api.request<Chat>('POST', '/chats', { content: text('first') });
  const id = created.body.id;
  await waitChatStatus(api, id, 'running');

  for (const limit of ['0', '201', '-1', 'abc', '1.5']) {
    const b = expectError(await api.request('GET', `/chats/${id}/messages?limit=${limit}`), 400, 'Invalid limit parameter (1-200).');
    assert.deepEqual(fields(b), ['limit']);
  }
  const page1 = await api.request<MessagesPage>('GET', `/chats/${id}/messages?limit=200`);
  assert.equal(page1.status, 200);
  const firstMessage = page1.body.messages[0];

  const queued: QueuedMessage[] = [];
  for (let i = 1; i <= 20; i++) {
    const r = await api.request<{ queued: boolean; queued_message: QueuedMessage }>('POST', `/chats/${id}/messages`, { content: text(`q${i}`) });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.queued, true);
    queued.push(r.body.queued_message);
  }
  const before = dbSnapshot(env.dbPath);
  const full = expectError(await api.request('POST', `/chats/${id}/messages`, { content: text('q21') }), 429, 'Message queue is full.');
  assert.equal(full.detail, 'Maximum 20 messages can be queued.');
  expectError(await api.request('POST', `/chats/${id}/messages`, { content: text('q21'), busy_behavior: 'interrupt' }), 429, 'Message queue is full.');
  assert.deepEqual(dbSnapshot(env.dbPath), before, 'a full queue takes nothing, and the interrupt did not happen');
  assert.equal((await api.request<Chat>('GET', `/chats/${id}`)).body.status, 'running');

  const page = await api.request<MessagesPage>('GET', `/chats/${id}/messages`);
  assert.deepEqual(page.body.queued_messages.map((q) => (q.content[0] as { text: string }).text), queued.map((_, i) => `q${i + 1}`));
  assert.equal(page.body.has_more, false);
  // Only the first page carries the queue.
  const older = await api.request<MessagesPage>('GET', `/chats/${id}/messages?before_id=${firstMessage.id + 1}`);
  assert.deepEqual(older.body.queued_messages, []);

  // Edit: the id must be a positive integer and name a user message of this chat.
  const abc = expectError(await api.request('PATCH', `/chats/${id}/messages/abc`, { content: text('x') }), 400, /^Invalid chat message ID\.$/);
  assert.equal(abc.detail, 'Message ID must be a positive integer.');
  assert.deepEqual(fields(abc), ['message_id']);
  const zero = expectError(await api.request('PATCH', `/chats/${id}/messages/0`, { content: text('x') }), 400, /^Invalid chat message ID\.$/);
  assert.equal(zero.detail, 'Message ID must be a positive integer.');
  expectError(await api.request('PATCH', `/chats/${id}/messages/999999`, { content: text('x') }), 404, 'Chat message not found.');
  expectError(await api.request('PATCH', `/chats/${id}/messages/${firstMessage.id}`, {}), 400, 'Content is required.');

  const del = await api.request('DELETE', `/chats/${id}/queue/${queued[4].id}`);
  assert.equal(del.status, 204);
  assert.equal(del.text, '');
  expectError(await api.request('DELETE', `/chats/${id}/queue/${queued[4].id}`), 404, /not found/i);
  expectError(await api.request('DELETE', `/chats/${id}/queue/abc`), 400, /queued_message_id/);
  assert.equal(dbQuery(env.dbPath, 'SELECT id FROM chat_queued_messages WHERE chat_id = ?', id).length, 19);

  // Promote q10 while the turn runs: the run stops, q10 goes next, the rest follow in their order.
  const promoted = await api.request<{ queued: boolean }>('POST', `/chats/${id}/queue/${queued[9].id}/promote`);
  assert.equal(promoted.status, 200, promoted.text);
  await waitChatStatus(api, id, 'waiting', 30_000);
  const until = Date.now() + 30_000;
  let all: MessagesPage;
  for (;;) {
    all = (await api.request<MessagesPage>('GET', `/chats/${id}/messages?limit=200`)).body;
    const chat = (await api.request<Chat>('GET', `/chats/${id}`)).body;
    if (all.queued_messages.length === 0 && chat.status === 'waiting') break;
    assert.ok(Date.now() < until, 'the queue did not drain');
    await sleep(100);
  }
  const userTexts = all.messages.filter((m: ChatMessage) => m.role === 'user').map((m) => (m.content[0] as { text: string }).text);
  const rest = queued.map((_, i) => `q${i + 1}`).filter((t) => t !== 'q5' && t !== 'q10');
  assert.deepEqual(userTexts, ['first', 'q10', ...rest]);
  expectError(await api.request('POST', `/chats/${id}/queue/${queued[0].id}/promote`), 404, /not found/i);

  const two = await api.request<MessagesPage>('GET', `/chats/${id}/messages?limit=2`);
  assert.equal(two.body.messages.length, 2);
  assert.equal(two.body.has_more, true);
  assert.deepEqual(two.body.queued_messages, []);
  const last = all.messages.at(-1)!;
  assert.deepEqual(two.body.messages.map((m) => m.id), all.messages.slice(-2).map((m) => m.id));
  const next = await api.request<MessagesPage>('GET', `/chats/${id}/messages?limit=2&before_id=${two.body.messages[0].id}`);
  assert.deepEqual(next.body.messages.map((m) => m.id), all.messages.slice(-4, -2).map((m) => m.id));
  assert.ok(last.role === 'assistant');

  // Editing an assistant message is refused.
  expectError(await api.request('PATCH', `/chats/${id}/messages/${last.id}`, { content: text('x') }), 400, 'Only user messages can be edited.');
});

test('tool-results, decisions and plan approval on a chat that waits for nothing: 409 with the status', async () => {
  const api = await serve();
  const created = await api.request<Chat>('POST', '/chats', { content: text('hi') });
  const id = created.body.id;
  await waitChatStatus(api, id, 'waiting');
  const before = await settledSnapshot(env.dbPath);
  const r = expectError(await api.request('POST', `/chats/${id}/tool-results`, { results: [{ tool_call_id: 'call_x', output: { ok: true } }] }), 409, 'Chat is not waiting for tool results.');
  assert.equal(r.detail, 'Chat status is "waiting", expected "requires_action".');
  expectError(await api.request('POST', `/chats/${id}/tool-results`, { results: [] }), 400, 'At least one tool result is required.');
  expectError(await api.request('POST', `/chats/${id}/tool-results`, {}), 400, 'At least one tool result is required.');
  expectError(await api.request('POST', '/chats/no-such-chat/tool-results', { results: [{ tool_call_id: 'a', output: 1 }] }), 404, 'Chat not found.');
  expectError(await api.request('POST', `/chats/${id}/decisions`, { tool_call_id: 'call_x', decision: 'deny' }), 404, 'Pending action not found.');
  expectError(await api.request('POST', `/chats/${id}/decisions`, { tool_call_id: 'call_x', decision: 'maybe' }), 400, 'Decision must be allow_once, allow_chat, allow_always or deny.');
  // A chat in the default mode has no plan to approve: nothing is sent, the mode stays.
  const plan = expectError(await api.request('POST', `/chats/${id}/plan/approve`, {}), 409, 'Chat is not in plan mode.');
  assert.match(plan.detail ?? '', /mode is default/);
  assert.deepEqual(dbSnapshot(env.dbPath), before);
});

test('uploads: POST /chats/files 201 {id}, GET returns the bytes and media type; a file part links it once and the model reads it', async () => {
  const api = await serve();
  const notes = 'secret notes: the answer is 42\n';
  const up = await api.request<{ id: string }>('POST', '/chats/files?name=notes.txt', notes, { 'Content-Type': 'text/plain' });
  assert.equal(up.status, 201, up.text);
  assert.match(up.body.id, /\S/);
  const got = await rawRequest(`${api.url}/chats/files/${up.body.id}`, { headers: { Authorization: `Bearer ${api.token}` } });
  assert.equal(got.status, 200);
  assert.equal(got.headers['content-type'], 'text/plain');
  assert.equal(got.text, notes);
  assert.equal(got.headers['content-disposition'], "attachment; filename*=UTF-8''notes.txt");
  assert.equal(got.headers['x-content-type-options'], 'nosniff');

  // Binary bytes survive exactly; the name may come from Content-Disposition.
  const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const bin = await api.request<{ id: string }>('POST', '/chats/files', bytes, { 'Content-Type': 'application/octet-stream', 'Content-Disposition': 'attachment; filename="blob.bin"' });
  assert.equal(bin.status, 201, bin.text);
  const back = await new Promise<Buffer>((resolve, reject) => {
    void import('node:http').then((http) => http.get(`${api.url}/chats/files/${bin.body.id}`, { headers: { Authorization: `Bearer ${api.token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks)));
    }).on('error', reject));
  });
  assert.deepEqual(back, bytes);
  assert.deepEqual(dbQuery(env.dbPath, 'SELECT name, media_type, size FROM chat_files WHERE id = ?', bin.body.id), [{ name: 'blob.bin', media_type: 'application/octet-stream', size: 256 }]);

  // filename= is taken as it is (RFC 6266), filename*= is percent-decoded.
  const percent = await api.request<{ id: string }>('POST', '/chats/files', 'p', { 'Content-Type': 'text/plain', 'Content-Disposition': 'attachment; filename="100%.txt"' });
  assert.equal(percent.status, 201, percent.text);
  const utf8 = await api.request<{ id: string }>('POST', '/chats/files', 'u', { 'Content-Type': 'text/plain', 'Content-Disposition': "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.txt" });
  assert.equal(utf8.status, 201, utf8.text);
  assert.deepEqual([percent.body.id, utf8.body.id].map((fid) => dbQuery<{ name: string }>(env.dbPath, 'SELECT name FROM chat_files WHERE id = ?', fid)[0].name), ['100%.txt', 'résumé.txt']);

  const before = dbSnapshot(env.dbPath);
  const badName = expectError(await api.request('POST', '/chats/files', 'x', { 'Content-Type': 'text/plain', 'Content-Disposition': "attachment; filename*=UTF-8''%E0%A4%A.txt" }), 400, 'Invalid file name.');
  assert.deepEqual(fields(badName), ['name']);
  assert.deepEqual(fields(expectError(await api.request('POST', '/chats/files', 'x', { 'Content-Type': 'text/plain' }), 400, /^Name is required\.$/)), ['name']);
  assert.deepEqual(fields(expectError(await api.request('POST', '/chats/files?name=a.txt', 'x', { 'Content-Type': 'not a type' }), 400, /media_type must be a MIME type such as text\/plain\./)), ['media_type']);
  const noType = await rawRequest(`${api.url}/chats/files?name=a.txt`, { method: 'POST', headers: { Authorization: `Bearer ${api.token}` }, body: 'x' });
  assert.deepEqual(fields(expectError(noType, 400, /media_type is required\./)), ['media_type']);
  expectError(await api.request('GET', '/chats/files/no-such-file'), 404, 'File not found.');
  assert.deepEqual(dbSnapshot(env.dbPath), before, 'rejected uploads store nothing');

  const created = await api.request<Chat>('POST', '/chats', { content: [{ type: 'text', text: 'summarize the file' }, { type: 'file', file_id: up.body.id }] });
  assert.equal(created.status, 201, created.text);
  const id = created.body.id;
  await waitChatStatus(api, id, 'waiting');
  const sent = await api.request('POST', `/chats/${id}/messages`, { content: [{ type: 'text', text: 'again' }, { type: 'file', file_id: up.body.id }] });
  assert.equal(sent.status, 200, sent.text);
  await waitChatStatus(api, id, 'waiting');
  const chat = (await api.request<Chat>('GET', `/chats/${id}`)).body;
  assert.deepEqual(chat.files?.map((f) => [f.id, f.name, f.media_type, f.size, f.kind]), [[up.body.id, 'notes.txt', 'text/plain', Buffer.byteLength(notes), 'attachment']]);
  const turns = env.fake.requests.filter((r) => r.stream);
  assert.equal(turns.length, 2);
  assert.ok(JSON.stringify(turns[0].messages).includes('the answer is 42'), 'the model got the file\'s text');
  // The stored user message carries the file part with its id.
  const messages = (await api.request<MessagesPage>('GET', `/chats/${id}/messages`)).body.messages;
  const filePart = messages[0].content.find((p) => p.type === 'file') as { file_id?: string; name: string } | undefined;
  assert.equal(filePart?.file_id, up.body.id);
  assert.equal(filePart?.name, 'notes.txt');
});

test('approvals over HTTP: execute waits, deny with a reason resumes the chat, a second decision 409s; serve --allow runs it without asking', async () => {
  const build = path.join(env.workspace, 'build');
  mkdirSync(build);
  writeFileSync(path.join(build, 'out.txt'), 'artifact');
  let api = await serve();
  const rm = { kind: 'tools' as const, calls: [{ id: 'call_rm', name: 'execute', args: JSON.stringify({ command: 'rm -rf build' }) }] };
  env.fake.enqueue(rm, { kind: 'text', text: 'I will not delete it.' });
  const created = await api.request<Chat>('POST', '/chats', { content: text('clean up'), permission_mode: 'default' });
  assert.equal(created.status, 201, created.text);
  const id = created.body.id;
  await waitChatStatus(api, id, 'requires_action');
  const pending = await api.request<PendingAction[]>('GET', `/chats/${id}/pending-actions`);
  assert.deepEqual(pending.body.map((a) => [a.tool_call_id, a.kind, a.tool_name, a.state]), [['call_rm', 'approval', 'execute', 'pending']]);
  assert.deepEqual(pending.body[0].needs.map((n) => n.subject), ['rm -rf build']);
  // It waits, but for a person: not a client's result.
  const notDynamic = expectError(await api.request('POST', `/chats/${id}/tool-results`, { results: [{ tool_call_id: 'call_rm', output: 'done' }] }), 409, 'Chat is not waiting for tool results.');
  assert.equal(notDynamic.detail, 'It waits for an approval, not a client tool.');
  expectError(await api.request('POST', `/chats/${id}/decisions`, { tool_call_id: 'call_rm', decision: 'nope' }), 400, 'Decision must be allow_once, allow_chat, allow_always or deny.');
  assert.ok(existsSync(path.join(build, 'out.txt')));

  const decided = await api.request<{ action: PendingAction; chat: Chat }>('POST', `/chats/${id}/decisions`, { tool_call_id: 'call_rm', decision: 'deny', reason: 'no' });
  assert.equal(decided.status, 200, decided.text);
  assert.equal(decided.body.action.state, 'denied');
  await waitChatStatus(api, id, 'waiting');
  assert.ok(existsSync(path.join(build, 'out.txt')), 'a denied command does not run');
  const messages = (await api.request<MessagesPage>('GET', `/chats/${id}/messages`)).body.messages;
  const result = messages.flatMap((m) => m.content).find((p) => p.type === 'tool-result') as { tool_call_id: string; result: unknown };
  assert.equal(result.tool_call_id, 'call_rm');
  assert.deepEqual(result.result, { error: 'denied by the user: no' });
  assert.match(JSON.stringify(env.fake.requests.filter((r) => r.stream).at(-1)?.messages), /denied by the user: no/);
  const again = expectError(await api.request('POST', `/chats/${id}/decisions`, { tool_call_id: 'call_rm', decision: 'allow_once' }), 409, 'Chat is not waiting for a decision.');
  assert.match(again.detail ?? '', /waiting/);
  const audit = (await api.request<ToolDecisionRecord[]>('GET', `/chats/${id}/tool-decisions`)).body;
  assert.deepEqual(audit.map((a) => [a.tool_call_id, a.decision, a.decided_by, a.reason]), [['call_rm', 'ask', 'mode', audit[0].reason], ['call_rm', 'deny', 'user', 'no']]);
  await api.stop();

  // The same call with the rule on the command line runs at once.
  api = await serve({ args: ['--allow', 'execute(rm -rf build)'] });
  env.fake.enqueue(rm, { kind: 'text', text: 'Deleted.' });
  const second = await api.request<Chat>('POST', '/chats', { content: text('clean up'), permission_mode: 'default' });
  const id2 = second.body.id;
  await waitChatStatus(api, id2, 'waiting');
  assert.equal(existsSync(build), false, 'the allowed command ran');
  const audit2 = (await api.request<ToolDecisionRecord[]>('GET', `/chats/${id2}/tool-decisions`)).body;
  assert.deepEqual(audit2.map((a) => [a.tool_call_id, a.subject, a.decision, a.decided_by, a.rule, a.source, a.outcome]), [['call_rm', 'rm -rf build', 'allow', 'rule', 'execute(rm -rf build)', 'cli', 'ok']]);
  // serve's --allow rules are listed beside the user's, marked as this process's own (GET settings).
  const settings = (await api.request<{ permissions: { rules: Array<{ rule: string; list: string; source: string }> } }>('GET', '/chats/config/settings')).body;
  assert.ok(settings.permissions.rules.some((r) => r.rule === 'execute(rm -rf build)' && r.list === 'allow' && r.source === 'cli'), JSON.stringify(settings.permissions.rules));
  assert.deepEqual((await api.request<PendingAction[]>('GET', `/chats/${id2}/pending-actions`)).body, []);
});

test('serve --allow rules stay out of settings.json when "always allow" saves another rule', async () => {
  const api = await serve({ args: ['--allow', 'execute(rm -rf build)'] });
  env.fake.enqueue({ kind: 'tools', calls: [{ id: 'call_w', name: 'write_file', args: JSON.stringify({ path: 'a.txt', content: 'x' }) }] }, { kind: 'text', text: 'ok' });
  const id = (await api.request<Chat>('POST', '/chats', { content: text('write'), permission_mode: 'default' })).body.id;
  await waitChatStatus(api, id, 'requires_action');
  const r = await api.request('POST', `/chats/${id}/decisions`, { tool_call_id: 'call_w', decision: 'allow_always' });
  assert.equal(r.status, 200, r.text);
  await waitChatStatus(api, id, 'waiting');
  const saved = JSON.parse(readFileSync(path.join(env.dir, 'settings.json'), 'utf8')) as Record<string, string[]>;
  assert.ok(saved['localAgents.permissions.allow'].includes('write_file(a.txt)'), JSON.stringify(saved));
  assert.ok(!saved['localAgents.permissions.allow'].includes('execute(rm -rf build)'), `a one-off --allow rule was made permanent: ${JSON.stringify(saved)}`);
});
