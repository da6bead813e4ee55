// The one error type of the server. Adapters translate it: JSON-RPC error data, HTTP JSON, CLI exit code.
import { ZodError } from 'zod';
import type { ErrorData } from './protocol';

export class AppError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly detail?: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toData(): ErrorData {
    return { status: this.status, detail: this.detail, field: this.field };
  }
}

export const badRequest = (message: string, detail?: string, field?: string) => new AppError(400, message, detail, field);
export const notFound = (message: string, detail?: string) => new AppError(404, message, detail);
export const conflict = (message: string, detail?: string) => new AppError(409, message, detail);

/** Turns a zod failure into a 400 naming the first offending field. */
export function fromZodError(err: ZodError, what = 'Invalid request.'): AppError {
  const issue = err.issues[0];
  const field = issue?.path.map(String).join('.') || undefined;
  const message = issue ? `${what} ${field ? `${field}: ` : ''}${issue.message}` : what;
  return new AppError(400, message, err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '), field);
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return fromZodError(err);
  const message = err instanceof Error ? err.message : String(err);
  return new AppError(500, message);
}
