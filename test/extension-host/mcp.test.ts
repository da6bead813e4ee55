// MCP from the extension host: a real stdio MCP server (server-everything) configured, tested and its
// tools allowed/denied through the commands; secrets land in SecretStorage and never in a reply; the
// workspace's .vscode/mcp.json is imported when it appears and removed when it goes; elicitation and
// user_oidc answers without a user or a session.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgentsContext } from '../../extension/context';
import { answerElicitation } from '../../extension/mcp/elicitation';
import { oidcAccessToken } from '../../extension/mcp/oidcTokens';
import type { McpServerConfig, McpTestResult } from '../../server/protocol/mcp';
import { CreateMcpServer, ListMcpServers } from '../../server/protocol/methods';

const EXTENSION_ID = 'local-agents.local-agents';
/** dist/test/suite.js → the repo's node_modules. */
const EVERYTHING = path.resolve(__dirname, '../../node_modules/@modelcontextprotocol/server-everything/dist/index.js');

async function agents(): Promise<AgentsContext> {
  const ext = vscode.extensions.getExtension<{ ctx: AgentsContext }>(EXTENSION_ID);
  assert.ok(ext, 'extension installed');
  return (await ext.activate()).ctx;
}

async function until<T>(what: string, pick: () => Promise<T | undefined>, ms = 20000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await pick();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const unique = (base: string) => `${base}-${Date.now().toString(36)}`;

describe('MCP in the extension host', function () {
  this.timeout(60000);

  it('a stdio server-everything config is tested from the command and its tools are allowed and denied', async () => {
    const ctx = await agents();
    await fs.access(EVERYTHING);
    const created = await ctx.request(CreateMcpServer, {
      slug: unique('everything'), display_name: 'Everything', transport: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'],
    });
    assert.equal(created.enabled, false, 'configs start disabled');
    const enabled = await vscode.commands.executeCommand<McpServerConfig>('localAgents.mcp.enable', created.id);
    assert.equal(enabled.enabled, true);

    const result = await vscode.commands.executeCommand<McpTestResult>('localAgents.mcp.test', created.id);
    assert.equal(result.ok, true, `test connection: ${result.outcome} ${result.error}`);
    const echo = result.tools.find((t) => t.name === 'echo');
    assert.ok(echo, `echo listed among ${result.tools.map((t) => t.name).join(', ')}`);
    assert.equal(echo.exposed_name, `${created.slug}__echo`);
    assert.equal(echo.enabled, true);

    const denied = await vscode.commands.executeCommand<McpServerConfig>('localAgents.mcp.denyTool', created.id, 'echo');
    assert.deepEqual(denied.tool_deny_list, ['echo']);
    const retest = await vscode.commands.executeCommand<McpTestResult>('localAgents.mcp.test', created.id);
    assert.equal(retest.tools.find((t) => t.name === 'echo')?.enabled, false, 'denied tool is not exposed');
    assert.ok(retest.tools.filter((t) => t.name !== 'echo').every((t) => t.enabled), 'the others still are');
    const allowed = await vscode.commands.executeCommand<McpServerConfig>('localAgents.mcp.allowTool', created.id, 'echo');
    assert.deepEqual(allowed.tool_deny_list, []);

    const intent = await vscode.commands.executeCommand<McpServerConfig>('localAgents.mcp.toggleModelIntent', created.id);
    assert.equal(intent.model_intent, true);
    assert.equal(await vscode.commands.executeCommand('localAgents.mcp.delete', created.id, true), true);
    const left = await ctx.request(ListMcpServers, { include_workspace_local: true });
    assert.ok(!left.some((c) => c.id === created.id));
  });

  it('an API key given at create goes to SecretStorage, the reply only says has_api_key, and delete removes it', async () => {
    const ctx = await agents();
    const secret = `sk-mcp-${Date.now()}-secret`;
    const created = await ctx.request(CreateMcpServer, {
      slug: unique('keyed'), display_name: 'Keyed', transport: 'streamable_http', url: 'http://127.0.0.1:9/mcp',
      auth_type: 'api_key', api_key_header: 'X-Api-Key', api_key_value: secret,
    });
    assert.equal(created.has_api_key, true);
    assert.ok(!JSON.stringify(created).includes(secret), 'no secret in the reply');
    const key = `localAgents.mcp.${created.id}.api_key`;
    assert.equal(await until('the key in SecretStorage', async () => (await ctx.ext.secrets.get(key)) ?? undefined), secret);
    const listed = await ctx.request(ListMcpServers, {});
    assert.ok(!JSON.stringify(listed).includes(secret), 'no secret in the list');

    await vscode.commands.executeCommand('localAgents.mcp.delete', created.id, true);
    await until('the key deleted', async () => ((await ctx.ext.secrets.get(key)) === undefined ? true : undefined));
  });

  it('the workspace .vscode/mcp.json (JSONC) is imported when written and its entry removed when deleted', async () => {
    const ctx = await agents();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the suite runs with a workspace folder');
    const file = path.join(folder.uri.fsPath, '.vscode', 'mcp.json');
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, `{
      // a comment VS Code allows
      "servers": {
        "ws-everything": { "type": "stdio", "command": ${JSON.stringify(process.execPath)}, "args": [${JSON.stringify(EVERYTHING)}], },
      },
    }`);
    const imported = await until('the import', async () => {
      const list = await ctx.request(ListMcpServers, { include_workspace_local: true });
      return list.find((c) => c.workspace_local && c.workspace_source === file);
    });
    assert.equal(imported.display_name, 'ws-everything');
    assert.equal(imported.transport, 'stdio');
    const notLocal = await ctx.request(ListMcpServers, { include_workspace_local: false });
    assert.ok(!notLocal.some((c) => c.id === imported.id), 'left out when workspace-local entries are not asked for');

    await fs.rm(file);
    await until('the removal', async () => {
      const list = await ctx.request(ListMcpServers, { include_workspace_local: true });
      return list.some((c) => c.id === imported.id) ? undefined : true;
    });
  });

  it('elicitation: dismissing the form cancels, declining declines, accepting sends typed values', async () => {
    const params = {
      server_id: 's1', server_name: 'Everything', chat_id: null, message: 'Who are you?',
      requested_schema: { type: 'object', properties: { name: { type: 'string', default: 'Ada' }, ok: { type: 'boolean' } }, required: ['name'] },
    };
    const noAnswer = { confirm: async () => undefined, text: async () => undefined, pick: async () => undefined };
    assert.deepEqual(await answerElicitation(params, noAnswer), { action: 'cancel' });
    assert.deepEqual(await answerElicitation(params, { ...noAnswer, confirm: async () => 'decline' as const }), { action: 'decline' });
    const accept = { confirm: async () => 'accept' as const, text: async () => 'Grace', pick: async () => ['true'] };
    assert.deepEqual(await answerElicitation(params, accept), { action: 'accept', content: { name: 'Grace', ok: true } });
  });

  it('user_oidc without a session answers null (no prompt)', async () => {
    const ctx = await agents();
    const r = await oidcAccessToken(ctx, { server_id: 's1', provider_id: 'no-such-provider', scopes: ['openid'] });
    assert.deepEqual(r, { access_token: null });
  });
});
