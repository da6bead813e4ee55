// The client under test for the MCP conformance runner: maps the scenario the runner names
// (MCP_CONFORMANCE_SCENARIO, MCP_CONFORMANCE_CONTEXT) to a `local-agents mcp probe` invocation and runs
// it with the project's Node (the runner itself needs Node 22). Usage: conformanceClient.mjs SERVER_URL
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const url = process.argv[2];
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
const context = process.env.MCP_CONFORMANCE_CONTEXT ? JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT) : {};
const node = process.env.LOCAL_AGENTS_NODE || process.execPath;

const args = ['mcp', 'probe', url];
const env = { ...process.env };
if (scenario === 'tools_call') args.push('--call', 'add_numbers', '--args', '{"a":5,"b":3}');
else if (scenario === 'elicitation-sep1034-client-defaults') args.push('--call', 'test_client_elicitation_defaults');
else if (scenario === 'sse-retry') args.push('--call', 'test_reconnection');
else if (scenario.startsWith('auth/')) {
  args.push('--auth', 'oauth2', '--call', 'test-tool', '--client-metadata-url', 'https://conformance-test.local/client-metadata.json');
  if (context.client_id) args.push('--client-id', context.client_id);
  if (context.client_secret) env.LOCAL_AGENTS_MCP_CLIENT_SECRET = context.client_secret;
}
const r = spawnSync(node, ['--import', 'tsx', path.join(root, 'server/cli/main.ts'), ...args, '--verbose'], { cwd: root, env, stdio: 'inherit' });
process.exit(r.status ?? 1);
