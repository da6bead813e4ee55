#!/usr/bin/env node
/* global TextDecoder -- Node 20+ has it */
// A small bot on the Local Agents HTTP API, with nothing but Node's fetch: it creates a chat that may call
// one client-executed tool (`lookup_ticket`), answers the model's calls of it from its own data, and prints
// the model's answer.
//
//   LOCAL_AGENTS_URL=http://127.0.0.1:4096/api/experimental LOCAL_AGENTS_API_TOKEN=$(local-agents api token) \
//     node examples/ticket-bot/bot.mjs "Which of T-1 and T-2 is still open?"
//
// The URL is printed by `local-agents serve --http …` and listed by `local-agents api servers`.

const base = process.env.LOCAL_AGENTS_URL ?? 'http://127.0.0.1:4096/api/experimental';
const token = process.env.LOCAL_AGENTS_API_TOKEN;
if (!token) {
  console.error('Set LOCAL_AGENTS_API_TOKEN (local-agents api token prints it).');
  process.exit(2);
}
const question = process.argv.slice(2).join(' ') || 'Is ticket T-1 still open?';

// The bot's own data: what the tool answers.
const TICKETS = { 'T-1': { status: 'open', owner: 'kim', title: 'Login page times out' }, 'T-2': { status: 'closed', owner: 'lee', title: 'Typo in footer' } };

async function api(method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) {
    const err = await res.json().catch(() => ({}));
    throw new Error(`${method} ${path}: ${res.status} ${err.message ?? ''} ${err.detail ?? ''}`.trim());
  }
  return res.status === 204 ? null : res.json();
}

/** Reads Server-Sent Events from a fetch response body. */
async function* events(res) {
  const decoder = new TextDecoder();
  let buf = '';
  for await (const chunk of res.body) {
    buf += decoder.decode(chunk, { stream: true });
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('');
      if (event && data) yield { event, data: JSON.parse(data) };
    }
  }
}

const chat = await api('POST', '/chats', {
  content: [{ type: 'text', text: question }],
  labels: { bot: 'ticket-bot' },
  unsafe_dynamic_tools: [{
    name: 'lookup_ticket',
    description: 'Looks up a ticket by id (like T-1) and returns its status, owner and title.',
    input_schema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
  }],
});
const stream = await fetch(`${base}/chats/${chat.id}/stream`, { headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' } });
let answer = '';
let sawWork = false;
for await (const { event, data } of events(stream)) {
  if (event === 'action_required') {
    const mine = data.tool_calls.filter((c) => c.kind === 'dynamic' && c.tool_name === 'lookup_ticket');
    if (mine.length === 0) continue;
    const results = mine.map((c) => {
      const { id } = JSON.parse(c.args || '{}');
      const ticket = TICKETS[id];
      return ticket ? { tool_call_id: c.tool_call_id, output: { id, ...ticket } } : { tool_call_id: c.tool_call_id, output: { error: `no ticket ${id}` }, is_error: true };
    });
    console.error(`answered ${results.length} lookup_ticket call(s)`);
    await api('POST', `/chats/${chat.id}/tool-results`, { results });
  } else if (event === 'message' && data.message.role === 'assistant') {
    answer = data.message.content.filter((p) => p.type === 'text').map((p) => p.text).join('');
  } else if (event === 'status') {
    if (['pending', 'running', 'requires_action'].includes(data.status)) sawWork = true;
    else if (sawWork && data.status === 'error') throw new Error('the chat failed');
    else if (sawWork && data.status === 'waiting') break;
  }
}
console.log(answer);
process.exit(0);
