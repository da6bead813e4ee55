// One logger per process. Writes to stderr (stdout carries JSON-RPC) or to a sink the connection provides.
// Anything that looks like a credential is masked before it is written.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

type Sink = (level: LogLevel, line: string) => void;
let sink: Sink = (_level, line) => process.stderr.write(line + '\n');
let threshold: LogLevel = (process.env.LOCAL_AGENTS_LOG_LEVEL as LogLevel) in ORDER ? (process.env.LOCAL_AGENTS_LOG_LEVEL as LogLevel) : 'info';

const SECRET_PATTERNS: RegExp[] = [
  /\b(sk-[A-Za-z0-9_-]{6})[A-Za-z0-9_-]+/g,
  /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi,
  /("?(?:api[_-]?key|authorization|token|secret|password)"?\s*[:=]\s*"?)[^"\s,}]+/gi,
];

export function redactSecrets(text: string): string {
  let out = text;
  for (const re of SECRET_PATTERNS) out = out.replace(re, (_m, keep: string) => `${keep}***`);
  return out;
}

export function setLogSink(next: Sink): void { sink = next; }
export function setLogLevel(level: LogLevel): void { threshold = level; }

function write(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
  if (ORDER[level] < ORDER[threshold]) return;
  const extra = fields ? ' ' + JSON.stringify(fields) : '';
  sink(level, redactSecrets(`[${new Date().toISOString()}] ${level.toUpperCase()} ${msg}${extra}`));
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write('debug', msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write('info', msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write('warn', msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write('error', msg, fields),
};
