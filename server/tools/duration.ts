// Durations as models write them: a number of seconds, or a string like "30", "30s", "5m", "1h30m", "500ms".

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** Seconds; `fallback` when absent. Throws an error naming `field` for anything else. */
export function parseDurationSeconds(value: string | number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new Error(`${field}: ${value} is not a valid number of seconds.`);
    return value;
  }
  const text = value.replace(/\s+/g, '').toLowerCase();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((m) => m[0]).join('') !== text) {
    throw new Error(`${field}: "${value}" is not a duration; use seconds or a string like "30s", "5m" or "1h".`);
  }
  return parts.reduce((sum, m) => sum + Number(m[1]) * UNIT_SECONDS[m[2]], 0);
}
