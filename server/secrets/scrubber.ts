// Secret values never reach the model or the database through tool output: each occurrence becomes
// `[secret:NAME]`, in results (walked string by string, so JSON escaping cannot hide one) and in live output,
// where a value split across two chunks is caught by holding back a value's length of text.
export interface NamedValue { name: string; value: string }

export class SecretScrubber {
  private readonly pairs: NamedValue[];
  readonly longest: number;

  constructor(values: NamedValue[]) {
    // Longest first: a value that contains another is replaced whole.
    this.pairs = values.filter((v) => v.value.length > 0).sort((a, b) => b.value.length - a.value.length);
    this.longest = this.pairs[0]?.value.length ?? 0;
  }

  get empty(): boolean {
    return this.pairs.length === 0;
  }

  text(s: string): string {
    let out = s;
    for (const p of this.pairs) if (out.includes(p.value)) out = out.split(p.value).join(`[secret:${p.name}]`);
    return out;
  }

  /** Every string inside a tool result. */
  deep<T>(v: T): T {
    if (this.empty) return v;
    if (typeof v === 'string') return this.text(v) as T;
    if (Array.isArray(v)) return v.map((x) => this.deep(x)) as T;
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.deep(x)])) as T;
    return v;
  }

  /** A filter for streamed output: what it returns is safe to send now; the rest waits for the next chunk. */
  stream(): (delta: string) => string {
    if (this.empty) return (d) => d;
    let held = '';
    return (delta) => {
      const scrubbed = this.text(held + delta);
      const keep = Math.min(scrubbed.length, this.longest - 1);
      held = scrubbed.slice(scrubbed.length - keep);
      return scrubbed.slice(0, scrubbed.length - keep);
    };
  }
}
