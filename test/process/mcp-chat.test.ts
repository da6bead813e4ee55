// A chat in the real server process uses a real MCP server (server-everything over stdio): the model
// sees `everything__echo` with the model_intent wrapper, calls it, and the intent labels the call.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import * as P from '../../server/protocol';
import type { Chat, ChatMessage } from '../../server/protocol';
import { CreateMcpServer, type McpServerConfig } from '../../server/protocol';
import { EVERYTHING } from '../mcp/appHarness';
import { setupEnv, text, type Env } from './helpers';

let env: Env;
beforeEach(async () => { env = await setupEnv(); });
afterEach(async () => { await env.cleanup(); });

test('a scripted chat calls an MCP tool end to end, with its model_intent label', async () => {
  const s = await env.start();
  // MCP tools ask by default; the user's rule allows this one (as VS Code's settings would hand it over).
  await s.request(P.UpdateSettings, { permissions: { allow: ['everything__echo'] } });
  const server = await s.request<unknown, McpServerConfig>(CreateMcpServer, {
    slug: 'everything', display_name: 'Everything', transport: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'], enabled: true, model_intent: true,
  });
  env.fake.enqueue(
    { kind: 'tools', calls: [{ name: 'everything__echo', args: JSON.stringify({ model_intent: 'Echo a greeting back', properties: { message: 'hi there' } }) }] },
    { kind: 'text', text: 'The server echoed it.' },
  );
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('use the echo tool'), mcp_server_ids: [server.id] });
  await s.waitForStatus(chat.id, ['waiting'], 30_000);
  const first = env.fake.requests.find((r) => r.stream)!;
  const offered = (first.tools ?? []).map((t) => (t as { function: { name: string; parameters: { required?: string[] } } }).function);
  const echo = offered.find((t) => t.name === 'everything__echo');
  assert.ok(echo, 'the MCP tool is offered');
  assert.deepEqual(echo.parameters.required, ['model_intent', 'properties']);
  const msgs = (await s.request<unknown, P.MessagesPage>(P.GetMessages, { chat_id: chat.id })).messages as ChatMessage[];
  const callPart = msgs[1].content.find((p) => p.type === 'tool-call');
  assert.ok(callPart && callPart.type === 'tool-call');
  assert.equal(callPart.model_intent, 'Echo a greeting back');
  assert.equal(callPart.mcp_server_config_id, server.id);
  const resultPart = msgs[2].content[0];
  assert.ok(resultPart.type === 'tool-result');
  assert.equal(resultPart.is_error, undefined);
  assert.match(JSON.stringify(resultPart.result), /Echo: hi there/);
  assert.deepEqual(resultPart.decision && { by: resultPart.decision.by, rule: resultPart.decision.rule, source: resultPart.decision.source }, { by: 'rule', rule: 'everything__echo', source: 'user' });
  assert.deepEqual(msgs.at(-1)!.content, text('The server echoed it.'));

  // Plan mode: a server without allow_in_plan_mode is not offered.
  env.fake.enqueue({ kind: 'text', text: 'planning without MCP' });
  await s.request(P.SendMessage, { chat_id: chat.id, content: text('plan now'), mode: 'plan' });
  await s.waitFor(() => env.fake.requests.filter((r) => r.stream).length === 3, 15_000, 'plan request');
  await s.waitFor(() => (s.events.get(chat.id) ?? []).filter((e) => e.type === 'status' && e.status === 'waiting').length >= 2, 15_000, 'plan turn done');
  const planReq = env.fake.requests.filter((r) => r.stream)[2];
  assert.ok(!(planReq.tools ?? []).some((t) => (t as { function: { name: string } }).function.name.startsWith('everything__')));
  assert.ok((s.events.get(chat.id) ?? []).some((e) => e.type === 'notice' && /Everything/.test(e.message)), 'the skipped server is reported: ' + JSON.stringify((s.events.get(chat.id) ?? []).filter((e) => e.type !== 'message_part').map((e) => e.type)));
  await s.stop();
});

test("an MCP tool's image reaches the model as an image part after the tool message, not as base64 text", async () => {
  const s = await env.start();
  await s.request(P.UpdateSettings, { permissions: { allow: ['everything__get-tiny-image'] } });
  const server = await s.request<unknown, McpServerConfig>(CreateMcpServer, {
    slug: 'everything', display_name: 'Everything', transport: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'], enabled: true,
  });
  env.fake.enqueue(
    { kind: 'tools', calls: [{ name: 'everything__get-tiny-image', args: '{}' }] },
    { kind: 'text', text: 'It is the MCP logo.' },
  );
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('show me the image'), mcp_server_ids: [server.id] });
  await s.waitForStatus(chat.id, ['waiting'], 30_000);
  const second = env.fake.requests.filter((r) => r.stream)[1];
  const messages = (second.body as { messages: Array<{ role: string; content: unknown }> }).messages;
  const toolIndex = messages.findIndex((m) => m.role === 'tool');
  const tool = messages[toolIndex];
  assert.ok(!String(tool.content).includes('iVBORw0KGgo'), 'no base64 in the tool message');
  assert.match(String(tool.content), /sent as image 1 of call .* in the next user message/);
  const images = messages[toolIndex + 1] as { role: string; content: Array<{ type: string; image_url?: { url: string } }> };
  assert.equal(images.role, 'user');
  const part = images.content.find((c) => c.type === 'image_url');
  assert.match(part?.image_url?.url ?? '', /^data:image\/png;base64,iVBORw0KGgo/);
  // The stored result keeps the image (the panel shows it; a later request may send it again).
  const msgs = (await s.request<unknown, P.MessagesPage>(P.GetMessages, { chat_id: chat.id })).messages as ChatMessage[];
  assert.match(JSON.stringify(msgs.find((m) => m.role === 'tool')?.content), /iVBORw0KGgo/);
  await s.stop();
});
