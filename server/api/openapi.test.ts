import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REQUESTS } from '../protocol/methods';
import { RESULTS } from '../protocol/schemas';
import { openApiDocument } from './openapi';

type Op = { operationId: string; parameters?: Array<{ name: string; in: string }>; requestBody?: unknown; responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }> };

test('the OpenAPI document has every HTTP route of the table with its params, body and result schema', () => {
  const doc = openApiDocument('experimental') as { openapi: string; paths: Record<string, Record<string, Op>> };
  assert.equal(doc.openapi, '3.1.0');
  for (const [name, e] of Object.entries(REQUESTS)) {
    if (!e.http) continue;
    const op = doc.paths[`/api/experimental${e.http.path}`]?.[e.http.verb.toLowerCase()];
    assert.ok(op, `${name}: ${e.http.verb} ${e.http.path} is missing`);
    assert.equal(op.operationId, name.charAt(0).toLowerCase() + name.slice(1));
    for (const [, p] of e.http.path.matchAll(/\{(\w+)\}/g)) assert.ok(op.parameters?.some((x) => x.name === p && x.in === 'path'), `${name}: path param ${p}`);
    const ok = op.responses[String(e.http.status ?? 200)];
    assert.ok(ok, `${name}: no ${e.http.status ?? 200} response`);
    if ((e.http.status ?? 200) !== 204 && e.http.response !== 'raw') {
      assert.ok(name in RESULTS, `${name}: no result schema`);
      assert.ok(Object.keys(ok.content?.['application/json']?.schema ?? {}).length > 0, `${name}: empty result schema`);
    }
  }
  const create = doc.paths['/api/experimental/chats'].post;
  const body = (create.requestBody as { content: { 'application/json': { schema: { properties: Record<string, unknown>; required: string[] } } } }).content['application/json'].schema;
  assert.ok('unsafe_dynamic_tools' in body.properties && 'content' in body.properties);
  assert.deepEqual(body.required, ['content']);
  const list = doc.paths['/api/experimental/chats'].get;
  assert.ok(list.parameters?.some((p) => p.name === 'label' && p.in === 'query'));
  assert.ok(doc.paths['/api/experimental/chats/watch'] && doc.paths['/api/experimental/chats/{chat_id}/stream']);
});

test('docs/openapi.json is what the code generates (npm run build writes it)', () => {
  const file = path.join(__dirname, '..', '..', 'docs', 'openapi.json');
  assert.equal(readFileSync(file, 'utf8'), `${JSON.stringify(openApiDocument('experimental'), null, 2)}\n`, 'run npm run build and commit docs/openapi.json');
});
