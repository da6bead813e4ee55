// A real server process over stdio, driven by vscode-jsonrpc exactly as the extension's language client does.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { InitOptions } from '../../server/main';
import type { ChatStreamEvent, ChatWatchEvent, ChatStreamNotificationParams } from '../../server/protocol';
import { ChatStreamNotification, ChatWatchNotification } from '../../server/protocol';

export const SERVER_JS = path.resolve(__dirname, '../../dist/server.js');
export const CLI_JS = path.resolve(__dirname, '../../dist/cli.js');

export interface ServerHandle {
  child: ChildProcess;
  conn: MessageConnection;
  request<P, R>(def: { method: string }, params: P): Promise<R>;
  /** Every stream event received so far, per chat. */
  events: Map<string, ChatStreamEvent[]>;
  watch: ChatWatchEvent[];
  stderr: () => string;
  waitFor(pred: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  waitForStatus(chatId: string, statuses: string[], timeoutMs?: number): Promise<void>;
  /** Graceful stop: shutdown + exit. */
  stop(): Promise<number | null>;
  /** kill -9. */
  kill(): Promise<void>;
  readyMs: number;
}

/** `runtime`: another Node and server bundle (the packaged VSIX's) instead of this Node and dist/server.js. */
export async function startServer(init: InitOptions, env: NodeJS.ProcessEnv = {}, runtime: { node: string; serverJs: string } = { node: process.execPath, serverJs: SERVER_JS }): Promise<ServerHandle> {
  const started = performance.now();
  const child = spawn(runtime.node, [runtime.serverJs, '--stdio'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, OPENAI_BASE_URL: '', OPENAI_API_KEY: '', OPENAI_MODEL: '', ...env },
  });
  let err = '';
  child.stderr!.on('data', (d) => { err += d; });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // vscode-jsonrpc leaves a request pending forever when the process at the other end dies: each one races the
  // exit, so a crash fails the test with the server's log instead of hanging it (kill() and stop() end it on purpose).
  let ending = false;
  const died = exited.then((code): never => {
    if (!ending) throw new Error(`the server exited (code ${code}) before it answered\n--- server log ---\n${err.slice(-4000)}`);
    return undefined as never;
  });
  died.catch(() => undefined);
  const untilExit = <T>(p: Promise<T>): Promise<T> => Promise.race([p, died.then(() => new Promise<never>(() => undefined))]);
  const conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const events = new Map<string, ChatStreamEvent[]>();
  const watch: ChatWatchEvent[] = [];
  const waiters = new Set<() => void>();
  const poke = () => { for (const w of [...waiters]) w(); };
  conn.onNotification(ChatStreamNotification.method, (p: ChatStreamNotificationParams) => {
    const list = events.get(p.chat_id) ?? [];
    list.push(...p.events);
    events.set(p.chat_id, list);
    poke();
  });
  conn.onNotification(ChatWatchNotification.method, (e: ChatWatchEvent) => { watch.push(e); poke(); });
  conn.onNotification('window/logMessage', (m: { message: string }) => { err += m.message + '\n'; });
  conn.listen();
  await untilExit(conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: init }));
  conn.sendNotification('initialized', {});
  const readyMs = performance.now() - started;

  const handle: ServerHandle = {
    child, conn, events, watch, readyMs,
    stderr: () => err,
    request: (def, params) => untilExit(conn.sendRequest(def.method, params)),
    waitFor(pred, timeoutMs = 15_000, what = 'condition') {
      if (pred()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        // Re-checked on every notification and on a short poll (for conditions outside the server, e.g. the fake).
        const t = setTimeout(() => { clearInterval(poll); waiters.delete(check); reject(new Error(`timed out waiting for ${what}\n--- server log ---\n${err.slice(-4000)}`)); }, timeoutMs);
        const check = () => { if (pred()) { clearTimeout(t); clearInterval(poll); waiters.delete(check); resolve(); } };
        const poll = setInterval(check, 50);
        waiters.add(check);
      });
    },
    waitForStatus(chatId, statuses, timeoutMs) {
      return handle.waitFor(() => {
        const last = [...(events.get(chatId) ?? [])].reverse().find((e) => e.type === 'status');
        return !!last && last.type === 'status' && statuses.includes(last.status);
      }, timeoutMs, `chat ${chatId} status ${statuses.join('|')}`);
    },
    async stop() {
      // A server that dies before it answers shutdown failed to shut down: that is an error, not a hang.
      if (child.exitCode === null && child.signalCode === null) {
        await untilExit(conn.sendRequest('shutdown'));
        ending = true;
        conn.sendNotification('exit');
      }
      ending = true;
      const code = await exited;
      conn.dispose();
      return code;
    },
    async kill() {
      ending = true;
      child.kill('SIGKILL');
      await exited;
      conn.dispose();
    },
  };
  return handle;
}

/** The text an assistant streamed for a chat, from its message_part events. */
export function streamedText(events: ChatStreamEvent[] | undefined): string {
  return (events ?? []).map((e) => (e.type === 'message_part' && e.part.type === 'text' ? e.part.text : '')).join('');
}
