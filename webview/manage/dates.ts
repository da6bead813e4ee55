// Local dates (YYYY-MM-DD in the user's time zone, as the server counts days) and the Usage tab's ranges.
const pad = (n: number) => String(n).padStart(2, '0');

export function localDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Midnight of a local date (for the chart's x axis, in seconds as uPlot wants). */
export function startOfLocalDate(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y, m - 1, d);
}

/** The last `days` local days ending today, inclusive. */
export function lastDays(days: number, today = new Date()): { from: string; to: string } {
  const from = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (days - 1));
  return { from: localDate(from), to: localDate(today) };
}
