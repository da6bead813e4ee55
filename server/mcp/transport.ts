// Builds the SDK transport a config asks for: stdio (a child process), streamable HTTP or SSE, with the
// config's authentication attached.
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServerDef } from './configStore';
import type { AuthedFetch } from './httpAuth';
import { mcpSdk } from './sdk';

export interface BuiltTransport {
  transport: Transport;
  /** The last lines a stdio server wrote to stderr: the reason it died is usually there. */
  stderrTail(): string;
  finishAuth?(code: string): Promise<void>;
}

const STDERR_TAIL_BYTES = 4000;

/** `env`: the stdio server's own variables (values from SecretStorage or the environment), on top of the SDK's safe defaults. */
export function buildTransport(def: McpServerDef, http: AuthedFetch | null, authProvider: OAuthClientProvider | undefined, env: Record<string, string> = {}): BuiltTransport {
  const { StdioClientTransport, getDefaultEnvironment, SSEClientTransport, StreamableHTTPClientTransport } = mcpSdk();
  if (def.transport === 'stdio') {
    const t = new StdioClientTransport({
      command: def.command ?? '',
      args: def.args,
      env: { ...getDefaultEnvironment(), ...env },
      cwd: def.cwd ?? undefined,
      stderr: 'pipe',
    });
    let tail = '';
    t.stderr?.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });
    return { transport: t, stderrTail: () => tail.trim() };
  }
  const url = new URL(def.url ?? '');
  if (def.transport === 'sse') {
    const t = new SSEClientTransport(url, { fetch: http?.fetch, authProvider });
    return { transport: t, stderrTail: () => '', finishAuth: (code) => t.finishAuth(code) };
  }
  const t = new StreamableHTTPClientTransport(url, { fetch: http?.fetch, authProvider });
  return { transport: t, stderrTail: () => '', finishAuth: (code) => t.finishAuth(code) };
}
