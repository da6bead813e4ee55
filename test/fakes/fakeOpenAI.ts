// A real HTTP server speaking the OpenAI wire protocol (Chat Completions and Responses, SSE streaming,
// tool-call deltas, usage, errors with Retry-After, broken streams), scripted by tests with `enqueue`.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeToolCall { id?: string; name: string; args: string; pieces?: number }
export interface FakeUsage { prompt_tokens: number; completion_tokens: number; cached_tokens?: number; reasoning_tokens?: number }
export type FakeReply =
  | { kind: 'text'; text: string; chunks?: string[]; reasoning?: string; usage?: FakeUsage; delayMs?: number; firstChunkDelayMs?: number }
  | { kind: 'tools'; calls: FakeToolCall[]; text?: string; usage?: FakeUsage; delayMs?: number }
  | { kind: 'error'; status: number; message?: string; type?: string; retryAfter?: string }
  | { kind: 'midStreamError'; afterChunks: number; text: string }
  | { kind: 'hang' }
  | { kind: 'title'; title: string };

export interface CapturedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
  model?: string;
  stream?: boolean;
  messages?: unknown[];
  input?: unknown;
  tools?: unknown[];
  store?: boolean;
  previous_response_id?: string;
  receivedAt: number;
}

export interface FakeOpenAI {
  url: string;
  requests: CapturedRequest[];
  enqueue(...replies: FakeReply[]): void;
  setHandler(fn: ((req: CapturedRequest) => FakeReply | undefined) | undefined): void;
  models: string[];
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function splitText(text: string, size = 4): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length ? out : [''];
}

function splitN(s: string, n: number): string[] {
  if (n <= 1 || s.length < n) return [s];
  const size = Math.ceil(s.length / n);
  return splitText(s, size);
}

function lastUserText(req: CapturedRequest): string {
  const msgs = (req.messages ?? (Array.isArray(req.input) ? req.input : [])) as Array<{ role?: string; content?: unknown }>;
  const last = [...msgs].reverse().find((m) => m.role === 'user');
  return typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content ?? '');
}

export async function startFakeOpenAI(opts: { port?: number; apiKey?: string; defaultText?: string } = {}): Promise<FakeOpenAI> {
  const queue: FakeReply[] = [];
  const requests: CapturedRequest[] = [];
  let handler: ((req: CapturedRequest) => FakeReply | undefined) | undefined;
  const responses = new Set<string>();
  let responseSeq = 0;
  const sockets = new Set<import('node:net').Socket>();
  const fake: FakeOpenAI = {
    url: '',
    requests,
    models: ['fake-model', 'fake-model-large'],
    enqueue: (...r) => { queue.push(...r); },
    setHandler: (fn) => { handler = fn; },
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };

  const nextReply = (req: CapturedRequest): FakeReply => {
    const fromHandler = handler?.(req);
    if (fromHandler) return fromHandler;
    if (!req.stream) {
      const i = queue.findIndex((r) => r.kind === 'title' || r.kind === 'error');
      if (i >= 0 && queue[i].kind === 'title') return queue.splice(i, 1)[0];
      return { kind: 'title', title: 'Test Chat' };
    }
    const i = queue.findIndex((r) => r.kind !== 'title');
    if (i >= 0) return queue.splice(i, 1)[0];
    return { kind: 'text', text: opts.defaultText ?? 'Hello from test server.' };
  };

  const sendError = (res: http.ServerResponse, status: number, message: string, type = 'invalid_request_error', retryAfter?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (retryAfter) headers['retry-after'] = retryAfter;
    res.writeHead(status, headers);
    res.end(JSON.stringify({ error: { message, type, code: null, param: null } }));
  };

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => { raw += d; });
    req.on('end', () => void handle(req, res, raw).catch((err) => { if (!res.headersSent) sendError(res, 500, String(err)); else res.destroy(); }));
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    if (opts.apiKey && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
      return sendError(res, 401, 'Incorrect API key provided.', 'invalid_request_error');
    }
    if (req.method === 'GET' && url.pathname.endsWith('/models')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: fake.models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })) }));
      return;
    }
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const captured: CapturedRequest = {
      path: url.pathname, headers: req.headers, body, receivedAt: Date.now(),
      model: body.model as string | undefined, stream: body.stream === true, messages: body.messages as unknown[] | undefined,
      input: body.input, tools: body.tools as unknown[] | undefined, store: body.store as boolean | undefined,
      previous_response_id: body.previous_response_id as string | undefined,
    };
    requests.push(captured);
    if (req.method === 'POST' && url.pathname.endsWith('/chat/completions')) return chatCompletions(captured, res);
    if (req.method === 'POST' && url.pathname.endsWith('/responses')) return responsesApi(captured, res);
    sendError(res, 404, `Unknown path ${url.pathname}`, 'not_found');
  }

  const sse = (res: http.ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  };

  async function chatCompletions(req: CapturedRequest, res: http.ServerResponse): Promise<void> {
    const reply = nextReply(req);
    const id = `chatcmpl-${requests.length}`;
    const model = req.model ?? 'fake-model';
    if (reply.kind === 'error') return sendError(res, reply.status, reply.message ?? `error ${reply.status}`, reply.type ?? (reply.status === 429 ? 'rate_limit_exceeded' : 'server_error'), reply.retryAfter);
    if (!req.stream) {
      const content = reply.kind === 'title' ? reply.title : reply.kind === 'text' ? reply.text : 'Test Chat';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id, object: 'chat.completion', created: 0, model, choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } }));
      return;
    }
    if (reply.kind === 'hang') {
      sse(res);
      await new Promise<void>((r) => res.on('close', () => r()));
      return;
    }
    sse(res);
    // One write per chunk, as a real provider flushes them; a slow stream waits between writes.
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const usageChunk = (u: FakeUsage) => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, choices: [], usage: {
      prompt_tokens: u.prompt_tokens, completion_tokens: u.completion_tokens, total_tokens: u.prompt_tokens + u.completion_tokens,
      prompt_tokens_details: { cached_tokens: u.cached_tokens ?? 0 }, completion_tokens_details: { reasoning_tokens: u.reasoning_tokens ?? 0 } } })}\n\n`;
    if (reply.kind === 'midStreamError') {
      const parts = splitText(reply.text);
      res.write(chunk({ role: 'assistant', content: '' }));
      for (const p of parts.slice(0, reply.afterChunks)) res.write(chunk({ content: p }));
      await sleep(10);
      res.destroy();
      return;
    }
    const writes: string[] = [chunk({ role: 'assistant', content: '' })];
    let usage: FakeUsage;
    if (reply.kind === 'text' || reply.kind === 'title') {
      const text = reply.kind === 'title' ? reply.title : reply.text;
      if (reply.kind === 'text' && reply.reasoning) for (const r of splitText(reply.reasoning)) writes.push(chunk({ reasoning_content: r }));
      const parts = reply.kind === 'text' && reply.chunks ? reply.chunks : splitText(text);
      for (const p of parts) writes.push(chunk({ content: p }));
      writes.push(chunk({}, 'stop'));
      usage = (reply.kind === 'text' && reply.usage) || { prompt_tokens: 10, completion_tokens: parts.length };
    } else {
      if (reply.text) for (const p of splitText(reply.text)) writes.push(chunk({ content: p }));
      reply.calls.forEach((c, index) => {
        const callId = c.id ?? `call_${requests.length}_${index}`;
        writes.push(chunk({ tool_calls: [{ index, id: callId, type: 'function', function: { name: c.name, arguments: '' } }] }));
        for (const piece of splitN(c.args, c.pieces ?? 3)) writes.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
      });
      writes.push(chunk({}, 'tool_calls'));
      usage = reply.usage ?? { prompt_tokens: 10, completion_tokens: 5 };
    }
    writes.push(usageChunk(usage), 'data: [DONE]\n\n');
    const delay = reply.kind === 'text' || reply.kind === 'tools' ? reply.delayMs ?? 0 : 0;
    const first = reply.kind === 'text' ? reply.firstChunkDelayMs ?? 0 : 0;
    if (first) await sleep(first);
    if (!delay) {
      res.end(writes.join(''));
      return;
    }
    for (const w of writes) {
      if (res.destroyed) return;
      res.write(w);
      await sleep(delay);
    }
    res.end();
  }

  async function responsesApi(req: CapturedRequest, res: http.ServerResponse): Promise<void> {
    if (req.previous_response_id && !responses.has(req.previous_response_id)) {
      return sendError(res, 400, `Previous response with id '${req.previous_response_id}' not found.`, 'invalid_request_error');
    }
    const reply = nextReply(req);
    if (reply.kind === 'error') return sendError(res, reply.status, reply.message ?? `error ${reply.status}`, reply.type ?? 'server_error', reply.retryAfter);
    const respId = `resp_${++responseSeq}`;
    const model = req.model ?? 'fake-model';
    if (!req.stream) {
      const text = reply.kind === 'title' ? reply.title : reply.kind === 'text' ? reply.text : 'Test Chat';
      if (req.store !== false) responses.add(respId);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: respId, object: 'response', model, status: 'completed', output: [{ type: 'message', id: `msg_${respId}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] }], output_text: text, usage: { input_tokens: 5, output_tokens: 3, total_tokens: 8 } }));
      return;
    }
    sse(res);
    if (reply.kind === 'hang') {
      await new Promise<void>((r) => res.on('close', () => r()));
      return;
    }
    let seq = 0;
    const ev = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`;
    const base = { id: respId, object: 'response', model, status: 'in_progress', output: [] as unknown[] };
    const writes = [ev('response.created', { response: base })];
    const output: unknown[] = [];
    let usage: FakeUsage = { prompt_tokens: 10, completion_tokens: 5 };
    const addText = (text: string, chunks?: string[]) => {
      const itemId = `msg_${respId}_${output.length}`;
      const idx = output.length;
      writes.push(ev('response.output_item.added', { output_index: idx, item: { type: 'message', id: itemId, role: 'assistant', status: 'in_progress', content: [] } }));
      for (const d of chunks ?? splitText(text)) writes.push(ev('response.output_text.delta', { item_id: itemId, output_index: idx, content_index: 0, delta: d }));
      const item = { type: 'message', id: itemId, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] };
      writes.push(ev('response.output_item.done', { output_index: idx, item }));
      output.push(item);
    };
    if (reply.kind === 'midStreamError') {
      const itemId = `msg_${respId}`;
      res.write(writes.join(''));
      res.write(ev('response.output_item.added', { output_index: 0, item: { type: 'message', id: itemId, role: 'assistant', status: 'in_progress', content: [] } }));
      for (const d of splitText(reply.text).slice(0, reply.afterChunks)) res.write(ev('response.output_text.delta', { item_id: itemId, output_index: 0, content_index: 0, delta: d }));
      await sleep(10);
      res.destroy();
      return;
    }
    if (reply.kind === 'text' || reply.kind === 'title') {
      if (reply.kind === 'text' && reply.reasoning) {
        const itemId = `rs_${respId}`;
        writes.push(ev('response.output_item.added', { output_index: 0, item: { type: 'reasoning', id: itemId, summary: [] } }));
        for (const d of splitText(reply.reasoning)) writes.push(ev('response.reasoning_summary_text.delta', { item_id: itemId, output_index: 0, summary_index: 0, delta: d }));
        const item = { type: 'reasoning', id: itemId, summary: [{ type: 'summary_text', text: reply.reasoning }] };
        writes.push(ev('response.output_item.done', { output_index: 0, item }));
        output.push(item);
      }
      addText(reply.kind === 'title' ? reply.title : reply.text, reply.kind === 'text' ? reply.chunks : undefined);
      if (reply.kind === 'text' && reply.usage) usage = reply.usage;
    } else {
      if (reply.text) addText(reply.text);
      reply.calls.forEach((c, i) => {
        const idx = output.length;
        const callId = c.id ?? `call_${responseSeq}_${i}`;
        const itemId = `fc_${respId}_${i}`;
        writes.push(ev('response.output_item.added', { output_index: idx, item: { type: 'function_call', id: itemId, call_id: callId, name: c.name, arguments: '', status: 'in_progress' } }));
        for (const piece of splitN(c.args, c.pieces ?? 3)) writes.push(ev('response.function_call_arguments.delta', { item_id: itemId, output_index: idx, delta: piece }));
        writes.push(ev('response.function_call_arguments.done', { item_id: itemId, output_index: idx, arguments: c.args }));
        const item = { type: 'function_call', id: itemId, call_id: callId, name: c.name, arguments: c.args, status: 'completed' };
        writes.push(ev('response.output_item.done', { output_index: idx, item }));
        output.push(item);
      });
      if (reply.usage) usage = reply.usage;
    }
    if (req.store !== false) responses.add(respId);
    writes.push(ev('response.completed', { response: { ...base, status: 'completed', output, usage: {
      input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens, total_tokens: usage.prompt_tokens + usage.completion_tokens,
      input_tokens_details: { cached_tokens: usage.cached_tokens ?? 0 }, output_tokens_details: { reasoning_tokens: usage.reasoning_tokens ?? 0 } } } }));
    const delay = reply.kind === 'text' || reply.kind === 'tools' ? reply.delayMs ?? 0 : 0;
    if (!delay) {
      res.end(writes.join(''));
      return;
    }
    for (const w of writes) {
      if (res.destroyed) return;
      res.write(w);
      await sleep(delay);
    }
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', () => resolve()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}

/** Standalone: serves the default reply forever; a user message containing "tool-demo" first gets a read_file call. */
if (require.main === module) {
  const portArg = process.argv.indexOf('--port');
  void startFakeOpenAI({ port: portArg > 0 ? Number(process.argv[portArg + 1]) : 0 }).then((fake) => {
    fake.setHandler((req) => {
      if (!req.stream) return undefined;
      const msgs = (req.messages ?? []) as Array<{ role: string }>;
      const afterTool = msgs.length > 0 && msgs[msgs.length - 1].role === 'tool';
      if (lastUserText(req).includes('tool-demo') && !afterTool) return { kind: 'tools', calls: [{ name: 'read_file', args: JSON.stringify({ path: 'README.md' }) }] };
      return undefined;
    });
    process.stdout.write(`FAKE_OPENAI_URL=${fake.url}\n`);
  });
}
