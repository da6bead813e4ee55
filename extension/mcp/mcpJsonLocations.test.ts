import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serversOfMcpJson, userMcpJsonPath, workspaceMcpJsonPath } from './mcpJsonLocations';

test('servers of an mcp.json: top-level, the settings shape, none, and clear errors', () => {
  assert.deepEqual(serversOfMcpJson('{"servers":{"x":{"command":"node"}},"inputs":[]}', 'f'), { x: { command: 'node' } });
  assert.deepEqual(serversOfMcpJson('{"mcp":{"servers":{"y":{"url":"http://h"}}}}', 'f'), { y: { url: 'http://h' } });
  assert.deepEqual(serversOfMcpJson('{}', 'f'), {});
  assert.throws(() => serversOfMcpJson('{"servers": [1]}', '/w/.vscode/mcp.json'), /"servers" in \/w\/.vscode\/mcp.json must be an object/);
  assert.throws(() => serversOfMcpJson('{"servers": ', '/w/mcp.json'), /\/w\/mcp.json is not valid JSON/);
  assert.throws(() => serversOfMcpJson('[]', 'f'), /f must hold a JSON object/);
});

test('the user mcp.json is found from the global storage folder', () => {
  assert.equal(userMcpJsonPath('/home/u/.config/Code/User/globalStorage/local-agents.local-agents'), '/home/u/.config/Code/User/mcp.json');
  assert.equal(userMcpJsonPath('/somewhere/else/local-agents'), null);
  assert.equal(workspaceMcpJsonPath('/w'), '/w/.vscode/mcp.json');
});
