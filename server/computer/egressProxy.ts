// Every connection the computer-use browser makes leaves through this proxy (Chromium's --proxy-server, with
// loopback not bypassed), so the origin policy holds where page.route cannot see: Playwright's routes do not
// intercept the requests a redirect makes (a loopback page answering 302 to another origin reached it), and
// anything else Chromium fetches on its own. HTTP requests are judged by URL; CONNECT tunnels (HTTPS, secure
// WebSockets) by origin, since the path is inside TLS; the routes still judge those by URL.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { RequestVerdict } from './originPolicy';

export interface EgressJudge {
  /** A plain-HTTP request by its full URL. */
  request(url: string): RequestVerdict;
  /** A tunnel to host:port (TLS inside): by origin. */
  tunnel(host: string, port: number): RequestVerdict;
  /** `target`: the URL of a refused request, or the `https://host:port` origin of a refused tunnel. */
  blocked(target: string, what: string, why: string): void;
}

/** `--host-resolver-rules=MAP host ip` of the browser's own flags (tests map a name to this machine): the proxy resolves the same way. */
export function hostMapOf(browserArgs: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const a of browserArgs) {
    const m = /^--host-resolver-rules=(.*)$/.exec(a);
    if (!m) continue;
    for (const rule of m[1].split(',')) {
      const r = /^\s*MAP\s+(\S+)\s+(\S+)\s*$/i.exec(rule);
      if (r) map.set(r[1].toLowerCase(), r[2]);
    }
  }
  return map;
}

export class EgressProxy {
  private readonly server: http.Server;
  private readonly sockets = new Set<Duplex>();

  constructor(private readonly judge: EgressJudge, private readonly hostMap: Map<string, string> = new Map()) {
    this.server = http.createServer((req, res) => this.forward(req, res));
    this.server.on('connect', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => this.connect(req, socket, head));
    this.server.on('connection', (s: net.Socket) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
    this.server.close();
  }

  private target(host: string): string {
    return this.hostMap.get(host.toLowerCase().replace(/^\[|\]$/g, '')) ?? host;
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end();
      return;
    }
    const verdict = this.judge.request(url.href);
    if (!verdict.allowed) {
      this.judge.blocked(url.href, `${req.method ?? 'GET'} ${url.href}`, verdict.why);
      res.writeHead(403, { 'content-type': 'text/plain' }).end(`Blocked by Local Agents: ${verdict.why}.`);
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-connection'];
    delete headers['proxy-authorization'];
    const upstream = http.request({
      host: this.target(url.hostname), port: url.port || 80, method: req.method, path: `${url.pathname}${url.search}`, headers,
    }, (up) => {
      // Redirects are passed to the browser as they are: its next request comes through here again.
      res.writeHead(up.statusCode ?? 502, up.rawHeaders);
      up.pipe(res);
    });
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`The proxy could not reach ${url.host}: ${err.message}`);
    });
    req.pipe(upstream);
  }

  private connect(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(req.url ?? '');
    if (!m) {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    const [, host, portText] = m;
    const port = Number(portText);
    const verdict = this.judge.tunnel(host, port);
    if (!verdict.allowed) {
      this.judge.blocked(`https://${host.includes(':') ? `[${host}]` : host}${port === 443 ? '' : `:${port}`}`, `CONNECT ${host}:${port}`, verdict.why);
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = net.connect(port, this.target(host), () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    this.sockets.add(upstream);
    upstream.on('close', () => this.sockets.delete(upstream));
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  }
}
