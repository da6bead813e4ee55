// What a chat's commands get of the user's secrets: env vars, and files in a private folder of the command
// (mode 0700, files 0600, removed when the command ends) named by $LOCAL_AGENTS_SECRETS_DIR.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppContext } from '../context';
import { getChatRow } from '../store/chats';
import { secretsForChat } from '../store/secrets';
import { SecretScrubber } from './scrubber';

export interface CommandSecrets {
  env: Record<string, string>;
  files: Array<{ path: string; value: string }>;
  scrubber: SecretScrubber;
}

export const NO_SECRETS: CommandSecrets = { env: {}, files: [], scrubber: new SecretScrubber([]) };

/** The chat's enabled secrets whose values this process holds. */
export function commandSecretsFor(ctx: AppContext, chatId: string): CommandSecrets {
  const chat = getChatRow(ctx.db, chatId);
  if (!chat) return NO_SECRETS;
  const env: Record<string, string> = {};
  const files: CommandSecrets['files'] = [];
  const named = [];
  for (const s of secretsForChat(ctx.db, chat.id, chat.root_chat_id, chat.workspace)) {
    const value = ctx.secretValues.get(s.id);
    if (!value) continue;
    named.push({ name: s.name, value });
    if (s.env_var) env[s.env_var] = value;
    if (s.file_path) files.push({ path: s.file_path, value });
  }
  // Every held value is scrubbed, enabled here or not: a secret must not come back through another chat's command.
  const all = [...named];
  for (const id of ctx.secretValues.ids()) {
    const value = ctx.secretValues.get(id);
    const name = ctx.secretValues.nameOf(id);
    if (value && name && !all.some((n) => n.value === value)) all.push({ name, value });
  }
  return { env, files, scrubber: new SecretScrubber(all) };
}

/** Writes the secret files for one command; returns the env to add and a cleanup for when it ends. */
export function materializeSecretFiles(secrets: CommandSecrets): { env: Record<string, string>; cleanup: () => void } {
  if (secrets.files.length === 0) return { env: secrets.env, cleanup: () => undefined };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'la-secrets-'));
  chmodSync(dir, 0o700);
  for (const f of secrets.files) {
    const target = path.join(dir, f.path);
    mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    writeFileSync(target, f.value, { mode: 0o600 });
  }
  return { env: { ...secrets.env, LOCAL_AGENTS_SECRETS_DIR: dir }, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
