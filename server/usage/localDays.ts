// The user's local days and months (the OS time zone of this process), as instants for queries on UTC times.
const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The zone's name as the user set it: ICU reports some zones by an older canonical name (TZ=Asia/Kolkata
 * resolves to "Asia/Calcutta"), so a TZ the runtime accepts is named as given.
 */
export function timeZone(): string {
  const given = process.env.TZ;
  if (given && !given.startsWith(':')) {
    try {
      return new Intl.DateTimeFormat('en-US', { timeZone: given }).resolvedOptions().timeZone === Intl.DateTimeFormat().resolvedOptions().timeZone ? given : resolved();
    } catch {
      // Not a zone name Intl knows (a POSIX rule such as "CET-1CEST"): the resolved zone's name.
    }
  }
  return resolved();
}

/** An empty TZ is UTC to the C library (and SQLite's 'localtime'); ICU calls it "Etc/Unknown". */
function resolved(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && zone !== 'Etc/Unknown' ? zone : 'UTC';
}

/** Local midnight starting this local date ("2026-12-02"). */
export function localMidnight(date: string): number {
  const m = DAY_RE.exec(date);
  if (!m) throw new Error(`not a date: ${date}`);
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
}

/** The local date of an instant. */
export function localDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The local date `days` after this one (DST-safe: calendar arithmetic, not 24-hour steps). */
export function addDays(date: string, days: number): string {
  const m = DAY_RE.exec(date)!;
  return localDate(new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days).getTime());
}

export function startOfLocalDay(ms: number): number {
  return localMidnight(localDate(ms));
}

export function startOfLocalMonth(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), 1).getTime();
}

export function startOfNextLocalMonth(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime();
}

/** Inclusive local dates → [from midnight, midnight after `to`). */
export function localRange(from: string, to: string): { fromMs: number; toMs: number } {
  return { fromMs: localMidnight(from), toMs: localMidnight(addDays(to, 1)) };
}
