// User secrets through a real server, the fake model and real commands: `execute` gets them as env vars and
// files where they are enabled (workspace or chat), output carries `[secret:NAME]` instead of the value in
// what is stored and what the model is sent, and every create/update/delete is audited with who and which
// fields, never the value. No byte the server writes (database, WAL, log, JSON-RPC replies and notifications)
// holds a value.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import type { ResponseError } from 'vscode-jsonrpc/node';
import * as P from '../../server/protocol';
import type { Chat } from '../../server/protocol';
import type { SecretAuditEntry, UserSecret } from '../../server/protocol/usage';
import type { CapturedRequest, FakeReply } from '../fakes/fakeOpenAI';
import type { ServerHandle } from '../support/serverProcess';
import { setupEnv, text, type Env } from './helpers';

let env: Env;
beforeEach(async () => { env = await setupEnv(); });
afterEach(async () => { await env.cleanup(); });

type AppErr = ResponseError<P.ErrorData>;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const hashIn = (file: string) => readFileSync(path.join(env.workspace, file), 'utf8').split(/\s/)[0];
/** A value raw and inside JSON text, once and twice (JSON text that is itself a string of a JSON message). */
const escape = (v: string) => JSON.stringify(v).slice(1, -1);
const forms = (v: string) => [...new Set([v, escape(v), escape(escape(v))])];
const dbBytes = () => ['', '-wal', '-shm'].map((s) => (existsSync(env.dbPath + s) ? readFileSync(env.dbPath + s).toString('latin1') : '')).join('');

const lastUserText = (r: CapturedRequest) => JSON.stringify([...(r.messages ?? [])].reverse().find((m) => (m as { role: string }).role === 'user'));
const endsWithToolResult = (r: CapturedRequest) => (r.messages?.at(-1) as { role?: string } | undefined)?.role === 'tool';
const run = (command: string): FakeReply => ({ kind: 'tools', calls: [{ name: 'execute', args: JSON.stringify({ command }) }] });

const settled = (s: ServerHandle, chatId: string) => (s.events.get(chatId) ?? []).filter((e) => e.type === 'status' && (e.status === 'waiting' || e.status === 'error')).length;
async function turn(s: ServerHandle, chatId: string | null, content: string): Promise<string> {
  let id = chatId;
  const before = id ? settled(s, id) : 0;
  if (id) await s.request(P.SendMessage, { chat_id: id, content: text(content) });
  else id = (await s.request<unknown, Chat>(P.CreateChat, { content: text(content), permission_mode: 'bypass' })).id;
  await s.waitFor(() => settled(s, id) > before, 20_000, `turn "${content}"`);
  const chat = await s.request<unknown, Chat>(P.GetChat, { chat_id: id });
  assert.equal(chat.status, 'waiting', JSON.stringify(chat.last_error));
  return id;
}
const lastToolResult = async (s: ServerHandle, chatId: string) =>
  JSON.stringify((await s.request<unknown, P.MessagesPage>(P.GetMessages, { chat_id: chatId, limit: 200 })).messages.filter((m) => m.role === 'tool').at(-1)?.content);
const audit = (s: ServerHandle) => s.request<unknown, SecretAuditEntry[]>(P.ListSecretAudit, {});

test('commands get enabled secrets as env vars and files; output, storage and the next request carry [secret:NAME]; the audit names fields, never values; no value leaves the server', async () => {
  const token = `ghp_${randomUUID().replace(/-/g, '')}`;
  const deploy = `pa"ss\\word-${randomUUID()}`;
  const other = `other-${randomUUID()}`;
  const rotated = `ghp_rotated_${randomUUID().replace(/-/g, '')}`;
  const values = [token, deploy, other, rotated];

  const s = await env.start();
  let received = '';
  s.child.stdout!.on('data', (d: Buffer) => { received += d.toString('utf8'); });
  env.fake.setHandler((req) => {
    if (!req.stream) return undefined;
    if (endsWithToolResult(req)) return { kind: 'text', text: 'done' };
    const asked = lastUserText(req);
    if (asked.includes('run-1')) {
      return run('echo $MY_TOKEN; cat "$LOCAL_AGENTS_SECRETS_DIR/keys/deploy.txt"; echo; printf %s "$MY_TOKEN" | sha256sum > token.sha; '
        + 'sha256sum < "$LOCAL_AGENTS_SECRETS_DIR/keys/deploy.txt" > deploy.sha; printf %s "$OTHER_TOKEN" | wc -c > other-1.len; '
        // The file as a JSON string would show it: quotes and backslashes escaped.
        + 'printf "\\n{\\"key\\": \\"%s\\"}\\n" "$(sed \'s/\\\\/\\\\\\\\/g; s/"/\\\\"/g\' "$LOCAL_AGENTS_SECRETS_DIR/keys/deploy.txt")"');
    }
    if (asked.includes('run-2')) return run('echo "other: $OTHER_TOKEN"; printf %s "$OTHER_TOKEN" | sha256sum > other.sha');
    if (asked.includes('run-b')) return run('printf %s "$OTHER_TOKEN" | wc -c > other-b.len; echo "b: $MY_TOKEN"');
    return { kind: 'text', text: 'nothing to run' };
  });

  const apiToken = await s.request<unknown, UserSecret>(P.CreateUserSecret, { id: 'sec-api', name: 'api-token', value: token, env_var: 'MY_TOKEN', workspaces: [env.workspace] });
  const deployKey = await s.request<unknown, UserSecret>(P.CreateUserSecret, { id: 'sec-deploy', name: 'deploy key', value: deploy, file_path: 'keys/deploy.txt', workspaces: [env.workspace] });
  const otherSecret = await s.request<unknown, UserSecret>(P.CreateUserSecret, { id: 'sec-other', name: 'other', value: other, env_var: 'OTHER_TOKEN', workspaces: ['/somewhere/else'] });
  assert.deepEqual([apiToken, deployKey, otherSecret].map((x) => [x.name, x.env_var, x.file_path, x.has_value]),
    [['api-token', 'MY_TOKEN', null, true], ['deploy key', null, 'keys/deploy.txt', true], ['other', 'OTHER_TOKEN', null, true]]);
  // A failed create (the name is taken): no row, no audit row.
  const auditBefore = (await audit(s)).length;
  await assert.rejects(s.request(P.CreateUserSecret, { id: 'sec-dup', name: 'api-token', value: 'dup-value-xyz', env_var: 'DUP_TOKEN' }),
    (e: AppErr) => e.data?.status === 409 && e.data.field === 'name');
  assert.deepEqual((await s.request<unknown, UserSecret[]>(P.ListUserSecrets, {})).map((x) => x.id).sort(), ['sec-api', 'sec-deploy', 'sec-other']);
  assert.equal((await audit(s)).length, auditBefore);

  // Enabled for the workspace: the env var and the file; the other secret is not there.
  const chat = await turn(s, null, 'run-1');
  assert.equal(hashIn('token.sha'), sha256(token), 'the command received the env value');
  assert.equal(hashIn('deploy.sha'), sha256(deploy), 'and the file, byte for byte');
  assert.equal(readFileSync(path.join(env.workspace, 'other-1.len'), 'utf8').trim(), '0', 'a secret of another workspace is not in the env');
  const stored = await lastToolResult(s, chat);
  assert.match(stored, /\[secret:api-token\]/);
  assert.match(stored, /\[secret:deploy key\]/);
  assert.match(stored, /\{\\"key\\": \\"\[secret:deploy key\]\\"\}/, 'the JSON-escaped form too');
  const afterTool = env.fake.requests.filter((r) => r.stream && endsWithToolResult(r)).at(-1)!;
  assert.match(JSON.stringify(afterTool.messages), /\[secret:api-token\].*\[secret:deploy key\]/s, 'the model is sent the names');

  // Enabled for one chat: that chat's commands get it, another chat's do not.
  await s.request(P.SetChatSecrets, { chat_id: chat, secret_ids: [otherSecret.id] });
  assert.deepEqual((await s.request<unknown, UserSecret[]>(P.ListUserSecrets, {})).find((x) => x.id === otherSecret.id)?.chat_ids, [chat]);
  await turn(s, chat, 'run-2');
  assert.equal(hashIn('other.sha'), sha256(other));
  assert.match(await lastToolResult(s, chat), /other: \[secret:other\]/);
  const second = await turn(s, null, 'run-b');
  assert.equal(readFileSync(path.join(env.workspace, 'other-b.len'), 'utf8').trim(), '0');
  assert.match(await lastToolResult(s, second), /b: \[secret:api-token\]/);

  // Audit: who, which fields; a no-op update and reads are not audited; a bad update and a missing delete leave nothing.
  await s.request(P.UpdateUserSecret, { secret_id: apiToken.id, value: rotated });
  await s.request(P.UpdateUserSecret, { secret_id: otherSecret.id, name: 'other renamed' });
  await s.request(P.UpdateUserSecret, { secret_id: apiToken.id, value: rotated });
  await assert.rejects(s.request(P.UpdateUserSecret, { secret_id: deployKey.id, file_path: null }),
    (e: AppErr) => e.data?.status === 400 && e.data.field === 'env_var', 'a secret commands could not get is bad input');
  await s.request(P.DeleteUserSecret, { secret_id: otherSecret.id });
  await assert.rejects(s.request(P.DeleteUserSecret, { secret_id: otherSecret.id }), (e: AppErr) => e.data?.status === 404);
  await assert.rejects(s.request(P.DeleteUserSecret, { secret_id: 'never-was' }), (e: AppErr) => e.data?.status === 404);
  const entries = (await audit(s)).reverse();
  assert.deepEqual(entries.map((e) => [e.secret_id, e.action, e.changed_fields]), [
    ['sec-api', 'create', ['name', 'env_var', 'workspaces', 'value']],
    ['sec-deploy', 'create', ['name', 'file_path', 'workspaces', 'value']],
    ['sec-other', 'create', ['name', 'env_var', 'workspaces', 'value']],
    ['sec-api', 'update', ['value']],
    ['sec-other', 'update', ['name']],
    ['sec-other', 'delete', []],
  ]);
  assert.ok(entries.every((e) => e.actor === os.userInfo().username && !Number.isNaN(Date.parse(e.at))));
  assert.deepEqual(entries.map((e) => e.secret_name), ['api-token', 'deploy key', 'other', 'api-token', 'other renamed', 'other renamed']);
  assert.equal((await s.request<unknown, SecretAuditEntry[]>(P.ListSecretAudit, { secret_id: 'never-was' })).length, 0);
  // The rotated value is what commands get now.
  await turn(s, second, 'run-1 again');
  assert.equal(hashIn('token.sha'), sha256(rotated));

  // Nowhere: the database (file, WAL, shared memory), the log, every byte the client received, what the model was sent.
  const sent = JSON.stringify(env.fake.requests.map((r) => r.body));
  const check = (where: string, bytes: string) => {
    for (const v of values) for (const f of forms(v)) assert.ok(!bytes.includes(f), `${where} holds a secret value (${f.slice(0, 6)}…)`);
  };
  check('the database', dbBytes());
  check('the log', s.stderr());
  check('the JSON-RPC messages', received);
  check('the model requests', sent);
  assert.ok(received.includes('[secret:api-token]'), 'the capture saw the scrubbed output');
  await s.stop();
  check('the database after close', dbBytes());
  check('the log after close', s.stderr());

  // The values live in memory only: a new server holds none until the host hands them over.
  const again = await env.start();
  assert.deepEqual((await again.request<unknown, UserSecret[]>(P.ListUserSecrets, {})).map((x) => [x.id, x.has_value]), [['sec-api', false], ['sec-deploy', false]]);
  await again.request(P.SetUserSecretValues, { values: [{ secret_id: 'sec-api', value: rotated }, { secret_id: 'unknown', value: 'ignored-value' }] });
  assert.deepEqual((await again.request<unknown, UserSecret[]>(P.ListUserSecrets, {})).map((x) => [x.id, x.has_value]), [['sec-api', true], ['sec-deploy', false]]);
  await again.stop();
  check('the database at the end', dbBytes());
});
