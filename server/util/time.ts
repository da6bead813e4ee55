export const nowMs = (): number => Date.now();
export const iso = (ms: number): string => new Date(ms).toISOString();
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(t); reject(signal?.reason); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Calls `fn` at most once per `ms`: the first call at once, later ones folded into one at the end of the period. */
export function throttled(ms: number, fn: () => void): () => void {
  let last = 0;
  let timer: NodeJS.Timeout | undefined;
  return () => {
    if (timer) return;
    const wait = last + ms - Date.now();
    if (wait <= 0) {
      last = Date.now();
      fn();
      return;
    }
    timer = setTimeout(() => { timer = undefined; last = Date.now(); fn(); }, wait);
    timer.unref();
  };
}
