// The one error type of the server. Adapters translate it: JSON-RPC error data, HTTP JSON, CLI exit code.
import { ZodError } from 'zod';
import type { ErrorData } from './protocol';

export interface Validation { field: string; detail: string }

export class AppError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly detail?: string,
    readonly field?: string,
    /** Every field that is wrong (a bad request may have several); the first is `field`. */
    readonly validations?: Validation[],
  ) {
    super(message);
    this.name = 'AppError';
  }

  toData(): ErrorData {
    return { status: this.status, detail: this.detail, field: this.field };
  }

  /** The HTTP API's body: the seed's `{message, detail, validations}`. */
  toHttpBody(): { message: string; detail?: string; validations: Validation[] } {
    const validations = this.validations ?? (this.field ? [{ field: this.field, detail: this.detail ?? this.message }] : []);
    return { message: this.message, ...(this.detail ? { detail: this.detail } : {}), validations };
  }
}

export const badRequest = (message: string, detail?: string, field?: string) => new AppError(400, message, detail, field);
export const notFound = (message: string, detail?: string) => new AppError(404, message, detail);
export const conflict = (message: string, detail?: string, field?: string) => new AppError(409, message, detail, field);

// "Content is required." and "chat_id is required." are whole messages; "must be at most 10000 characters" is not.
const isSentence = (m: string, key?: PropertyKey): boolean =>
  /\.$/.test(m) && (/^[A-Z]/.test(m) || (typeof key === 'string' && m.startsWith(`${key} `)));

/**
 * Turns a zod failure into a 400 naming the first offending field. A message written as a sentence (the
 * seed's "Content is required.") is the error's message; a part of `content` is an "Invalid input part.".
 */
export function fromZodError(err: ZodError, what = 'Invalid request.'): AppError {
  const issue = err.issues[0];
  const field = issue?.path.map(String).join('.') || undefined;
  const validations = err.issues.map((i) => ({ field: i.path.map(String).join('.') || '(root)', detail: i.message }));
  const detail = validations.map((v) => `${v.field}: ${v.detail}`).join('; ');
  if (!issue) return new AppError(400, what, undefined, undefined, validations);
  const [head, index, ...rest] = issue.path;
  const key = issue.path[issue.path.length - 1];
  if (head === 'content' && typeof index === 'number' && !isSentence(issue.message, key)) {
    return new AppError(400, 'Invalid input part.', `content[${index}]${rest.length > 0 ? `.${rest.join('.')}` : ''} ${issue.message}`, field, validations);
  }
  const message = isSentence(issue.message, key) ? issue.message : `${what} ${field ? `${field}: ` : ''}${issue.message}`;
  const own = issue.code === 'custom' ? (issue.params as { detail?: unknown } | undefined)?.detail : undefined;
  return new AppError(400, message, typeof own === 'string' ? own : detail, field, validations);
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return fromZodError(err);
  const message = err instanceof Error ? err.message : String(err);
  return new AppError(500, message);
}
