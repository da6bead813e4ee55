import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HANDLERS } from '../handlers';
import * as Mcp from './mcp';
import * as M from './methods';
import { PARAMS } from './schemas';

const entries = Object.entries(M).filter(([, v]) => v && typeof v === 'object' && 'kind' in v && 'method' in v) as Array<[string, { kind: string; method: string }]>;

test('every request is in the table, with a params schema and a handler; method names are unique', () => {
  const requests = entries.filter(([, e]) => e.kind === 'request').map(([name]) => name).sort();
  assert.ok(requests.length > 45, `${requests.length} requests`);
  assert.deepEqual(Object.keys(M.REQUESTS).sort(), requests);
  assert.deepEqual(Object.keys(PARAMS).sort(), requests);
  assert.deepEqual(Object.keys(HANDLERS).sort(), requests);
  for (const name of requests) assert.equal(typeof HANDLERS[name as M.RequestName], 'function', name);
  const methods = entries.map(([, e]) => e.method);
  assert.equal(new Set(methods).size, methods.length, 'method names are unique');
  for (const m of methods) assert.match(m, /^localAgents\//);
});

test('HTTP routes are unique, and their path params exist in the params schema', () => {
  const seen = new Set<string>();
  for (const [name, e] of Object.entries(M.REQUESTS)) {
    if (!e.http) continue;
    assert.ok(e.expose.includes('http'), `${name} has a route but is not exposed over HTTP`);
    const key = `${e.http.verb} ${e.http.path.replace(/\{[^}]+\}/g, '{}')}`;
    assert.ok(!seen.has(key), `two requests on ${key}`);
    seen.add(key);
    const shape = (PARAMS[name as M.RequestName] as unknown as { shape: Record<string, unknown> }).shape;
    for (const [, p] of e.http.path.matchAll(/\{([^}]+)\}/g)) assert.ok(p in shape, `${name}: {${p}} is not a param`);
  }
  for (const [name, e] of Object.entries(M.REQUESTS)) if (e.expose.includes('http')) assert.ok(e.http, `${name} is exposed over HTTP without a route`);
});

test('the webview may relay exactly the requests exposed to it, and no request that takes or sets a secret', () => {
  const webview = Object.values(M.REQUESTS).filter((e) => e.expose.includes('webview')).map((e) => e.method);
  assert.deepEqual([...M.WEBVIEW_METHODS].sort(), webview.sort());
  for (const secretBearing of [M.SetProviderKey, M.SetMcpSecret, M.CreateMcpServer, M.UpdateMcpServer, M.FetchProviderModels, M.TestProvider, M.UpdateSettings, M.SetWorkspace, M.GetApiAccess]) {
    assert.ok(!M.WEBVIEW_METHODS.has(secretBearing.method), secretBearing.method);
  }
});

test('the secret kinds the extension knows are the schema\'s', () => {
  assert.deepEqual(Mcp.McpSecretKindSchema.options, [...M.MCP_SECRET_KINDS]);
});

test('clients may not give a chat the computer_use mode: it belongs to subagents spawn_computer_use_agent starts', () => {
  const content = [{ type: 'text', text: 'hi' }];
  for (const [name, params] of [['CreateChat', { content }], ['SendMessage', { chat_id: 'c', content }], ['UpdateChat', { chat_id: 'c' }]] as const) {
    const parsed = PARAMS[name].safeParse({ ...params, mode: 'computer_use' });
    assert.equal(parsed.success, false, name);
    assert.deepEqual(parsed.error?.issues[0]?.path, ['mode'], name);
    assert.match(parsed.error?.issues[0]?.message ?? '', /computer_use is the mode of subagents/);
    assert.equal(PARAMS[name].safeParse({ ...params, mode: 'explore' }).success, true, `${name} explore`);
  }
});
