// Plan mode, explore subagents and context files, scripted through the fake model.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import * as P from '../../server/protocol';
import type { Chat, ChatMessage, ModelConfig, ToolResultPart } from '../../server/protocol';
import type { CapturedRequest, FakeReply } from '../fakes/fakeOpenAI';
import { setupEnv, text, type Env } from './helpers';

let env: Env;
beforeEach(async () => { env = await setupEnv(); });
afterEach(async () => { await env.cleanup(); });

type Server = Awaited<ReturnType<Env['start']>>;
const messages = async (s: Server, chatId: string) => (await s.request<unknown, P.MessagesPage>(P.GetMessages, { chat_id: chatId, limit: 200 })).messages;
const results = (msgs: ChatMessage[]) => msgs.flatMap((m) => m.content.filter((p): p is ToolResultPart => p.type === 'tool-result'));
const systemOf = (r: CapturedRequest) => String((r.messages?.[0] as { content?: string } | undefined)?.content ?? '');
const toolNames = (r: CapturedRequest) => (r.tools ?? []).map((t) => (t as { function: { name: string } }).function.name);
const planPathOf = (r: CapturedRequest) => /the plan file: (\S+?)\.\s/.exec(systemOf(r))?.[1];
const call = (name: string, args: unknown): FakeReply => ({ kind: 'tools', calls: [{ name, args: JSON.stringify(args) }] });

test('plan mode: writes outside the plan file are refused, propose_plan validates, links and stops the turn', async () => {
  const s = await env.start();
  let step = 0;
  env.fake.setHandler((req) => {
    if (!req.stream) return { kind: 'title', title: 'Plan' };
    const plan = planPathOf(req)!;
    step++;
    if (step === 1) return call('write_file', { path: 'src/impl.js', content: 'no' });
    if (step === 2) return call('propose_plan', { path: 'notes.txt' });
    if (step === 3) return call('propose_plan', { path: plan });
    if (step === 4) return call('write_file', { path: plan, content: '# Plan\n\n1. Do the thing.\n' });
    if (step === 5) return call('propose_plan', { path: plan });
    return { kind: 'text', text: 'should not be reached' };
  });
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('plan a feature'), mode: 'plan' });
  await s.waitForStatus(chat.id, ['waiting'], 20_000);
  const streamed = env.fake.requests.filter((r) => r.stream);
  assert.equal(streamed.length, 5, 'the turn ended right after a valid propose_plan');
  assert.ok(toolNames(streamed[0]).includes('propose_plan'));
  assert.ok(!toolNames(streamed[0]).includes('message_agent'), 'message_agent is never offered in plan mode');
  const r = results(await messages(s, chat.id));
  assert.match(JSON.stringify(r[0].result), /Plan mode: write_file may only write the plan file/);
  assert.equal(existsSync(path.join(env.workspace, 'src/impl.js')), false);
  assert.match(JSON.stringify(r[1].result), /must be a \.md file|is not this chat's plan file/);
  assert.match(JSON.stringify(r[2].result), /does not exist/);
  assert.equal(r[3].is_error, undefined);
  assert.equal((r[4].result as { kind: string }).kind, 'plan');
  const plan = await s.request<unknown, P.ChatPlan>(P.GetChatPlan, { chat_id: chat.id });
  assert.equal(plan.proposed, true);
  assert.equal(plan.path, path.join(env.workspace, '.agents/plans', `PLAN-${chat.id}.md`));
  assert.match(plan.content ?? '', /Do the thing/);
  const files = await s.request<unknown, P.ChatFile[]>(P.ListChatFiles, { chat_id: chat.id });
  assert.deepEqual(files.map((f) => f.kind), ['plan']);

  // Approve: the chat leaves plan mode and implements; implementation tools are offered again.
  env.fake.setHandler((req) => (req.stream ? { kind: 'text', text: 'implementing' } : undefined));
  await s.request(P.SendMessage, { chat_id: chat.id, content: text('Approved. Implement it.'), mode: 'default' });
  await s.waitFor(() => env.fake.requests.filter((q) => q.stream).length === 6, 10_000, 'implementation request');
  const impl = env.fake.requests.filter((q) => q.stream)[5];
  assert.ok(!toolNames(impl).includes('propose_plan'));
  assert.ok(toolNames(impl).includes('write_file'));
  assert.doesNotMatch(systemOf(impl), /PLAN MODE/);
  await s.stop();
});

test('an oversized plan is refused', async () => {
  const s = await env.start();
  let step = 0;
  env.fake.setHandler((req) => {
    if (!req.stream) return undefined;
    const plan = planPathOf(req)!;
    step++;
    if (step === 1) return call('write_file', { path: plan, content: 'x'.repeat(33 * 1024) });
    if (step === 2) return call('propose_plan', { path: plan });
    return { kind: 'text', text: 'ok, shorter next time' };
  });
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('plan'), mode: 'plan' });
  await s.waitForStatus(chat.id, ['waiting'], 20_000);
  const r = results(await messages(s, chat.id));
  assert.match(JSON.stringify(r[1].result), /limit is 32768/);
  assert.equal((await s.request<unknown, P.ChatPlan>(P.GetChatPlan, { chat_id: chat.id })).proposed, false);
  await s.stop();
});

test('ask_user_question stops the turn; the answer resumes the chat', async () => {
  const s = await env.start();
  const questions = [{ header: 'Scope', question: 'Which part first?', options: [{ label: 'API', description: 'the HTTP API' }, { label: 'UI', description: 'the panel' }] }];
  env.fake.enqueue(call('ask_user_question', { questions }), { kind: 'text', text: 'Starting with the API.' });
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('plan it'), mode: 'plan' });
  await s.waitForStatus(chat.id, ['waiting']);
  const r = results(await messages(s, chat.id));
  assert.deepEqual(r[0].result, { questions });
  assert.equal(env.fake.requests.filter((q) => q.stream).length, 1);
  await s.request(P.SendMessage, { chat_id: chat.id, content: text('API') });
  await s.waitFor(() => env.fake.requests.filter((q) => q.stream).length === 2, 10_000, 'resumed');
  await s.waitForStatus(chat.id, ['waiting']);
  const last = (await messages(s, chat.id)).at(-1)!;
  assert.deepEqual(last.content, text('Starting with the API.'));
  await s.stop();
});

test('explore agents read but cannot write or spawn; the parent gets the report; context is inherited', async () => {
  writeFileSync(path.join(env.workspace, 'AGENTS.md'), 'Always answer in haiku.\n');
  mkdirSync(path.join(env.workspace, '.agents/skills/release'), { recursive: true });
  writeFileSync(path.join(env.workspace, '.agents/skills/release/SKILL.md'), '---\nname: release\ndescription: How to cut a release\n---\nRun the release script.\n');
  const s = await env.start();
  const [turnModel] = await s.request<unknown, ModelConfig[]>(P.ListModelConfigs, {});
  // A broken override is treated as unset: the child uses the turn's model.
  const settings = await s.request<unknown, P.ServerSettingsInfo>(P.UpdateSettings, { explore_model: 'no-such-model' });
  assert.match(settings.explore_model_status, /treated as unset/);
  let childStep = 0;
  env.fake.setHandler((req) => {
    if (!req.stream) return undefined;
    const sys = systemOf(req);
    if (sys.includes('explore agent')) {
      childStep++;
      if (childStep === 1) return call('write_file', { path: 'hack.txt', content: 'x' });
      if (childStep === 2) return call('spawn_explore_agent', { prompt: 'nested' });
      if (childStep === 3) return call('read_file', { path: 'README.md' });
      return { kind: 'text', text: 'REPORT: the README says hello world.' };
    }
    const last = (req.messages as Array<{ role: string }>).at(-1)!;
    if (last.role === 'tool') return { kind: 'text', text: 'The explorer found: hello world.' };
    return call('spawn_explore_agent', { prompt: 'Find what the README says.', title: 'Read README' });
  });
  const parent = await s.request<unknown, Chat>(P.CreateChat, { content: text('investigate'), client_type: 'ui' });
  await s.waitFor(() => (s.events.get(parent.id) ?? []).some((e) => e.type === 'message' && JSON.stringify(e.message.content).includes('The explorer found')), 30_000, 'parent answer');
  const children = (await s.request<unknown, { chats: Chat[] }>(P.ListChats, { parent_chat_id: parent.id })).chats;
  assert.equal(children.length, 1);
  const child = children[0];
  assert.equal(child.mode, 'explore');
  assert.equal(child.client_type, 'ui', 'children inherit client_type');
  assert.equal(child.root_chat_id, parent.id);
  assert.equal(child.last_model_config_id, turnModel.id);
  assert.equal(existsSync(path.join(env.workspace, 'hack.txt')), false);
  const childReqs = env.fake.requests.filter((r) => r.stream && systemOf(r).includes('explore agent'));
  assert.deepEqual(toolNames(childReqs[0]).sort(), ['execute', 'process_output', 'read_file', 'read_skill', 'read_skill_file']);
  const childResults = results(await messages(s, child.id));
  assert.match(JSON.stringify(childResults[0].result), /not available to explore agents/);
  assert.match(JSON.stringify(childResults[1].result), /not available to explore agents/);
  const parentResults = results(await messages(s, parent.id));
  assert.match(JSON.stringify(parentResults[0].result), /REPORT: the README says hello world/);
  // Context: the parent's first request carried AGENTS.md and the skill; the child has the same context.
  const parentFirst = env.fake.requests.find((r) => r.stream && !systemOf(r).includes('explore agent'))!;
  assert.match(JSON.stringify(parentFirst.messages), /Always answer in haiku/);
  assert.match(systemOf(parentFirst), /<available-skills>[\s\S]*release: How to cut a release/);
  assert.match(JSON.stringify(childReqs[0].messages), /Always answer in haiku/);
  const ctxMeta = await s.request<unknown, P.InjectedContext>(P.GetChatContext, { chat_id: child.id });
  assert.deepEqual(ctxMeta.files.map((f) => path.basename(f.path)), ['AGENTS.md']);
  assert.deepEqual(ctxMeta.skills, [{ name: 'release', description: 'How to cut a release' }]);
  assert.equal(JSON.stringify(ctxMeta).includes('haiku'), false, 'metadata only, no content');
  // Pinning a child is refused.
  await assert.rejects(s.request(P.UpdateChat, { chat_id: child.id, pin_order: 1 }), /Cannot pin a child chat/);
  await s.stop();
});

test('an explore model override that names a model is used; context clear re-reads the defaults', async () => {
  writeFileSync(path.join(env.workspace, 'AGENTS.md'), 'v1 instructions\n');
  const s = await env.start();
  const [main] = await s.request<unknown, ModelConfig[]>(P.ListModelConfigs, {});
  const small = await s.request<unknown, ModelConfig>(P.CreateModelConfig, { provider_id: main.provider_id, model: 'fake-model-large', context_limit: 1000 });
  const settings = await s.request<unknown, P.ServerSettingsInfo>(P.UpdateSettings, { explore_model: 'fake-model-large' });
  assert.equal(settings.explore_model_status, 'ok');
  env.fake.setHandler((req) => {
    if (!req.stream) return undefined;
    if (systemOf(req).includes('explore agent')) return { kind: 'text', text: 'child report' };
    const last = (req.messages as Array<{ role: string }>).at(-1)!;
    return last.role === 'tool' ? { kind: 'text', text: 'done' } : call('spawn_explore_agent', { prompt: 'look' });
  });
  const parent = await s.request<unknown, Chat>(P.CreateChat, { content: text('go') });
  await s.waitForStatus(parent.id, ['waiting'], 20_000);
  const [child] = (await s.request<unknown, { chats: Chat[] }>(P.ListChats, { parent_chat_id: parent.id })).chats;
  assert.equal(child.last_model_config_id, small.id);
  assert.equal(env.fake.requests.find((r) => r.stream && systemOf(r).includes('explore agent'))?.model, 'fake-model-large');

  writeFileSync(path.join(env.workspace, 'AGENTS.md'), 'v2 instructions\n');
  const cleared = await s.request<unknown, { deleted_message_ids: number[] }>(P.ClearChatContext, { chat_id: parent.id });
  assert.equal(cleared.deleted_message_ids.length, 1);
  env.fake.setHandler((req) => (req.stream ? { kind: 'text', text: 'again' } : undefined));
  await s.request(P.SendMessage, { chat_id: parent.id, content: text('again') });
  await s.waitFor(() => (s.events.get(parent.id) ?? []).some((e) => e.type === 'message' && JSON.stringify(e.message.content).includes('again"')), 10_000, 'second turn');
  const lastReq = env.fake.requests.filter((r) => r.stream).at(-1)!;
  assert.match(JSON.stringify(lastReq.messages), /v2 instructions/);
  assert.doesNotMatch(JSON.stringify(lastReq.messages), /v1 instructions/);
  await s.stop();
});

test('interrupting the parent interrupts its running subagent', async () => {
  const s = await env.start();
  env.fake.setHandler((req) => {
    if (!req.stream) return undefined;
    if (systemOf(req).includes('subagent')) return { kind: 'hang' };
    return call('spawn_explore_agent', { prompt: 'take forever' });
  });
  const parent = await s.request<unknown, Chat>(P.CreateChat, { content: text('go') });
  let childId = '';
  await s.waitFor(() => {
    const created = s.watch.find((w) => w.kind === 'created' && w.chat.parent_chat_id === parent.id);
    if (created) childId = created.chat.id;
    return !!childId && (s.events.get(childId) ?? []).some((e) => e.type === 'status' && e.status === 'running');
  }, 15_000, 'child running');
  await s.request(P.InterruptChat, { chat_id: parent.id });
  await s.waitForStatus(childId, ['waiting'], 10_000);
  await s.waitForStatus(parent.id, ['waiting'], 10_000);
  await s.stop();
});

test('delegated subagents: spawn_agent, wait_agent, message_agent, list_agents', async () => {
  const s = await env.start();
  let childId = '';
  let parentStep = 0;
  env.fake.setHandler((req) => {
    if (!req.stream) return undefined;
    const msgs = req.messages as Array<{ role: string; content?: string }>;
    if (systemOf(req).includes('subagent working for another agent')) {
      const lastUser = [...msgs].reverse().find((m) => m.role === 'user')?.content ?? '';
      return { kind: 'text', text: lastUser.includes('follow-up') ? 'child: follow-up done' : 'child: wrote nothing, all good' };
    }
    parentStep++;
    const lastTool = msgs.at(-1)?.role === 'tool' ? String(msgs.at(-1)?.content) : '';
    if (parentStep === 1) return call('spawn_agent', { type: 'general', prompt: 'check the repo', title: 'Checker' });
    if (parentStep === 2) { childId = /"chat_id":"([^"]+)"/.exec(lastTool)![1]; return call('wait_agent', { chat_id: childId, timeout_seconds: 20 }); }
    if (parentStep === 3) return call('message_agent', { chat_id: childId, message: 'follow-up please' });
    if (parentStep === 4) return call('wait_agent', { chat_id: childId, timeout_seconds: 20 });
    if (parentStep === 5) return call('list_agents', {});
    return { kind: 'text', text: 'parent done' };
  });
  const parent = await s.request<unknown, Chat>(P.CreateChat, { content: text('delegate') });
  await s.waitFor(() => (s.events.get(parent.id) ?? []).some((e) => e.type === 'message' && JSON.stringify(e.message.content).includes('parent done')), 30_000, 'parent done');
  const r = results(await messages(s, parent.id));
  assert.equal((r[0].result as { type: string }).type, 'general');
  assert.match(JSON.stringify(r[1].result), /child: wrote nothing, all good/);
  assert.equal((r[1].result as { timed_out: boolean }).timed_out, false);
  assert.match(JSON.stringify(r[3].result), /child: follow-up done/);
  assert.deepEqual((r[4].result as { agents: Array<{ chat_id: string; title: string }> }).agents.map((a) => [a.chat_id, a.title]), [[childId, 'Checker']]);
  // The child knows which call of the parent started it (the panel shows its transcript inside that call).
  const spawnCall = (await messages(s, parent.id)).flatMap((m) => m.content).find((p) => p.type === 'tool-call' && p.tool_name === 'spawn_agent');
  const child = await s.request<unknown, Chat>(P.GetChat, { chat_id: childId });
  assert.ok(spawnCall && spawnCall.type === 'tool-call');
  assert.equal(child.parent_tool_call_id, spawnCall.tool_call_id);
  const listed = await s.request<unknown, { chats: Chat[] }>(P.ListChats, { parent_chat_id: parent.id });
  assert.deepEqual(listed.chats.map((c) => [c.id, c.parent_tool_call_id]), [[childId, spawnCall.tool_call_id]]);
  // The child may not delegate further.
  const childReq = env.fake.requests.find((q) => q.stream && systemOf(q).includes('subagent working'))!;
  assert.ok(!toolNames(childReq).includes('spawn_agent'));
  assert.ok(toolNames(childReq).includes('write_file'), 'a general subagent may edit');
  // The parent's cost view includes the child.
  const cost = await s.request<unknown, { rows: Array<{ key: string }> }>(P.CostSummary, { chat_id: parent.id, group_by: 'chat' });
  assert.deepEqual(cost.rows.map((x) => x.key).sort(), [parent.id, childId].sort());
  await s.stop();
});
