// What the table-driven CLI commands (providers, models, usage, requests) share: the app on the database, and
// flag errors. Values are checked by the request's own schema, not here: a 400 naming a field the user gave as
// a flag becomes a usage error naming that flag.
import { createApp } from '../app';
import { AppError, toAppError } from '../errors';
import { callerFor, type Caller } from '../handlers';
import { defaultDbPath } from '../util/dataDir';

export type UsageError = (message: string) => never;

export const usageErrorWith = (usage: string): UsageError => (message) => {
  throw new AppError(2, `${message}\n\n${usage}`);
};

/** The requests of the table on the database of --db (default: the data dir's); no turns run. */
export async function withCaller<T>(db: string | undefined, fn: (call: Caller) => Promise<T>): Promise<T> {
  const app = await createApp({ dbPath: db ?? defaultDbPath(), runTurns: false });
  try {
    return await fn(callerFor(app));
  } finally {
    await app.close();
  }
}

/**
 * Runs `fn`; a bad-request error whose field (or the last part of it) is one of `flags` (field → flag) is
 * rethrown as a usage error `--flag: message`, without the field name the message may start with.
 */
export async function namingFlags<T>(flags: Record<string, string>, fail: UsageError, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = toAppError(err);
    if (e.status !== 400) throw e;
    const issues = e.validations?.length ? e.validations : [{ field: e.field ?? '', detail: e.message }];
    for (const { field, detail } of issues) {
      const flag = flags[field] ?? flags[field.split('.').pop() ?? ''];
      if (!flag) continue;
      const key = field.split('.').pop() ?? field;
      // "from is not a real date." → "--from: not a real date."
      const text = detail.startsWith(`${key} `) ? detail.slice(key.length + 1).replace(/^is /, '') : detail;
      return fail(`--${flag}: ${text}`);
    }
    throw e;
  }
}

/** A whole-number flag; the range is the request schema's to check. */
export function wholeNumber(value: string | undefined, flag: string, fail: UsageError): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isInteger(n)) fail(`--${flag}: must be a whole number, got "${value}".`);
  return n;
}

