// Secret values never reach the model or the database through tool output: every character of every
// occurrence becomes part of a `[secret:NAME]` marker, in results (walked string by string, keys included, so
// JSON escaping cannot hide one) and in live output. A value is looked for raw and as it reads inside JSON text
// (a command printing a JSON file). Occurrences that overlap (the end of one value is the start of another) are
// masked together, so neither leaks a part. Live output holds back raw text that may still become a value.
export interface NamedValue { name: string; value: string }

interface Occurrence { start: number; end: number; name: string }

export class SecretScrubber {
  private readonly pairs: NamedValue[];
  readonly longest: number;

  constructor(values: NamedValue[]) {
    const forms = values.filter((v) => v.value.length > 0).flatMap((v) => {
      const escaped = JSON.stringify(v.value).slice(1, -1);
      return escaped === v.value ? [v] : [v, { name: v.name, value: escaped }];
    });
    // Longest first: a value that contains another is named as the longer one.
    this.pairs = forms.sort((a, b) => b.value.length - a.value.length);
    this.longest = this.pairs[0]?.value.length ?? 0;
  }

  get empty(): boolean {
    return this.pairs.length === 0;
  }

  /** Every occurrence of every value, overlapping ones included, by start (longer first at one start). */
  private occurrences(s: string): Occurrence[] {
    const found: Occurrence[] = [];
    for (const p of this.pairs) {
      for (let i = s.indexOf(p.value); i !== -1; i = s.indexOf(p.value, i + 1)) found.push({ start: i, end: i + p.value.length, name: p.name });
    }
    return found.sort((a, b) => a.start - b.start || b.end - a.end);
  }

  text(s: string): string {
    if (this.empty) return s;
    const found = this.occurrences(s);
    if (found.length === 0) return s;
    let out = '';
    let at = 0;
    for (let i = 0; i < found.length;) {
      // One masked stretch: this occurrence and every one overlapping it; named by those not inside another.
      const start = found[i].start;
      let end = found[i].end;
      const names: string[] = [found[i].name];
      for (i++; i < found.length && found[i].start < end; i++) {
        if (found[i].end > end) {
          end = found[i].end;
          if (!names.includes(found[i].name)) names.push(found[i].name);
        }
      }
      out += s.slice(at, start) + names.map((n) => `[secret:${n}]`).join('');
      at = end;
    }
    return out + s.slice(at);
  }

  /** Every string inside a tool result, object keys included. */
  deep<T>(v: T): T {
    if (this.empty) return v;
    if (typeof v === 'string') return this.text(v) as T;
    if (Array.isArray(v)) return v.map((x) => this.deep(x)) as T;
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [this.text(k), this.deep(x)])) as T;
    return v;
  }

  /** A filter for streamed output: what it returns is safe to send now; the rest waits for the next chunk. */
  stream(): (delta: string) => string {
    if (this.empty) return (d) => d;
    // Raw text not sent yet: its last longest-1 characters may begin a value, and a value that has begun before
    // them (with any value overlapping it) is kept whole, so what is sent never ends inside an occurrence.
    let held = '';
    return (delta) => {
      const text = held + delta;
      let cut = Math.max(0, text.length - (this.longest - 1));
      for (const o of this.occurrences(text).reverse()) if (o.start < cut && o.end > cut) cut = o.start;
      held = text.slice(cut);
      return this.text(text.slice(0, cut));
    };
  }
}
