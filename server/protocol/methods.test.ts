import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as Mcp from './mcp';
import * as M from './methods';
import * as Req from './requests';

const methodOf = (v: unknown): string | undefined => (v && typeof v === 'object' && 'method' in v && typeof v.method === 'string' ? v.method : undefined);

test('every request and notification is built on its entry in methods.ts, and every entry has one', () => {
  const defs = new Map<string, string>();
  for (const [name, v] of [...Object.entries(Req), ...Object.entries(Mcp)]) {
    const method = methodOf(v);
    if (method) defs.set(name, method);
  }
  const light = new Map(Object.entries(M).flatMap(([name, v]) => (methodOf(v) ? [[name, methodOf(v) as string] as const] : [])));
  assert.ok(defs.size > 40, `${defs.size} definitions`);
  assert.deepEqual([...defs.keys()].sort(), [...light.keys()].sort());
  for (const [name, method] of defs) assert.equal(light.get(name), method, name);
  assert.equal(new Set(light.values()).size, light.size, 'method names are unique');
});

test('the secret kinds the extension knows are the schema\'s', () => {
  assert.deepEqual(Mcp.McpSecretKindSchema.options, [...M.MCP_SECRET_KINDS]);
});
