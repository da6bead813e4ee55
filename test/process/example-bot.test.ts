// examples/ticket-bot runs as a user would run it, against a real `serve`: its dynamic tool is called, it
// answers, and it prints the model's answer.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { startApiServer } from '../support/apiServer';
import { setupEnv } from './helpers';

const BOT = path.resolve(__dirname, '../../examples/ticket-bot/bot.mjs');

test('the ticket bot creates a chat with a client tool, answers its call and prints the answer', async () => {
  const env = await setupEnv();
  const api = await startApiServer({ db: env.dbPath, workspace: env.workspace, env: { OPENAI_BASE_URL: env.fake.url, OPENAI_API_KEY: 'test-key', OPENAI_MODEL: 'fake-model' } });
  try {
    env.fake.enqueue(
      { kind: 'tools', calls: [{ id: 'c1', name: 'lookup_ticket', args: '{"id":"T-1"}' }, { id: 'c2', name: 'lookup_ticket', args: '{"id":"T-9"}' }] },
      { kind: 'text', text: 'T-1 is open (owner kim); there is no T-9.' },
    );
    const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BOT, 'Is T-1 open? And T-9?'], { env: { ...process.env, LOCAL_AGENTS_URL: api.url, LOCAL_AGENTS_API_TOKEN: api.token }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => { stdout += d; });
      child.stderr.on('data', (d) => { stderr += d; });
      const t = setTimeout(() => child.kill(), 30_000);
      child.on('exit', (code) => { clearTimeout(t); resolve({ code, stdout, stderr }); });
    });
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout.trim(), 'T-1 is open (owner kim); there is no T-9.');
    assert.match(out.stderr, /answered 2 lookup_ticket call\(s\)/);
    // The model read the bot's answers, the unknown ticket as an error.
    const last = env.fake.requests.filter((r) => r.stream).at(-1)!;
    const tools = (last.messages as Array<{ role: string; tool_call_id?: string; content?: string }>).filter((m) => m.role === 'tool');
    assert.deepEqual(tools.map((m) => m.tool_call_id), ['c1', 'c2']);
    assert.match(tools[0].content ?? '', /"owner":"kim"/);
    assert.match(tools[1].content ?? '', /no ticket T-9/);
    const list = await api.request<{ chats: Array<{ labels: Record<string, string>; client_type: string }> }>('GET', '/chats?label=bot:ticket-bot');
    assert.equal(list.body.chats.length, 1);
    assert.equal(list.body.chats[0].client_type, 'api');
  } finally {
    await api.stop();
    await env.cleanup();
  }
});
