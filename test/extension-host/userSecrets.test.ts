// User secrets from the extension host, with the real SecretStorage: the value is written there first and the
// server's create/update follows; when the server refuses, the SecretStorage write is undone (the previous
// value back, or the entry gone); delete removes both; after a restart the values are handed over again.
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { AgentsContext } from '../../extension/context';
import { createUserSecret, deleteUserSecret, updateUserSecret, userSecretKey } from '../../extension/userSecrets';
import { ListSecretAudit, ListUserSecrets } from '../../server/protocol/methods';

const EXTENSION_ID = 'local-agents.local-agents';

async function agents(): Promise<AgentsContext> {
  const ext = vscode.extensions.getExtension<{ ctx: AgentsContext }>(EXTENSION_ID);
  assert.ok(ext, 'extension installed');
  return (await ext.activate()).ctx;
}

const fields = (name: string, env_var: string | null) => ({ name, env_var, file_path: null, workspaces: ['*'] });

describe('user secrets (host)', () => {
  it('create: the value in SecretStorage, the server holds it, the audit says "value" and never the value', async () => {
    const ctx = await agents();
    const value = `tok-${randomUUID()}`;
    const created = await createUserSecret(ctx, fields(`Token ${Date.now()}`, `HOST_TOKEN_${Date.now()}`), value);
    assert.equal(await ctx.ext.secrets.get(userSecretKey(created.id)), value);
    assert.equal(created.has_value, true);
    const audit = await ctx.request(ListSecretAudit, { secret_id: created.id });
    assert.deepEqual(audit.map((a) => a.action), ['create']);
    assert.ok(audit[0].changed_fields.includes('value'));
    assert.ok(!JSON.stringify(audit).includes(value), 'no value in the audit');
    assert.ok(!JSON.stringify(await ctx.request(ListUserSecrets, {})).includes(value), 'no value in the list');
    await deleteUserSecret(ctx, created.id);
  });

  it('a create the server refuses leaves nothing in SecretStorage and no audit row', async () => {
    const ctx = await agents();
    const name = `Taken ${Date.now()}`;
    const first = await createUserSecret(ctx, fields(name, `TAKEN_${Date.now()}`), 'first-value');
    const id = randomUUID();
    await assert.rejects(createUserSecret(ctx, fields(name, `OTHER_${Date.now()}`), 'second-value', id), /already exists/);
    assert.equal(await ctx.ext.secrets.get(userSecretKey(id)), undefined, 'the write was undone');
    assert.deepEqual(await ctx.request(ListSecretAudit, { secret_id: id }), []);
    await deleteUserSecret(ctx, first.id);
  });

  it('an update the server refuses puts the previous value back', async () => {
    const ctx = await agents();
    const stamp = Date.now();
    const a = await createUserSecret(ctx, fields(`A ${stamp}`, `A_${stamp}`), 'value-a');
    const b = await createUserSecret(ctx, fields(`B ${stamp}`, `B_${stamp}`), 'value-b');
    // B may not take A's variable: refused, and B's stored value is B's again.
    await assert.rejects(updateUserSecret(ctx, b.id, fields(`B ${stamp}`, `A_${stamp}`), 'value-b2'), /already used/);
    assert.equal(await ctx.ext.secrets.get(userSecretKey(b.id)), 'value-b');
    assert.deepEqual((await ctx.request(ListSecretAudit, { secret_id: b.id })).map((e) => e.action), ['create']);
    // A good update with a new value: stored, audited as a value change.
    const updated = await updateUserSecret(ctx, b.id, fields(`B ${stamp}`, `B_${stamp}`), 'value-b3');
    assert.equal(updated.has_value, true);
    assert.equal(await ctx.ext.secrets.get(userSecretKey(b.id)), 'value-b3');
    assert.deepEqual((await ctx.request(ListSecretAudit, { secret_id: b.id }))[0].changed_fields, ['value']);
    await deleteUserSecret(ctx, a.id);
    await deleteUserSecret(ctx, b.id);
    assert.equal(await ctx.ext.secrets.get(userSecretKey(b.id)), undefined);
    assert.ok(!(await ctx.request(ListUserSecrets, {})).some((s) => s.id === a.id || s.id === b.id));
  });

  it('after a restart the server gets the values again from SecretStorage', async () => {
    const ctx = await agents();
    const created = await createUserSecret(ctx, fields(`Kept ${Date.now()}`, `KEPT_${Date.now()}`), 'kept-value');
    await ctx.server.restart();
    const deadline = Date.now() + 20000;
    let listed = (await ctx.request(ListUserSecrets, {})).find((s) => s.id === created.id);
    while (!listed?.has_value && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      listed = (await ctx.request(ListUserSecrets, {})).find((s) => s.id === created.id);
    }
    assert.equal(listed?.has_value, true, 'handed over after the restart');
    await deleteUserSecret(ctx, created.id);
  });
});
