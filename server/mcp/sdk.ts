// The MCP SDK is loaded when a server is first connected or authorized, not when the server process starts:
// evaluating its schemas and validators was ~100 ms of every start, and most starts connect no MCP server
// before the first turn. Code that runs only once a connection exists reads the loaded SDK with mcpSdk().
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { auth, UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import type { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResultSchema, CreateMessageRequestSchema, ElicitRequestSchema, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';

export interface McpSdk {
  Client: typeof Client;
  UnauthorizedError: typeof UnauthorizedError;
  auth: typeof auth;
  StdioClientTransport: typeof StdioClientTransport;
  getDefaultEnvironment: typeof getDefaultEnvironment;
  SSEClientTransport: typeof SSEClientTransport;
  StreamableHTTPClientTransport: typeof StreamableHTTPClientTransport;
  CallToolResultSchema: typeof CallToolResultSchema;
  CreateMessageRequestSchema: typeof CreateMessageRequestSchema;
  ElicitRequestSchema: typeof ElicitRequestSchema;
  McpError: typeof McpError;
  ErrorCode: typeof ErrorCode;
}

let loaded: McpSdk | undefined;
let loading: Promise<McpSdk> | undefined;

export function loadMcpSdk(): Promise<McpSdk> {
  loading ??= Promise.all([
    import('@modelcontextprotocol/sdk/client/index.js'),
    import('@modelcontextprotocol/sdk/client/auth.js'),
    import('@modelcontextprotocol/sdk/client/stdio.js'),
    import('@modelcontextprotocol/sdk/client/sse.js'),
    import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
    import('@modelcontextprotocol/sdk/types.js'),
  ]).then(([index, authModule, stdio, sse, streamableHttp, types]) => (loaded = {
    Client: index.Client,
    UnauthorizedError: authModule.UnauthorizedError,
    auth: authModule.auth,
    StdioClientTransport: stdio.StdioClientTransport,
    getDefaultEnvironment: stdio.getDefaultEnvironment,
    SSEClientTransport: sse.SSEClientTransport,
    StreamableHTTPClientTransport: streamableHttp.StreamableHTTPClientTransport,
    CallToolResultSchema: types.CallToolResultSchema,
    CreateMessageRequestSchema: types.CreateMessageRequestSchema,
    ElicitRequestSchema: types.ElicitRequestSchema,
    McpError: types.McpError,
    ErrorCode: types.ErrorCode,
  }));
  return loading;
}

/** The SDK, for code that runs only after loadMcpSdk() resolved (a connection or transport exists). */
export function mcpSdk(): McpSdk {
  if (!loaded) throw new Error('the MCP SDK is used before loadMcpSdk() resolved');
  return loaded;
}
