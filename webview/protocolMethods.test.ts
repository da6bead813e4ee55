import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as Mcp from '../server/protocol/mcp';
import * as Req from '../server/protocol/requests';
import { WEBVIEW_ALLOWED_METHODS } from '../server/protocol/webview';
import * as Webview from './protocolMethods';

test('every webview request names the same method as the protocol definition of that name, and the host allows it', () => {
  const protocol: Record<string, unknown> = { ...Req, ...Mcp };
  const defs = Object.entries(Webview);
  assert.ok(defs.length >= 10);
  for (const [name, d] of defs) {
    const original = protocol[name] as { method?: string } | undefined;
    assert.ok(original?.method, `${name} is not a protocol request`);
    assert.equal(d.method, original.method, name);
    assert.ok((WEBVIEW_ALLOWED_METHODS as readonly string[]).includes(d.method), `${name} is not allowed by the host`);
  }
});
