// How the management panel writes money, tokens and times. A cost the log could not price is "unpriced",
// never $0.
export function dollars(micros: number | null | undefined): string {
  if (micros === null || micros === undefined) return 'unpriced';
  const d = micros / 1e6;
  return `$${d.toFixed(micros > 0 && micros < 10_000 ? 4 : 2)}`;
}

/** A group's cost: its priced part, and a "+ N unpriced" when some of its requests had no price. */
export function costCell(micros: number | null, unpriced: number): string {
  if (micros === null) return 'unpriced';
  return unpriced > 0 ? `${dollars(micros)} + ${unpriced} unpriced` : dollars(micros);
}

export const tokens = (n: number | null | undefined): string => (n === null || n === undefined ? '–' : n.toLocaleString('en-US'));

export const ms = (n: number | null | undefined): string => (n === null || n === undefined ? '–' : n < 1000 ? `${n} ms` : `${(n / 1000).toFixed(1)} s`);

/** A request's time in the user's locale: the date only when it is not today. */
export function when(isoTime: string, now = new Date()): string {
  const d = new Date(isoTime);
  const sameDay = d.toDateString() === now.toDateString();
  return sameDay ? d.toLocaleTimeString() : d.toLocaleString();
}
