// Timing helpers for the benchmark: medians over repeated runs.
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function timeSync(runs: number, fn: () => unknown): number[] {
  for (let i = 0; i < Math.min(5, runs); i++) fn(); // warm-up: statement cache, page cache
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  return out;
}

/** The async twin of timeSync: `runs` timings of `fn` after a few warm-up calls. */
export async function timeAsync(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < Math.min(5, runs); i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

export const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 3 : 1)} ms`;

export interface Row { metric: string; value: string; limit: string; ratio: string; goal: string; ok: boolean }

export function printTable(rows: Row[]): void {
  const head = ['metric', 'median', 'physical limit (same run)', 'ratio', 'goal', 'ok'];
  const data = rows.map((r) => [r.metric, r.value, r.limit, r.ratio, r.goal, r.ok ? 'yes' : 'NO']);
  const widths = head.map((h, i) => Math.max(h.length, ...data.map((d) => d[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  console.log(line(head));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const d of data) console.log(line(d));
}
