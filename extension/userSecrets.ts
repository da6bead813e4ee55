// User secrets for the agent's commands, host side. The value is asked in VS Code's password box and lives in
// SecretStorage only; the server holds it in memory. The order is the rule: SecretStorage is written first,
// then the server writes the metadata and the audit row in one transaction; when that request fails, the
// SecretStorage write is undone (the previous value put back, or the entry deleted).
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { CreateUserSecret, DeleteUserSecret, ListUserSecrets, SetUserSecretValues, UpdateUserSecret } from '../server/protocol/methods';
import type { UserSecret } from '../server/protocol/usage';
import type { UserSecretFields } from '../server/protocol/webview';
import type { AgentsContext } from './context';

export const userSecretKey = (id: string) => `localAgents.userSecret.${id}`;

/** The user closed the password box: nothing was written. */
export class Cancelled extends Error {}

/** The value, typed into VS Code's password box (the management panel's Save). */
export async function askSecretValue(name: string, changing: boolean): Promise<string> {
  const value = await vscode.window.showInputBox({
    title: `Local Agents: ${changing ? 'new value of' : 'value of'} secret "${name}"`,
    prompt: 'Kept in VS Code\'s secret storage; commands get it as its environment variable or file, and it is masked in their output.',
    password: true, ignoreFocusOut: true,
    validateInput: (v) => (v.length === 0 ? 'The value must not be empty.' : undefined),
  });
  if (value === undefined) throw new Cancelled();
  return value;
}

/** Writes the value, runs the server's mutation, and undoes the write when the mutation fails. */
async function withValue<T>(storage: vscode.SecretStorage, id: string, value: string, mutate: () => Promise<T>): Promise<T> {
  const previous = await storage.get(userSecretKey(id));
  await storage.store(userSecretKey(id), value);
  try {
    return await mutate();
  } catch (err) {
    if (previous !== undefined) await storage.store(userSecretKey(id), previous);
    else await storage.delete(userSecretKey(id));
    throw err;
  }
}

export async function createUserSecret(ctx: AgentsContext, f: UserSecretFields, value: string, id = randomUUID()): Promise<UserSecret> {
  return withValue(ctx.ext.secrets, id, value, () => ctx.request(CreateUserSecret, {
    id, name: f.name, value, env_var: f.env_var || null, file_path: f.file_path || null, workspaces: f.workspaces,
  }));
}

/** `value` undefined: the stored value stays. */
export async function updateUserSecret(ctx: AgentsContext, secretId: string, f: UserSecretFields, value: string | undefined): Promise<UserSecret> {
  const params = { secret_id: secretId, name: f.name, env_var: f.env_var || null, file_path: f.file_path || null, workspaces: f.workspaces };
  if (value === undefined) return ctx.request(UpdateUserSecret, params);
  return withValue(ctx.ext.secrets, secretId, value, () => ctx.request(UpdateUserSecret, { ...params, value }));
}

/** The metadata goes first (audited); the value only once the server has forgotten the secret. */
export async function deleteUserSecret(ctx: AgentsContext, secretId: string): Promise<void> {
  await ctx.request(DeleteUserSecret, { secret_id: secretId });
  await ctx.ext.secrets.delete(userSecretKey(secretId));
}

/** After every server start: the values SecretStorage holds for the secrets the server knows. */
export async function handOverUserSecrets(ctx: AgentsContext): Promise<number> {
  const secrets = await ctx.request(ListUserSecrets, {});
  const values: Array<{ secret_id: string; value: string }> = [];
  for (const s of secrets) {
    const value = await ctx.ext.secrets.get(userSecretKey(s.id));
    if (value) values.push({ secret_id: s.id, value });
  }
  if (values.length) await ctx.request(SetUserSecretValues, { values });
  return values.length;
}
