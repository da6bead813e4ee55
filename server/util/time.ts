export const nowMs = (): number => Date.now();
export const iso = (ms: number): string => new Date(ms).toISOString();
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(t); reject(signal?.reason); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface Throttled {
  (): void;
  /** Drops a folded call still waiting and ignores later ones: what `fn` reads may be gone (a closed database). */
  cancel(): void;
}

/** Calls `fn` at most once per `ms`: the first call at once, later ones folded into one at the end of the period. */
export function throttled(ms: number, fn: () => void): Throttled {
  let last = 0;
  let timer: NodeJS.Timeout | undefined;
  let cancelled = false;
  const call = () => {
    if (timer || cancelled) return;
    const wait = last + ms - Date.now();
    if (wait <= 0) {
      last = Date.now();
      fn();
      return;
    }
    timer = setTimeout(() => { timer = undefined; last = Date.now(); fn(); }, wait);
    timer.unref();
  };
  return Object.assign(call, {
    cancel: () => {
      cancelled = true;
      clearTimeout(timer);
      timer = undefined;
    },
  });
}
