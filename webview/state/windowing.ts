// Arithmetic of the windowed message list: rows have measured (or estimated) heights, and only the rows
// near the viewport are rendered. Positions are in "list space": 0 is the top of the first loaded row.

/** offsets[i] = top of row i; offsets[n] = total height. */
export function rowOffsets(heights: readonly number[]): Float64Array {
  const out = new Float64Array(heights.length + 1);
  for (let i = 0; i < heights.length; i++) out[i + 1] = out[i] + heights[i];
  return out;
}

/** The row at list position y (clamped to the rows). */
export function rowAt(offsets: Float64Array, y: number): number {
  const n = offsets.length - 1;
  if (n <= 0) return 0;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid] <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Rows [first, last) to render for a viewport at `top` of `height`, with `overscan` pixels either side. */
export function windowRange(offsets: Float64Array, top: number, height: number, overscan: number): { first: number; last: number } {
  const n = offsets.length - 1;
  if (n <= 0) return { first: 0, last: 0 };
  return { first: rowAt(offsets, top - overscan), last: Math.min(n, rowAt(offsets, top + height + overscan) + 1) };
}

/** Index of a row by message id in rows sorted by id, or -1. */
export function indexOfId(ids: readonly { id: number }[], id: number): number {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid].id === id) return mid;
    if (ids[mid].id < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
