// The trace of a real JSON-RPC connection (vscode-jsonrpc, as the language client runs it) for the requests that
// carry a secret: what reaches the channel has every secret replaced and keeps the rest readable.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, Trace, TraceFormat, type Tracer } from 'vscode-jsonrpc/node';
import { redactSecrets } from './traceRedaction';

const SECRETS = ['sk-provider-1234567890', 'ghp_github0123456789', 'mcp-key-abcdef', 'hdr-secret-xyz', 'env-secret-42', 'oauth-secret-9', 'user-secret-value', 'api-bearer-77'];

const REQUESTS: Array<[string, unknown]> = [
  ['localAgents/providers/setKey', { provider_id: 'p1', api_key: SECRETS[0] }],
  ['localAgents/github/setToken', { host: 'github.com', token: SECRETS[1] }],
  ['localAgents/mcp/setSecret', { server_id: 's1', kind: 'api_key', value: SECRETS[2] }],
  ['localAgents/mcp/create', { slug: 'x', api_key_value: SECRETS[2], custom_headers: { 'X-Token': SECRETS[3] }, env: { TOKEN: SECRETS[4], OTHER: 'also "quoted"' }, oauth2_client_secret: SECRETS[5] }],
  ['localAgents/secrets/provide', { values: [{ secret_id: 'a', value: SECRETS[6] }, { secret_id: 'b', value: 'with \\"escapes\\"' }] }],
];

async function traceOf(level: Trace, format: TraceFormat): Promise<string> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const server = createMessageConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  server.onRequest((method) => (method === 'localAgents/api/info' ? { url: 'http://127.0.0.1:1', token: SECRETS[7] } : null));
  server.listen();
  const lines: string[] = [];
  const tracer: Tracer = { log: (data: unknown, more?: string) => { lines.push(typeof data === 'string' ? data : JSON.stringify(data)); if (more) lines.push(more); } };
  client.listen();
  await client.trace(level, tracer, { sendNotification: false, traceFormat: format });
  for (const [method, params] of REQUESTS) await client.sendRequest(method, params);
  await client.sendRequest('localAgents/api/info', {});
  client.dispose();
  server.dispose();
  return lines.join('\n');
}

for (const [name, level, format] of [['verbose', Trace.Verbose, TraceFormat.Text], ['compact', Trace.Compact, TraceFormat.Text], ['json', Trace.Verbose, TraceFormat.JSON]] as const) {
  test(`a ${name} trace of the requests that carry secrets holds none of them once redacted`, async () => {
    const raw = await traceOf(level, format);
    assert.ok(SECRETS.every((s) => raw.includes(s)), 'the unredacted trace has every secret (else this test proves nothing)');
    const redacted = redactSecrets(raw);
    for (const s of SECRETS) assert.equal(redacted.includes(s), false, `${s} is still in the ${name} trace`);
    assert.match(redacted, /localAgents\/providers\/setKey/);
    assert.match(redacted, /provider_id/);
    assert.match(redacted, /\[redacted\]/);
  });
}

test('what is not a secret stays as it was', () => {
  const text = JSON.stringify({ chat_id: 'c1', content: [{ type: 'text', text: 'value of x' }], tokens: 12, model: 'gpt' }, null, 4);
  assert.equal(redactSecrets(text), text);
});
