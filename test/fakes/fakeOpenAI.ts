// A real HTTP server speaking the OpenAI wire protocol (Chat Completions and Responses, SSE streaming,
// tool-call deltas, usage, errors with Retry-After, broken streams), scripted by tests with `enqueue`
// or `setHandler`.
//
// Which reply a request gets: the handler's, when it returns one; else, for a streaming request, the
// next queued reply that is not a title (the default text when none is queued); for a non-streaming
// request (title generation), the next queued `title` reply, else the title "Test Chat". Non-streaming
// answers carry the title as plain text content (not JSON). Queued non-title replies are never used
// by non-streaming requests, so title generation running beside a turn cannot steal the turn's replies.
//
// Azure OpenAI: paths under /openai/ are served as an Azure resource serves them: the key in the `api-key`
// header (a key sent as a bearer token is refused), `api-version` required (404 "Resource not found"
// without it, as Azure answers), chat completions only at /openai/deployments/<deployment>/chat/completions.
//
// Standalone: `node --import tsx test/fakes/fakeOpenAI.ts [--port N] [--api-key K]` prints
// `FAKE_OPENAI_URL=<url>` and serves the default reply; a last user message containing "tool-demo"
// first gets a `read_file` call of {"path":"README.md"}, then text.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FakeToolCall {
  id?: string;
  name: string;
  /** JSON text of the arguments. */
  args: string;
  /** Split args into this many deltas (default 3). */
  pieces?: number;
}
export interface FakeUsage { prompt_tokens: number; completion_tokens: number; cached_tokens?: number; reasoning_tokens?: number }
export type FakeReply =
  | { kind: 'text'; text: string; chunks?: string[]; reasoning?: string; usage?: FakeUsage; delayMs?: number; firstChunkDelayMs?: number }
  | { kind: 'tools'; calls: FakeToolCall[]; text?: string; usage?: FakeUsage; delayMs?: number }
  | { kind: 'error'; status: number; message?: string; type?: string; retryAfter?: string; code?: string }
  /** Streams `afterChunks` ~4-char pieces of `text`, then destroys the socket. */
  | { kind: 'midStreamError'; afterChunks: number; text: string }
  /** Accepts and never answers until the client goes away. */
  | { kind: 'hang' }
  | { kind: 'title'; title: string };

export interface CapturedRequest {
  path: string;
  /** The query string's parameters (Azure's api-version). */
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body. */
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
  /** Base URL including /v1. */
  url: string;
  requests: CapturedRequest[];
  enqueue(...replies: FakeReply[]): void;
  setHandler(fn: ((req: CapturedRequest) => FakeReply | undefined) | undefined): void;
  /** Served by GET /models. */
  models: string[];
  /** More fields of a model's /models entry, by id (OpenRouter's `pricing`, `context_length`, …). */
  modelDetails: Record<string, Record<string, unknown>>;
  close(): Promise<void>;
}

export interface FakeOpenAIOptions {
  port?: number;
  /** When set, any other bearer token gets 401. */
  apiKey?: string;
  defaultText?: string;
}

const DEFAULT_TEXT = 'Hello from test server.';
const DEFAULT_TITLE = 'Test Chat';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** ~`size`-code-point pieces, so no piece splits a surrogate pair. */
function splitText(text: string, size = 4): string[] {
  const cps = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < cps.length; i += size) out.push(cps.slice(i, i + size).join(''));
  return out.length ? out : [''];
}

function splitInto(text: string, pieces: number): string[] {
  const length = Array.from(text).length;
  if (pieces <= 1 || length < pieces) return [text];
  return splitText(text, Math.ceil(length / pieces));
}

function errorBody(message: string, type: string, status: number, own?: string): string {
  const code = own ?? (status === 429 ? 'rate_limit_exceeded' : status === 401 ? 'invalid_api_key' : null);
  return JSON.stringify({ error: { message, type, code, param: null } });
}

function defaultErrorType(status: number): string {
  if (status === 429) return 'rate_limit_exceeded';
  if (status === 401 || status === 403) return 'invalid_request_error';
  if (status === 404) return 'invalid_request_error';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

function sendError(res: http.ServerResponse, status: number, message: string, type: string, retryAfter?: string, code?: string): void {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (retryAfter !== undefined) headers['retry-after'] = retryAfter;
  res.writeHead(status, headers);
  res.end(errorBody(message, type, status, code));
}

/** Azure's error body: a string code, no type. */
function sendAzureError(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code: String(status), message } }));
}

const AZURE_KEY_REJECTED = 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.';
/** Chat completions go to a deployment; the Responses API takes the deployment as `model`. */
const AZURE_POST_PATH = /^\/openai\/(deployments\/[^/]+\/chat\/completions|responses)$/;

function sendJson(res: http.ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function openSse(res: http.ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.flushHeaders();
}

function waitForClose(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve();
    res.once('close', () => resolve());
  });
}

/** Writes SSE frames: all at once for a fast reply, one by one with pauses for a slow one. */
async function writeFrames(res: http.ServerResponse, frames: string[], delayMs: number, firstDelayMs: number): Promise<void> {
  if (firstDelayMs) await sleep(firstDelayMs);
  if (!delayMs) {
    if (!res.destroyed) res.end(frames.join(''));
    return;
  }
  for (const frame of frames) {
    if (res.destroyed) return;
    res.write(frame);
    await sleep(delayMs);
  }
  res.end();
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((c) => (c && typeof c === 'object' && 'text' in c ? String((c as { text: unknown }).text) : '')).join(' ');
  return '';
}

interface WireItem { role?: string; type?: string; content?: unknown }

function wireItems(req: CapturedRequest): WireItem[] {
  if (req.messages) return req.messages as WireItem[];
  if (Array.isArray(req.input)) return req.input as WireItem[];
  if (typeof req.input === 'string') return [{ role: 'user', content: req.input }];
  return [];
}

function lastUserText(req: CapturedRequest): string {
  return textOf([...wireItems(req)].reverse().find((m) => m.role === 'user')?.content);
}

/** The request ends with tool results: the model has seen its tool call answered. */
function endsWithToolResult(req: CapturedRequest): boolean {
  const last = wireItems(req).at(-1);
  return last?.role === 'tool' || last?.type === 'function_call_output';
}

export async function startFakeOpenAI(opts: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const queue: FakeReply[] = [];
  const requests: CapturedRequest[] = [];
  let handler: ((req: CapturedRequest) => FakeReply | undefined) | undefined;
  const storedResponses = new Set<string>();
  let responseSeq = 0;
  const sockets = new Set<Socket>();
  const defaultText = opts.defaultText ?? DEFAULT_TEXT;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((err: unknown) => {
        if (!res.headersSent) sendError(res, 500, `fake server failure: ${String(err)}`, 'server_error');
        else res.destroy();
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const fake: FakeOpenAI = {
    url: '',
    requests,
    models: ['fake-model', 'fake-model-large'],
    modelDetails: {},
    enqueue: (...replies) => { queue.push(...replies); },
    setHandler: (fn) => { handler = fn; },
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };

  function nextReply(req: CapturedRequest): FakeReply {
    const scripted = handler?.(req);
    if (scripted) return scripted;
    if (!req.stream) {
      const i = queue.findIndex((r) => r.kind === 'title');
      return i >= 0 ? queue.splice(i, 1)[0] : { kind: 'title', title: DEFAULT_TITLE };
    }
    const i = queue.findIndex((r) => r.kind !== 'title');
    return i >= 0 ? queue.splice(i, 1)[0] : { kind: 'text', text: defaultText };
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const azure = url.pathname.startsWith('/openai/');
    const authorized = !opts.apiKey || (azure ? req.headers['api-key'] === opts.apiKey : req.headers.authorization === `Bearer ${opts.apiKey}`);
    const rejectKey = () => (azure ? sendAzureError(res, 401, AZURE_KEY_REJECTED) : sendError(res, 401, 'Incorrect API key provided.', 'invalid_request_error'));
    if (azure && !url.searchParams.get('api-version')) return sendAzureError(res, 404, 'Resource not found');
    if (req.method === 'GET' && url.pathname.endsWith('/models')) {
      if (!authorized) return rejectKey();
      return sendJson(res, { object: 'list', data: fake.models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake', ...fake.modelDetails[id] })) });
    }
    let body: Record<string, unknown>;
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      return sendError(res, 400, 'We could not parse the JSON body of your request.', 'invalid_request_error');
    }
    const captured: CapturedRequest = {
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      receivedAt: Date.now(),
      model: typeof body.model === 'string' ? body.model : undefined,
      stream: body.stream === true,
      messages: Array.isArray(body.messages) ? body.messages : undefined,
      input: body.input,
      tools: Array.isArray(body.tools) ? body.tools : undefined,
      store: typeof body.store === 'boolean' ? body.store : undefined,
      previous_response_id: typeof body.previous_response_id === 'string' ? body.previous_response_id : undefined,
    };
    // Captured before the key check, so tests can see what a rejected client sent.
    requests.push(captured);
    if (!authorized) return rejectKey();
    if (azure && !(req.method === 'POST' && AZURE_POST_PATH.test(url.pathname))) return sendAzureError(res, 404, 'Resource not found');
    if (req.method === 'POST' && url.pathname.endsWith('/chat/completions')) return chatCompletions(captured, res);
    if (req.method === 'POST' && url.pathname.endsWith('/responses')) return responsesApi(captured, res);
    sendError(res, 404, `Invalid URL (${req.method} ${url.pathname})`, 'invalid_request_error');
  }

  async function chatCompletions(req: CapturedRequest, res: http.ServerResponse): Promise<void> {
    const reply = nextReply(req);
    const id = `chatcmpl-${requests.length}`;
    const model = req.model ?? 'fake-model';
    if (reply.kind === 'error') return sendError(res, reply.status, reply.message ?? `error ${reply.status}`, reply.type ?? defaultErrorType(reply.status), reply.retryAfter, reply.code);
    if (reply.kind === 'hang') {
      if (req.stream) openSse(res);
      return waitForClose(res);
    }
    if (!req.stream) {
      const content = reply.kind === 'title' ? reply.title : reply.kind === 'text' || reply.kind === 'midStreamError' ? reply.text : reply.text ?? '';
      return sendJson(res, {
        id, object: 'chat.completion', created: 0, model,
        choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
      });
    }

    const frame = (data: Record<string, unknown>) => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, ...data })}\n\n`;
    const delta = (d: Record<string, unknown>, finish: string | null = null) => frame({ choices: [{ index: 0, delta: d, finish_reason: finish }] });
    const usageFrame = (u: FakeUsage) => frame({
      choices: [],
      usage: {
        prompt_tokens: u.prompt_tokens, completion_tokens: u.completion_tokens, total_tokens: u.prompt_tokens + u.completion_tokens,
        prompt_tokens_details: { cached_tokens: u.cached_tokens ?? 0 }, completion_tokens_details: { reasoning_tokens: u.reasoning_tokens ?? 0 },
      },
    });
    openSse(res);

    if (reply.kind === 'midStreamError') {
      res.write(delta({ role: 'assistant', content: '' }));
      for (const piece of splitText(reply.text).slice(0, reply.afterChunks)) res.write(delta({ content: piece }));
      await sleep(20);
      res.destroy();
      return;
    }

    const frames = [delta({ role: 'assistant', content: '' })];
    let usage: FakeUsage;
    if (reply.kind === 'tools') {
      if (reply.text) for (const piece of splitText(reply.text)) frames.push(delta({ content: piece }));
      reply.calls.forEach((call, index) => {
        const callId = call.id ?? `call_${requests.length}_${index}`;
        frames.push(delta({ tool_calls: [{ index, id: callId, type: 'function', function: { name: call.name, arguments: '' } }] }));
        for (const piece of splitInto(call.args, call.pieces ?? 3)) frames.push(delta({ tool_calls: [{ index, function: { arguments: piece } }] }));
      });
      frames.push(delta({}, 'tool_calls'));
      usage = reply.usage ?? { prompt_tokens: 10, completion_tokens: 5 };
    } else {
      const text = reply.kind === 'title' ? reply.title : reply.text;
      const reasoning = reply.kind === 'text' ? reply.reasoning : undefined;
      if (reasoning) for (const piece of splitText(reasoning)) frames.push(delta({ reasoning_content: piece }));
      const pieces = reply.kind === 'text' && reply.chunks ? reply.chunks : splitText(text);
      for (const piece of pieces) frames.push(delta({ content: piece }));
      frames.push(delta({}, 'stop'));
      usage = (reply.kind === 'text' ? reply.usage : undefined) ?? { prompt_tokens: 10, completion_tokens: pieces.length };
    }
    frames.push(usageFrame(usage), 'data: [DONE]\n\n');
    const delayMs = reply.kind === 'text' || reply.kind === 'tools' ? reply.delayMs ?? 0 : 0;
    await writeFrames(res, frames, delayMs, reply.kind === 'text' ? reply.firstChunkDelayMs ?? 0 : 0);
  }

  async function responsesApi(req: CapturedRequest, res: http.ServerResponse): Promise<void> {
    if (req.previous_response_id && !storedResponses.has(req.previous_response_id)) {
      return sendError(res, 400, `Previous response with id '${req.previous_response_id}' not found.`, 'invalid_request_error');
    }
    const reply = nextReply(req);
    if (reply.kind === 'error') return sendError(res, reply.status, reply.message ?? `error ${reply.status}`, reply.type ?? defaultErrorType(reply.status), reply.retryAfter, reply.code);
    if (reply.kind === 'hang') {
      if (req.stream) openSse(res);
      return waitForClose(res);
    }
    const respId = `resp_${++responseSeq}`;
    const model = req.model ?? 'fake-model';
    // OpenAI stores responses unless told not to.
    const remember = () => { if (req.store !== false) storedResponses.add(respId); };
    if (!req.stream) {
      const text = reply.kind === 'title' ? reply.title : reply.kind === 'text' || reply.kind === 'midStreamError' ? reply.text : reply.text ?? '';
      remember();
      return sendJson(res, {
        id: respId, object: 'response', created_at: 0, model, status: 'completed',
        output: [{ type: 'message', id: `msg_${respId}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] }],
        usage: { input_tokens: 5, output_tokens: 3, total_tokens: 8, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } },
      });
    }

    let seq = 0;
    const event = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`;
    const base = { id: respId, object: 'response', created_at: 0, model, status: 'in_progress', output: [] as unknown[] };
    const frames = [event('response.created', { response: base }), event('response.in_progress', { response: base })];
    const output: unknown[] = [];
    const addMessage = (text: string, pieces: string[]) => {
      const index = output.length;
      const itemId = `msg_${respId}_${index}`;
      frames.push(event('response.output_item.added', { output_index: index, item: { type: 'message', id: itemId, role: 'assistant', status: 'in_progress', content: [] } }));
      for (const piece of pieces) frames.push(event('response.output_text.delta', { item_id: itemId, output_index: index, content_index: 0, delta: piece, logprobs: [] }));
      frames.push(event('response.output_text.done', { item_id: itemId, output_index: index, content_index: 0, text, logprobs: [] }));
      const item = { type: 'message', id: itemId, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] };
      frames.push(event('response.output_item.done', { output_index: index, item }));
      output.push(item);
    };
    openSse(res);

    if (reply.kind === 'midStreamError') {
      const itemId = `msg_${respId}_0`;
      res.write(frames.join(''));
      res.write(event('response.output_item.added', { output_index: 0, item: { type: 'message', id: itemId, role: 'assistant', status: 'in_progress', content: [] } }));
      for (const piece of splitText(reply.text).slice(0, reply.afterChunks)) {
        res.write(event('response.output_text.delta', { item_id: itemId, output_index: 0, content_index: 0, delta: piece, logprobs: [] }));
      }
      await sleep(20);
      res.destroy();
      return;
    }

    let usage: FakeUsage = { prompt_tokens: 10, completion_tokens: 5 };
    if (reply.kind === 'tools') {
      if (reply.text) addMessage(reply.text, splitText(reply.text));
      reply.calls.forEach((call, i) => {
        const index = output.length;
        const callId = call.id ?? `call_${responseSeq}_${i}`;
        const itemId = `fc_${respId}_${i}`;
        frames.push(event('response.output_item.added', { output_index: index, item: { type: 'function_call', id: itemId, call_id: callId, name: call.name, arguments: '', status: 'in_progress' } }));
        for (const piece of splitInto(call.args, call.pieces ?? 3)) frames.push(event('response.function_call_arguments.delta', { item_id: itemId, output_index: index, delta: piece }));
        frames.push(event('response.function_call_arguments.done', { item_id: itemId, output_index: index, arguments: call.args }));
        const item = { type: 'function_call', id: itemId, call_id: callId, name: call.name, arguments: call.args, status: 'completed' };
        frames.push(event('response.output_item.done', { output_index: index, item }));
        output.push(item);
      });
      if (reply.usage) usage = reply.usage;
    } else {
      const reasoning = reply.kind === 'text' ? reply.reasoning : undefined;
      if (reasoning) {
        const itemId = `rs_${respId}`;
        frames.push(event('response.output_item.added', { output_index: 0, item: { type: 'reasoning', id: itemId, summary: [] } }));
        for (const piece of splitText(reasoning)) frames.push(event('response.reasoning_summary_text.delta', { item_id: itemId, output_index: 0, summary_index: 0, delta: piece }));
        const item = { type: 'reasoning', id: itemId, summary: [{ type: 'summary_text', text: reasoning }] };
        frames.push(event('response.output_item.done', { output_index: 0, item }));
        output.push(item);
      }
      const text = reply.kind === 'title' ? reply.title : reply.text;
      addMessage(text, reply.kind === 'text' && reply.chunks ? reply.chunks : splitText(text));
      if (reply.kind === 'text' && reply.usage) usage = reply.usage;
    }
    remember();
    frames.push(event('response.completed', {
      response: {
        ...base, status: 'completed', output,
        usage: {
          input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens, total_tokens: usage.prompt_tokens + usage.completion_tokens,
          input_tokens_details: { cached_tokens: usage.cached_tokens ?? 0 }, output_tokens_details: { reasoning_tokens: usage.reasoning_tokens ?? 0 },
        },
      },
    }));
    const delayMs = reply.kind === 'text' || reply.kind === 'tools' ? reply.delayMs ?? 0 : 0;
    await writeFrames(res, frames, delayMs, reply.kind === 'text' ? reply.firstChunkDelayMs ?? 0 : 0);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}

/** The standalone demo: a read_file call for "tool-demo" messages until the tool result comes back. */
export function toolDemoHandler(req: CapturedRequest): FakeReply | undefined {
  if (!req.stream || endsWithToolResult(req) || !lastUserText(req).includes('tool-demo')) return undefined;
  return { kind: 'tools', calls: [{ name: 'read_file', args: JSON.stringify({ path: 'README.md' }) }] };
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

if (require.main === module) {
  const port = argValue('--port');
  void startFakeOpenAI({ port: port ? Number(port) : 0, apiKey: argValue('--api-key') }).then((fake) => {
    fake.setHandler(toolDemoHandler);
    process.stdout.write(`FAKE_OPENAI_URL=${fake.url}\n`);
  }, (err: unknown) => {
    process.stderr.write(`fake OpenAI server failed to start: ${String(err)}\n`);
    process.exit(1);
  });
}
