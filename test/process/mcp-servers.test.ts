// Real MCP servers from npm (server-everything over stdio, streamable HTTP and SSE; server-filesystem
// over stdio) through the hook the agent loop calls: tools listed as slug__tool, calls with model_intent
// unwrapped, results converted, elicitation forwarded, failures reported while the others go on.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { defFromRow, requireConfigRow } from '../../server/mcp/configStore';
import { attachMcpClientBridge, mcpRuntime } from '../../server/mcp/runtime';
import { currentMcpServer, mcpToolsForTurn, type McpTurnTool } from '../../server/mcp/turnTools';
import { gateToolCall } from '../../server/permissions/gate';
import { emptyRules } from '../../server/permissions/rules';
import type { McpElicitParams } from '../../server/protocol';
import * as M from '../../server/protocol';
import { EVERYTHING, FILESYSTEM, startEverythingHttp, startHarness, type Harness } from '../mcp/appHarness';
import { startFakeOpenAI } from '../fakes/fakeOpenAI';

const find = (tools: McpTurnTool[], name: string): McpTurnTool => {
  const t = tools.find((x) => x.definition.name === name);
  assert.ok(t, `tool ${name} not offered; offered: ${tools.map((x) => x.definition.name).join(', ')}`);
  return t;
};

describe('MCP with real servers', () => {
  let h: Harness;
  let http: Awaited<ReturnType<typeof startEverythingHttp>>;
  let sse: Awaited<ReturnType<typeof startEverythingHttp>>;
  const elicitations: McpElicitParams[] = [];
  before(async () => {
    h = await startHarness();
    [http, sse] = await Promise.all([startEverythingHttp('streamableHttp'), startEverythingHttp('sse')]);
    attachMcpClientBridge(h.app.ctx, {
      elicit: async (p) => {
        elicitations.push(p);
        return { action: 'accept', content: { name: 'Ada Lovelace', check: true } };
      },
    });
  });
  after(async () => {
    await h.close();
    await Promise.all([http.stop(), sse.stop()]);
  });

  test('server-everything over stdio: slug__tool names, model_intent wrapped and unwrapped, results converted, elicitation defaults applied, session reused', async () => {
    const everything = await h.addServer({ slug: 'everything', display_name: 'Everything', transport: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'], enabled: true, model_intent: true });
    const chat = await h.createChat({ mcp_server_ids: [everything.id] });
    const { tools, failures, warnings } = await mcpToolsForTurn(h.app.ctx, { ...chat, parent_chat_id: null });
    assert.deepEqual(failures, []);
    assert.deepEqual(warnings, []);
    const echo = find(tools, 'everything__echo');
    assert.equal(echo.serverId, everything.id);
    const params = echo.definition.parameters as { required: string[]; properties: { properties: { properties: { message: unknown } } } };
    assert.deepEqual(params.required, ['model_intent', 'properties']);
    assert.ok(params.properties.properties.properties.message, 'original schema is under properties');

    const ac = new AbortController();
    const wrapped = await echo.run(JSON.stringify({ model_intent: 'Echoing a greeting', properties: { message: 'hello' } }), ac.signal, 'call-1');
    assert.deepEqual(wrapped, { result: 'Echo: hello', is_error: false, model_intent: 'Echoing a greeting' });
    const flat = await echo.run(JSON.stringify({ model_intent: 'Echo flat', message: 'flat' }), ac.signal, 'call-2');
    assert.equal(flat.result, 'Echo: flat');

    const sum = await find(tools, 'everything__get-sum').run(JSON.stringify({ model_intent: 'Adding', properties: { a: 2, b: 40 } }), ac.signal, 'call-3');
    assert.match(String(sum.result), /42/);

    const image = await find(tools, 'everything__get-tiny-image').run('{"model_intent":"Image","properties":{}}', ac.signal, 'call-4');
    const parts = (image.result as { content: Array<{ type: string; mime_type?: string; size_bytes?: number }> }).content;
    const img = parts.find((p) => p.type === 'image');
    assert.equal(img?.mime_type, 'image/png');
    assert.ok((img?.size_bytes ?? 0) > 0);

    const structured = await find(tools, 'everything__get-structured-content').run('{"model_intent":"Weather","properties":{"location":"New York"}}', ac.signal, 'call-5');
    assert.ok((structured.result as { structured_content?: unknown }).structured_content, 'structured content kept');

    const links = await find(tools, 'everything__get-resource-links').run('{"model_intent":"Links","properties":{"count":2}}', ac.signal, 'call-6');
    assert.equal((links.result as { content: Array<{ type: string }> }).content.filter((p) => p.type === 'resource_link').length, 2);

    const el = await find(tools, 'everything__trigger-elicitation-request').run('{"model_intent":"Asking the user","properties":{}}', ac.signal, 'call-7');
    assert.equal(el.is_error, false, JSON.stringify(el.result));
    assert.equal(elicitations.length, 1);
    assert.equal(elicitations[0]?.server_id, everything.id);
    assert.equal(elicitations[0]?.chat_id, chat.id);
    const text = JSON.stringify(el.result);
    assert.match(text, /Ada Lovelace/);
    assert.match(text, /It was a dark and stormy night/, 'the schema default was applied to an omitted field');

    // Reused across turns: the same pooled session, the same child process.
    const rt = mcpRuntime(h.app.ctx);
    const def = defFromRow(requireConfigRow(h.app.ctx.db, everything.id));
    const first = await rt.pool.acquire(def, rt.authIdentity(def));
    const again = await mcpToolsForTurn(h.app.ctx, { ...chat, parent_chat_id: null });
    assert.equal(again.tools.length, tools.length);
    assert.equal(await rt.pool.acquire(def, rt.authIdentity(def)), first);
    assert.ok(first.pid && first.pid > 0);
  });

  test('server-everything over streamable HTTP and SSE and server-filesystem over stdio in one turn; allow list, deny list and force_on apply', async () => {
    const dir = path.join(h.dir, 'files');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'notes.txt'), 'remember the milk\n');
    const web = await h.addServer({ slug: 'web', display_name: 'Everything HTTP', transport: 'streamable_http', url: http.url, enabled: true, tool_allow_list: ['echo', 'get-sum'], tool_deny_list: ['echo'] });
    const legacy = await h.addServer({ slug: 'legacy', display_name: 'Everything SSE', transport: 'sse', url: sse.url, enabled: true, tool_deny_list: ['get-env'] });
    const fs = await h.addServer({ slug: 'fs', display_name: 'Filesystem', transport: 'stdio', command: process.execPath, args: [FILESYSTEM, dir], enabled: true, availability: 'force_on' });
    const chat = await h.createChat({ mcp_server_ids: [web.id, legacy.id] });
    const { tools, failures } = await mcpToolsForTurn(h.app.ctx, { ...chat, parent_chat_id: null });
    assert.deepEqual(failures, []);
    const names = tools.map((t) => t.definition.name);
    assert.deepEqual(names.filter((n) => n.startsWith('web__')), ['web__echo', 'web__get-sum'], 'the allow list wins over the deny list');
    assert.ok(names.includes('legacy__echo'));
    assert.ok(!names.includes('legacy__get-env'), 'the deny list excludes');
    assert.ok(names.includes('fs__read_text_file'), 'force_on servers join without being selected');
    assert.deepEqual([...names].sort(), names, 'sorted by name');

    const ac = new AbortController();
    assert.equal((await find(tools, 'web__echo').run('{"message":"over http"}', ac.signal, 'c1')).result, 'Echo: over http');
    assert.equal((await find(tools, 'legacy__echo').run('{"message":"over sse"}', ac.signal, 'c2')).result, 'Echo: over sse');
    const read = await find(tools, 'fs__read_text_file').run(JSON.stringify({ path: path.join(dir, 'notes.txt') }), ac.signal, 'c3');
    assert.equal(read.is_error, false, JSON.stringify(read.result));
    assert.match(JSON.stringify(read.result), /remember the milk/);
    const outside = await find(tools, 'fs__read_text_file').run(JSON.stringify({ path: '/etc/hostname' }), ac.signal, 'c4');
    assert.equal(outside.is_error, true, 'the server refuses paths outside its roots and the error reaches the model');

    await h.call(M.UpdateMcpServer.method, { server_id: fs.id, availability: 'default_off' });
  });

  test('a failing server is reported (which, why) and the others go on; plan mode keeps only allowed servers, checked again at call time', async () => {
    const ok = await h.addServer({ slug: 'ok', display_name: 'OK', transport: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'], enabled: true, allow_in_plan_mode: true });
    const broken = await h.addServer({ slug: 'broken', display_name: 'Broken', transport: 'stdio', command: process.execPath, args: ['-e', 'console.error("missing config file /nope.json"); process.exit(3)'], enabled: true });
    const refused = await h.addServer({ slug: 'refused', display_name: 'Refused', transport: 'streamable_http', url: 'http://127.0.0.1:9/mcp', enabled: true });
    const chat = await h.createChat({ mcp_server_ids: [ok.id, broken.id, refused.id] });
    const started = Date.now();
    const r = await mcpToolsForTurn(h.app.ctx, { ...chat, parent_chat_id: null });
    assert.ok(Date.now() - started < 10_000);
    assert.ok(r.tools.some((t) => t.definition.name === 'ok__echo'));
    const byServer = Object.fromEntries(r.failures.map((f) => [f.server, f]));
    assert.deepEqual(Object.keys(byServer).sort(), ['Broken', 'Refused']);
    assert.match(byServer.Broken?.reason ?? '', /missing config file \/nope\.json/, 'the stdio server\'s stderr says why');
    assert.match(byServer.Refused?.reason ?? '', /ECONNREFUSED|fetch failed/);

    const plan = await mcpToolsForTurn(h.app.ctx, { ...chat, mode: 'plan', parent_chat_id: null });
    assert.deepEqual([...new Set(plan.tools.map((t) => t.serverId))], [ok.id]);
    assert.ok(plan.warnings.some((w) => w.includes('"Broken"') && w.includes('plan mode')), plan.warnings.join('\n'));
    const child = await mcpToolsForTurn(h.app.ctx, { ...chat, mode: 'plan', parent_chat_id: chat.id });
    assert.equal(child.tools.length, 0, 'planning subagents get no MCP tools');

    // Built in default mode, called after the server lost allow_in_plan_mode and the chat went to plan mode:
    // the gate judges the call against the server as it is now (as the turn runner does), even in bypass.
    assert.ok(find(r.tools, 'ok__echo'));
    await h.call(M.UpdateMcpServer.method, { server_id: ok.id, allow_in_plan_mode: false });
    const server = currentMcpServer(h.app.ctx, ok.id)!;
    const refusedCall = gateToolCall({ name: 'ok__echo', kind: 'mcp', server, args: { message: 'x' } }, {
      scope: { mode: 'plan', isRoot: true, rootMode: 'plan' }, trusted: true, policy: { mode: 'bypass', rules: emptyRules() }, folder: null, roots: [],
    });
    assert.deepEqual([refusedCall.decision, refusedCall.reason], ['deny', 'This MCP server is not allowed in plan mode.']);
  });

  test('sampling: a server that enables it gets its answer from the chat\'s model; without it the server is not offered sampling', async () => {
    const fake = await startFakeOpenAI({ apiKey: 'sample-key' });
    const hs = await startHarness({ baseUrl: fake.url, apiKey: 'sample-key' });
    try {
      fake.setHandler((req) => (req.stream ? undefined : { kind: 'text', text: 'A sampled answer from the chat model.' }));
      const on = await hs.addServer({ slug: 'sampler', display_name: 'Sampler', transport: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'], enabled: true, sampling_enabled: true });
      const off = await hs.addServer({ slug: 'nosampling', display_name: 'No sampling', transport: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'], enabled: true });
      const chat = await hs.createChat({ mcp_server_ids: [on.id, off.id] });
      const { tools } = await mcpToolsForTurn(hs.app.ctx, { ...chat, parent_chat_id: null });
      assert.ok(!tools.some((t) => t.definition.name === 'nosampling__trigger-sampling-request'), 'a server without sampling does not offer its sampling tool');
      const ac = new AbortController();
      const r = await find(tools, 'sampler__trigger-sampling-request').run(JSON.stringify({ prompt: 'Say something', maxTokens: 42 }), ac.signal, 'call-s');
      assert.equal(r.is_error, false, JSON.stringify(r.result));
      assert.match(JSON.stringify(r.result), /A sampled answer from the chat model\./);
      const sent = fake.requests.find((q) => !q.stream && q.path.endsWith('/chat/completions'));
      assert.ok(sent, 'the model was asked');
      assert.equal(sent.model, 'fake-model');
      assert.equal(sent.body.max_tokens ?? sent.body.max_completion_tokens, 42);
      const msgs = sent.messages as Array<{ role: string; content: string }>;
      assert.deepEqual(msgs.map((m) => m.role), ['system', 'user']);
      assert.match(msgs[1].content, /Say something/);
    } finally {
      await hs.close();
      await fake.close();
    }
  });
});
