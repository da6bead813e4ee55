// The loopback HTTP API: the request table's HTTP routes under /api/experimental, the chat stream and the
// watch as Server-Sent Events, and the OpenAPI document. It binds to a loopback address only, answers only
// requests addressed to a loopback name (DNS rebinding), requires the bearer token on every request, and
// sends no CORS headers. Every rule is the capability's: this file turns HTTP into params and back.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '../app';
import { AppError, toAppError } from '../errors';
import { dispatch } from '../handlers';
import { log } from '../logger';
import { MAX_UPLOAD_BYTES } from '../protocol/requests';
import { openApiDocument } from './openapi';
import { API_PREFIX, decodePathSegment, matchRoute, paramsFromQuery, pathParams } from './routes';
import { SseConnection } from './sse';
import { StreamHub } from './streamHub';
import { bearerMatches } from './token';
import { WatchHub } from './watchHub';

const MAX_JSON_BYTES = 16 * 1024 * 1024;
const MAX_SSE_CONNECTIONS = 1000;

export interface HttpApiOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  /** Read on every request, so a rotated token takes effect at once. */
  token: () => string;
}

export interface HttpApi {
  url: string;
  port: number;
  server: Server;
  stats(): { streams: number; watchers: number };
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** 127.0.0.0/8, ::1 and localhost: anything else is refused before a socket is opened. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function hostNameOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(header.trim().toLowerCase());
  return m?.[1];
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (status === 204) {
    res.writeHead(204, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers }).end(text);
}

/** How long a refused request's remaining input is read and dropped before its connection is closed. */
const CLIENT_ERROR_DRAIN_MS = 5000;

function sendError(res: ServerResponse, err: unknown, headers: Record<string, string> = {}): void {
  const e = toAppError(err);
  // A 500 is ours, never the client's input: it is logged, and its message says only that.
  if (e.status >= 500) log.error('HTTP API request failed', { error: e.message });
  const status = e.status >= 400 && e.status < 600 ? e.status : 500;
  sendJson(res, status, status >= 500 ? { message: 'Internal server error.', detail: e.message, validations: [] } : e.toHttpBody(), headers);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(new AppError(413, 'Request body too large.', `At most ${limit} bytes.`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new AppError(413, 'Request body too large.', `At most ${limit} bytes.`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readBody(req, MAX_JSON_BYTES);
  if (raw.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new AppError(400, 'Invalid JSON body.', (err as Error).message);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new AppError(400, 'Request body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

function fileName(req: IncomingMessage, query: URLSearchParams): string | undefined {
  const fromQuery = query.get('name') ?? query.get('file_name');
  if (fromQuery) return fromQuery;
  const cd = req.headers['content-disposition'];
  const m = cd ? /filename(\*?)=(?:UTF-8'')?"?([^";]+)"?/i.exec(cd) : null;
  if (!m) return undefined;
  // `filename=` is the name as it is (RFC 6266); only `filename*=` is percent-encoded, and a malformed
  // escape there is the client's 400, not a URIError's 500.
  if (!m[1]) return m[2];
  try {
    return decodeURIComponent(m[2]);
  } catch {
    throw new AppError(400, 'Invalid file name.', 'filename* in Content-Disposition is not valid percent-encoded UTF-8.', 'name');
  }
}

export async function startHttpApi(app: App, opts: HttpApiOptions): Promise<HttpApi> {
  if (!isLoopbackHost(opts.host)) throw new AppError(400, `The API listens on loopback addresses only, not ${opts.host}.`, 'Use 127.0.0.1, ::1 or localhost.', 'host');
  const streams = new StreamHub(app);
  const watch = new WatchHub(app);
  let sse = 0;

  const openSse = (req: IncomingMessage, res: ServerResponse): SseConnection | undefined => {
    if (sse >= MAX_SSE_CONNECTIONS) {
      sendJson(res, 429, { message: 'Too many open streams.', detail: `At most ${MAX_SSE_CONNECTIONS}.`, validations: [] });
      return undefined;
    }
    sse++;
    const conn = new SseConnection(req, res);
    conn.whenClosed(() => { sse--; });
    return conn;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = hostNameOf(req.headers.host);
    // The whole name must be a loopback address: a prefix test would let `127.0.0.1.evil.example` (a name
    // an attacker's DNS rebinds to 127.0.0.1) through.
    if (!host || (!LOOPBACK_HOSTS.has(host) && !/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host))) {
      sendJson(res, 403, { message: 'Host not allowed.', detail: 'The API answers requests addressed to 127.0.0.1, localhost or [::1] only.', validations: [] });
      return;
    }
    if (!bearerMatches(req.headers.authorization, opts.token())) {
      sendJson(res, 401, { message: 'Unauthorized.', detail: 'Send Authorization: Bearer <token>; `local-agents api token` prints it.', validations: [] }, { 'WWW-Authenticate': 'Bearer' });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!url.pathname.startsWith(`${API_PREFIX}/`)) throw new AppError(404, 'Not found.', `The API is under ${API_PREFIX}.`);
    const path = url.pathname.slice(API_PREFIX.length).replace(/\/+$/, '') || '/';
    const verb = (req.method ?? 'GET').toUpperCase();

    if (path === '/openapi.json' && verb === 'GET') {
      sendJson(res, 200, openApiDocument());
      return;
    }
    if (path === '/chats/watch' && verb === 'GET') {
      const conn = openSse(req, res);
      if (conn) watch.subscribe(conn, header(req, 'last-event-id') ?? url.searchParams.get('last_event_id') ?? undefined);
      return;
    }
    const stream = /^\/chats\/([^/]+)\/stream$/.exec(path);
    if (stream && verb === 'GET') {
      const chatId = decodePathSegment(stream[1], 'chat_id');
      await dispatch(app, 'GetChat', { chat_id: chatId });
      const afterRaw = url.searchParams.get('after_id');
      const afterId = afterRaw === null ? undefined : Number(afterRaw);
      if (afterId !== undefined && (!Number.isInteger(afterId) || afterId < 0)) throw new AppError(400, 'Invalid after_id.', 'after_id must be a message id (a non-negative integer).', 'after_id');
      const conn = openSse(req, res);
      if (conn) await streams.subscribe(chatId, conn, { lastEventId: header(req, 'last-event-id'), afterId });
      return;
    }

    const match = matchRoute(verb, path);
    if (!match) throw new AppError(404, 'Not found.', `No route ${verb} ${API_PREFIX}${path}.`);
    if ('allowed' in match) {
      sendJson(res, 405, { message: 'Method not allowed.', detail: `Use ${match.allowed.join(', ')}.`, validations: [] }, { Allow: match.allowed.join(', ') });
      return;
    }
    const { route, pathValues } = match;
    let params: Record<string, unknown>;
    if (route.http.body === 'raw') {
      const data = await readBody(req, MAX_UPLOAD_BYTES);
      params = { name: fileName(req, url.searchParams), media_type: (req.headers['content-type'] ?? '').split(';')[0].trim() || undefined, data: data.toString('base64') };
    } else if (verb === 'GET' || verb === 'DELETE') {
      params = paramsFromQuery(route, url.searchParams);
    } else {
      params = await jsonBody(req);
    }
    // Path segments name the resource: they win over the same names in a body.
    Object.assign(params, pathParams(route, pathValues));
    const result = await dispatch(app, route.name, params);
    if (route.http.response === 'raw') {
      const file = result as { data: string; media_type: string; name: string };
      const bytes = Buffer.from(file.data, 'base64');
      res.writeHead(200, {
        'Content-Type': file.media_type,
        'Content-Length': bytes.length,
        'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
        'X-Content-Type-Options': 'nosniff',
      }).end(bytes);
      return;
    }
    sendJson(res, route.http.status ?? 200, result ?? null);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.end();
        return;
      }
      sendError(res, err);
    });
  });
  // A request Node's parser refuses (headers past 16 kB, a malformed request line) never reaches handle():
  // Node would answer with a bare status line. It gets the API's JSON error body like any other refusal.
  // Node's parser reports each further chunk of a refused request again: the first report answers, the rest
  // must not close the socket under the client's write.
  const answered = new WeakSet<object>();
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (answered.has(socket) && err.code !== 'ECONNRESET') return;
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const [status, reason, message] = err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large', 'Request headers too large.']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Request Timeout', 'Request timed out.'] : [400, 'Bad Request', 'Bad request.'];
    const body = JSON.stringify({ message, detail: `The HTTP request could not be read (${err.code ?? err.message}).`, validations: [] });
    // The client may still be sending its body: what comes is read and dropped until it is done (or a grace
    // period ends), because closing a socket with unread input resets it and the client never sees the answer.
    answered.add(socket);
    socket.on('data', () => undefined);
    socket.resume();
    const drained = setTimeout(() => socket.destroy(), CLIENT_ERROR_DRAIN_MS);
    drained.unref();
    socket.once('close', () => clearTimeout(drained));
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  server.keepAliveTimeout = 5000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 0; // SSE responses stay open

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new AppError(409, `Port ${opts.port} on ${opts.host} is in use.`, 'Another local-agents server (or another program) listens there; pick another port, or 0 for any free one.', 'port'));
      else reject(err);
    });
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${urlHost}:${port}${API_PREFIX}`,
    port,
    server,
    stats: () => ({ streams: streams.connections, watchers: watch.connections }),
    async close() {
      streams.close();
      watch.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
