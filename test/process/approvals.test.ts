// Approvals in a real server process: a call that needs a decision waits in requires_action (persisted, so a
// restart loses nothing), the decision is one request, the first one wins, and the audit records what ran.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import * as P from '../../server/protocol';
import type { Chat, ChatMessage, PendingAction, ToolResultPart } from '../../server/protocol';
import type { FakeReply } from '../fakes/fakeOpenAI';
import { CLI_JS } from '../support/serverProcess';
import { setupEnv, text, type Env } from './helpers';

let env: Env;
beforeEach(async () => { env = await setupEnv(); });
afterEach(async () => { await env.cleanup(); });

type Server = Awaited<ReturnType<Env['start']>>;
const call = (...calls: Array<[string, unknown]>): FakeReply => ({ kind: 'tools', calls: calls.map(([name, args]) => ({ name, args: JSON.stringify(args) })) });
const messages = async (s: Server, chatId: string) => (await s.request<unknown, P.MessagesPage>(P.GetMessages, { chat_id: chatId, limit: 200 })).messages;
const results = (msgs: ChatMessage[]) => msgs.flatMap((m) => m.content.filter((p): p is ToolResultPart => p.type === 'tool-result'));
const statusOf = async (s: Server, id: string) => (await s.request<unknown, Chat>(P.GetChat, { chat_id: id })).status;
const pending = (s: Server, id: string, include_subagents = false) => s.request<unknown, PendingAction[]>(P.ListPendingActions, { chat_id: id, include_subagents });

test('a write asks: the read of the same step runs at once, the chat waits, allow once runs it, the audit says who decided', async () => {
  const s = await env.start();
  env.fake.enqueue(
    call(['read_file', { path: 'README.md' }], ['write_file', { path: 'notes/a.txt', content: 'approved\n' }]),
    { kind: 'text', text: 'wrote it' },
  );
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('write a note') });
  await s.waitForStatus(chat.id, ['requires_action']);
  assert.ok((s.events.get(chat.id) ?? []).some((e) => e.type === 'action_required' && e.actions.length === 1), 'the stream says what waits');
  const [action] = await pending(s, chat.id);
  assert.equal(action.tool_name, 'write_file');
  assert.deepEqual(action.needs.map((n) => n.rule), ['write_file(notes/a.txt)']);
  const before = results(await messages(s, chat.id));
  assert.deepEqual(before.map((r) => r.tool_name), ['read_file'], 'the allowed call ran while the other waits');
  assert.equal(existsSync(path.join(env.workspace, 'notes/a.txt')), false, 'nothing written before the decision');

  const decided = await s.request<unknown, P.DecideResult>(P.DecideToolCall, { chat_id: chat.id, tool_call_id: action.tool_call_id, decision: 'allow_once' });
  assert.equal(decided.action.state, 'allowed');
  assert.equal(decided.chat.status, 'pending');
  await s.waitForStatus(chat.id, ['waiting']);
  assert.equal(readFileSync(path.join(env.workspace, 'notes/a.txt'), 'utf8'), 'approved\n');
  const after = results(await messages(s, chat.id));
  assert.deepEqual(after.map((r) => [r.tool_name, r.decision?.by]), [['read_file', 'mode'], ['write_file', 'user']]);
  // The model saw both results before it answered.
  assert.equal((env.fake.requests.filter((r) => r.stream).at(-1)?.messages as Array<{ role: string }>).filter((m) => m.role === 'tool').length, 2);
  const audit = await s.request<unknown, P.ToolDecisionRecord[]>(P.ListToolDecisions, { chat_id: chat.id });
  assert.deepEqual(audit.map((a) => [a.tool_name, a.decision, a.decided_by, a.outcome]), [
    ['read_file', 'allow', 'mode', 'ok'], ['write_file', 'ask', 'mode', null], ['write_file', 'allow', 'user', 'ok'],
  ]);
  // A second decision on the same call: 409, and nothing changes.
  await assert.rejects(s.request(P.DecideToolCall, { chat_id: chat.id, tool_call_id: action.tool_call_id, decision: 'deny' }), /Chat is not waiting for a decision|already decided/);
  await s.stop();
});

test('deny with a reason: the model reads it; bad decisions name the field', async () => {
  const s = await env.start();
  env.fake.enqueue(call(['execute', { command: 'rm -rf build' }]), { kind: 'text', text: 'ok, I will not' });
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('clean up') });
  await s.waitForStatus(chat.id, ['requires_action']);
  const [action] = await pending(s, chat.id);
  assert.deepEqual(action.needs.map((n) => n.subject), ['rm -rf build']);
  await assert.rejects(s.request(P.DecideToolCall, { chat_id: chat.id, tool_call_id: action.tool_call_id, decision: 'maybe' }), (e: { data?: { field?: string } }) => e.data?.field === 'decision');
  await assert.rejects(s.request(P.DecideToolCall, { chat_id: chat.id, tool_call_id: 'nope', decision: 'deny' }), /Pending action not found/);
  await assert.rejects(s.request(P.DecideToolCall, { chat_id: chat.id, tool_call_id: action.tool_call_id, decision: 'allow_always', rules: ['execute('] }), (e: { data?: { field?: string } }) => e.data?.field === 'rules.0');
  await s.request(P.DecideToolCall, { chat_id: chat.id, tool_call_id: action.tool_call_id, decision: 'deny', reason: 'keep the build folder' });
  await s.waitForStatus(chat.id, ['waiting']);
  const r = results(await messages(s, chat.id));
  assert.deepEqual(r[0].result, { error: 'denied by the user: keep the build folder' });
  const sent = JSON.stringify(env.fake.requests.filter((q) => q.stream).at(-1)?.messages);
  assert.match(sent, /denied by the user: keep the build folder/);
  await s.stop();
});

test('allow for this chat and always allow: the rule covers the next call; "always" is handed to the client to keep', async () => {
  const s = await env.start();
  const added: string[][] = [];
  s.conn.onNotification(P.PermissionRulesAddedNotification.method, (p: P.PermissionRulesAddedParams) => { added.push(p.rules); });
  env.fake.enqueue(call(['execute', { command: 'npm run lint' }]), call(['execute', { command: 'npm run lint -- --fix' }]), { kind: 'text', text: 'linted' });
  writeFileSync(path.join(env.workspace, 'package.json'), JSON.stringify({ scripts: { lint: 'echo linting' } }));
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('lint') });
  await s.waitForStatus(chat.id, ['requires_action']);
  const [first] = await pending(s, chat.id);
  await s.request(P.DecideToolCall, { chat_id: chat.id, tool_call_id: first.tool_call_id, decision: 'allow_chat', rules: ['execute(npm run lint*)'] });
  await s.waitForStatus(chat.id, ['waiting']);
  assert.deepEqual(results(await messages(s, chat.id)).map((r) => r.decision?.by), ['user', 'rule'], 'the second call ran by the chat rule');

  env.fake.enqueue(call(['execute', { command: 'git fetch' }]), { kind: 'text', text: 'fetched' });
  await s.request(P.SendMessage, { chat_id: chat.id, content: text('fetch') });
  await s.waitForStatus(chat.id, ['requires_action']);
  const [fetch] = await pending(s, chat.id);
  await s.request(P.DecideToolCall, { chat_id: chat.id, tool_call_id: fetch.tool_call_id, decision: 'allow_always' });
  await s.waitFor(() => added.length === 1, 5000, 'rulesAdded');
  assert.deepEqual(added, [['execute(git fetch)']]);
  const info = await s.request<unknown, P.ServerSettingsInfo>(P.GetSettings, {});
  assert.ok(info.permissions.rules.some((r) => r.rule === 'execute(git fetch)' && r.list === 'allow' && r.source === 'user'));
  assert.ok(info.permissions.rules.some((r) => r.rule === 'execute(ls *)' && r.source === 'user'), 'the defaults the user had stay in the list');
  await s.waitForStatus(chat.id, ['waiting']);
  await s.stop();
});

test('a restart while waiting loses nothing: the chat still waits (stale recovery leaves it), and the decision runs the call', async () => {
  const s = await env.start({ worker: { pollMs: 100, heartbeatMs: 200, staleAfterMs: 500 } });
  env.fake.enqueue(call(['write_file', { path: 'kept.txt', content: 'after restart\n' }]), { kind: 'text', text: 'done after restart' });
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('write after restart') });
  await s.waitForStatus(chat.id, ['requires_action']);
  await s.kill();
  const s2 = await env.start({ worker: { pollMs: 100, heartbeatMs: 200, staleAfterMs: 500 } });
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await statusOf(s2, chat.id), 'requires_action', 'never reset to pending by recovery');
  const [action] = await pending(s2, chat.id);
  assert.equal(action.tool_name, 'write_file');
  await s2.request(P.DecideToolCall, { chat_id: chat.id, tool_call_id: action.tool_call_id, decision: 'allow_once' });
  await s2.waitForStatus(chat.id, ['waiting']);
  assert.equal(readFileSync(path.join(env.workspace, 'kept.txt'), 'utf8'), 'after restart\n');
  assert.match(JSON.stringify(await messages(s2, chat.id)), /done after restart/);
  await s2.stop();
});

test('two decisions at once: exactly one wins', async () => {
  const s = await env.start();
  const s2 = await env.start();
  env.fake.enqueue(call(['write_file', { path: 'race.txt', content: 'x' }]), { kind: 'text', text: 'done' });
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('race') });
  // Either server may run the turn; both see the chat wait.
  await s.waitFor(() => [s, s2].some((x) => (x.events.get(chat.id) ?? []).some((e) => e.type === 'status' && e.status === 'requires_action')
    || x.watch.some((w) => w.chat.id === chat.id && w.chat.status === 'requires_action')), 15_000, 'requires_action');
  const [action] = await pending(s, chat.id);
  const outcomes = await Promise.allSettled([
    s.request(P.DecideToolCall, { chat_id: chat.id, tool_call_id: action.tool_call_id, decision: 'allow_once' }),
    s2.request(P.DecideToolCall, { chat_id: chat.id, tool_call_id: action.tool_call_id, decision: 'deny' }),
  ]);
  assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
  assert.match(String((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason), /not waiting for a decision|already decided/);
  await s.stop();
  await s2.stop();
});

test('editing a message while a command still runs: the superseded run writes nothing, the new answer is kept, the chat ends waiting', async () => {
  const s = await env.start();
  // The command ignores the interrupt for a moment (it traps TERM and sleeps); the edit supersedes the run meanwhile.
  env.fake.enqueue(call(['execute', { command: 'sleep 2; echo old-output', timeout: 30 }]));
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('slow'), permission_mode: 'bypass' });
  await s.waitFor(() => (s.events.get(chat.id) ?? []).some((e) => e.type === 'message' && e.message.role === 'assistant'), 15_000, 'the call started');
  await new Promise((r) => setTimeout(r, 300));
  const first = (await messages(s, chat.id)).find((m) => m.role === 'user')!;
  env.fake.enqueue({ kind: 'text', text: 'the new answer' });
  await s.request(P.EditMessage, { chat_id: chat.id, message_id: first.id, content: text('fast instead') });
  await s.waitFor(() => (s.events.get(chat.id) ?? []).some((e) => e.type === 'message' && e.message.role === 'assistant' && JSON.stringify(e.message.content).includes('the new answer')), 15_000, 'new answer');
  await new Promise((r) => setTimeout(r, 2500)); // the old command has exited by now
  const msgs = await messages(s, chat.id);
  assert.deepEqual(msgs.map((m) => m.role), ['user', 'assistant']);
  assert.match(JSON.stringify(msgs[1].content), /the new answer/);
  assert.ok(!JSON.stringify(msgs).includes('old-output'), 'the superseded run wrote nothing');
  assert.equal(await statusOf(s, chat.id), 'waiting');
  await s.stop();
});

test('a subagent\'s approval shows in its parent\'s list; deciding it lets the child finish and the parent go on', async () => {
  const s = await env.start();
  let parentSteps = 0;
  env.fake.setHandler((req) => {
    if (!req.stream) return { kind: 'title', title: 'T' };
    const sys = String((req.messages?.[0] as { content?: string })?.content ?? '');
    if (sys.includes('You are a subagent')) {
      const sentTool = (req.messages ?? []).some((m) => (m as { role: string }).role === 'tool');
      return sentTool ? { kind: 'text', text: 'child wrote the file' } : call(['write_file', { path: 'child.txt', content: 'from the child\n' }]);
    }
    parentSteps++;
    if (parentSteps === 1) return call(['spawn_agent', { type: 'general', prompt: 'write child.txt', title: 'writer' }]);
    if (parentSteps === 2) {
      const spawned = JSON.stringify(req.messages).match(/"chat_id\\?":\\?"([0-9a-f-]{36})/)?.[1];
      return call(['wait_agent', { chat_id: spawned, timeout_seconds: 60 }]);
    }
    return { kind: 'text', text: 'parent done' };
  });
  const chat = await s.request<unknown, Chat>(P.CreateChat, { content: text('delegate') });
  let childAction: PendingAction | undefined;
  await s.waitFor(() => false, 1).catch(() => undefined);
  for (let i = 0; i < 150 && !childAction; i++) {
    childAction = (await pending(s, chat.id, true))[0];
    if (!childAction) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(childAction, 'the child\'s pending approval is listed with the parent');
  assert.notEqual(childAction.chat_id, chat.id);
  assert.equal(await statusOf(s, chat.id), 'running', 'the parent keeps waiting for its child');
  await s.request(P.DecideToolCall, { chat_id: childAction.chat_id, tool_call_id: childAction.tool_call_id, decision: 'allow_once' });
  await s.waitForStatus(chat.id, ['waiting'], 30_000);
  assert.equal(readFileSync(path.join(env.workspace, 'child.txt'), 'utf8'), 'from the child\n');
  assert.match(JSON.stringify(await messages(s, chat.id)), /child wrote the file/);
  await s.stop();
});

function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_JS, ...args], {
      env: { ...process.env, OPENAI_BASE_URL: '', OPENAI_API_KEY: 'test-key', OPENAI_MODEL: '', LOCAL_AGENTS_DATA_DIR: path.join(env.dir, 'data'), ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('the CLI refuses what would ask (the model reads how to rerun), runs it with --allow, and deny rules beat --approve-all', async () => {
  const base = ['chat', '--db', env.dbPath, '--workspace', env.workspace, '--base-url', env.fake.url, '--model', 'fake-model'];
  const lastToolResult = () => {
    const msgs = env.fake.requests.filter((r) => r.stream).at(-1)?.messages as Array<{ role: string; content: string }>;
    return msgs.filter((m) => m.role === 'tool').at(-1)?.content ?? '';
  };
  env.fake.enqueue(call(['execute', { command: 'touch made-by-cli' }]), { kind: 'text', text: 'could not' });
  const refused = await cli([...base, 'make a file']);
  assert.equal(refused.code, 0, refused.stderr);
  assert.equal(existsSync(path.join(env.workspace, 'made-by-cli')), false);
  assert.match(lastToolResult(), /denied: needs approval \(touch made-by-cli\); rerun with --allow 'execute\(touch made-by-cli\)' or --approve-all/);

  env.fake.enqueue(call(['execute', { command: 'touch made-by-cli' }]), { kind: 'text', text: 'made' });
  const allowed = await cli([...base, '--allow', 'execute(touch *)', 'make a file']);
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.equal(existsSync(path.join(env.workspace, 'made-by-cli')), true);

  const bad = await cli([...base, '--allow', 'execute(', 'x']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--allow: Invalid permission rule "execute\("/);

  // <data dir>/settings.json: the folder of the database.
  writeFileSync(path.join(env.dir, 'settings.json'), JSON.stringify({ 'localAgents.permissions.deny': ['execute(rm *)'] }));
  env.fake.enqueue(call(['execute', { command: 'rm made-by-cli' }]), { kind: 'text', text: 'not removed' });
  const denied = await cli([...base, '--approve-all', 'remove it']);
  assert.equal(denied.code, 0, denied.stderr);
  assert.equal(existsSync(path.join(env.workspace, 'made-by-cli')), true, 'the deny rule in settings.json won');
  assert.match(lastToolResult(), /denied by the rule execute\(rm \*\)/);

  // A workspace's own settings may add deny and ask, never allow.
  mkdirSync(path.join(env.workspace, '.vscode'));
  writeFileSync(path.join(env.workspace, '.vscode', 'settings.json'), '{ // a cloned repository\n "localAgents.permissions.allow": ["execute(*)"] }');
  env.fake.enqueue(call(['execute', { command: 'touch second' }]), { kind: 'text', text: 'no' });
  const ws = await cli([...base, 'try']);
  assert.match(ws.stderr, /localAgents\.permissions\.allow in the workspace's \.vscode\/settings\.json is ignored/);
  assert.equal(existsSync(path.join(env.workspace, 'second')), false);
});

test('the CLI runs only its own chat: another pending chat of the folder is left to its own server', async () => {
  // A chat made by a server that then died: pending, in the same workspace.
  const s = await env.start();
  env.fake.enqueue({ kind: 'hang' });
  await s.request<unknown, Chat>(P.CreateChat, { content: text('someone else') });
  await s.waitFor(() => env.fake.requests.some((q) => q.stream), 10_000, 'the other chat runs');
  await s.kill();
  env.fake.setHandler((req) => (req.stream ? { kind: 'text', text: 'cli answer' } : { kind: 'title', title: 'T' }));
  const r = await cli(['chat', '--db', env.dbPath, '--workspace', env.workspace, '--base-url', env.fake.url, '--model', 'fake-model', 'mine']);
  assert.equal(r.code, 0, r.stderr);
  const runsOfOther = env.fake.requests.filter((q) => q.stream && JSON.stringify(q.messages).includes('someone else'));
  assert.equal(runsOfOther.length, 1, 'only the dead server ran the other chat; the CLI did not take it');
  assert.match(r.stdout, /cli answer/);
});
