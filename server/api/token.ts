// The API's bearer token: LOCAL_AGENTS_API_TOKEN when set, else one generated per install into
// <data dir>/api-token, readable by the user only. Rotating writes a new one; running servers read the
// file on each request, so a rotation takes effect at once.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const TOKEN_FILE = 'api-token';
export const TOKEN_ENV = 'LOCAL_AGENTS_API_TOKEN';

const tokenPath = (dataDir: string) => path.join(dataDir, TOKEN_FILE);

function writeToken(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const token = `la_${randomBytes(32).toString('base64url')}`;
  // Written whole under another name, then renamed: a reader never sees half a token.
  const tmp = `${tokenPath(dataDir)}.${process.pid}.tmp`;
  writeFileSync(tmp, `${token}\n`, { mode: 0o600 });
  renameSync(tmp, tokenPath(dataDir));
  return token;
}

/** Where the token comes from, and the token. The file is made on first use. */
export function apiToken(dataDir: string, env: NodeJS.ProcessEnv = process.env): { token: string; source: 'env' | 'file'; file: string } {
  const file = tokenPath(dataDir);
  const fromEnv = env[TOKEN_ENV]?.trim();
  if (fromEnv) return { token: fromEnv, source: 'env', file };
  if (existsSync(file)) {
    // A file others can read is not a secret any more: tighten it (and say so once in the log, by the caller).
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    const token = readFileSync(file, 'utf8').trim();
    if (token) return { token, source: 'file', file };
  }
  return { token: writeToken(dataDir), source: 'file', file };
}

export function rotateApiToken(dataDir: string): string {
  return writeToken(dataDir);
}

/** Constant-time comparison of `Authorization: Bearer <token>` against the token. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1]);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
