// The API's URL and token for the editor's commands (Copy API Token, Rotate API Token).
import path from 'node:path';
import type { AppContext } from '../context';
import { AppError } from '../errors';
import type { ApiAccess } from '../protocol/requests';
import type { ParsedParams } from '../protocol/schemas';
import { apiToken, rotateApiToken, TOKEN_ENV } from './token';

export function apiAccess(ctx: AppContext, p: ParsedParams<'GetApiAccess'>): ApiAccess {
  const dataDir = path.dirname(path.resolve(ctx.dbPath));
  if (p.rotate) {
    if (process.env[TOKEN_ENV]) throw new AppError(409, `${TOKEN_ENV} is set for this server: it is the token, and it cannot be rotated here.`);
    rotateApiToken(dataDir);
  }
  const t = apiToken(dataDir);
  return { url: ctx.apiUrl, token: t.token, source: t.source, file: t.file };
}
