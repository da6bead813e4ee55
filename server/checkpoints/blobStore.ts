// Content-addressed, gzip-compressed file contents in <data dir>/checkpoints/blobs/<2 hex>/<sha256>.gz:
// the same content is stored once, whatever file and chat it came from. A new version of a file is stored as
// a delta against its previous version (the bytes between their common prefix and suffix), so a thousand
// small edits of a large file cost a few hundred bytes each; every MAX_DELTA_DEPTH versions a full copy
// bounds what a read has to apply.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

/** Files larger than this are not kept: their changes are listed but cannot be undone. */
export const MAX_CHECKPOINT_FILE_BYTES = 5 * 1024 * 1024;

export const hashOf = (content: Buffer): string => createHash('sha256').update(content).digest('hex');

const MAX_DELTA_DEPTH = 32;
interface DeltaHeader { base: string; prefix: number; suffix: number; depth: number }

function commonPrefix(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

function commonSuffix(a: Buffer, b: Buffer, prefix: number): number {
  const n = Math.min(a.length, b.length) - prefix;
  let i = 0;
  while (i < n && a[a.length - 1 - i] === b[b.length - 1 - i]) i++;
  return i;
}

export class BlobStore {
  constructor(readonly dir: string) {}

  private file(hash: string): string {
    return path.join(this.dir, hash.slice(0, 2), `${hash}.gz`);
  }

  private deltaFile(hash: string): string {
    return path.join(this.dir, hash.slice(0, 2), `${hash}.delta`);
  }

  private write(file: string, data: Buffer): void {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, data, { mode: 0o600 });
    renameSync(tmp, file);
  }

  /**
   * Stores the content (once) and returns its hash. With `base` (the hash of the file's previous version,
   * already stored), a delta against it when that is clearly smaller than a full copy.
   */
  put(content: Buffer, base?: { hash: string; content: Buffer }): string {
    const hash = hashOf(content);
    if (this.has(hash)) return hash;
    const depth = base ? this.depthOf(base.hash) : undefined;
    if (base && depth !== undefined && depth < MAX_DELTA_DEPTH) {
      const prefix = commonPrefix(base.content, content);
      const suffix = commonSuffix(base.content, content, prefix);
      const middle = content.subarray(prefix, content.length - suffix);
      if (middle.length < content.length / 2) {
        const header: DeltaHeader = { base: base.hash, prefix, suffix, depth: depth + 1 };
        // Fast compression: a checkpoint is taken before every write, on the agent's critical path.
        this.write(this.deltaFile(hash), gzipSync(Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), middle]), { level: 1 }));
        return hash;
      }
    }
    this.write(this.file(hash), gzipSync(content, { level: 1 }));
    return hash;
  }

  /** 0 for a full copy, n for a delta n steps from one; undefined when the blob is missing. */
  private depthOf(hash: string): number | undefined {
    if (existsSync(this.file(hash))) return 0;
    const header = this.readDelta(hash)?.header;
    return header?.depth;
  }

  private readDelta(hash: string): { header: DeltaHeader; middle: Buffer } | undefined {
    try {
      const raw = gunzipSync(readFileSync(this.deltaFile(hash)));
      const nl = raw.indexOf(0x0a);
      return { header: JSON.parse(raw.subarray(0, nl).toString('utf8')) as DeltaHeader, middle: raw.subarray(nl + 1) };
    } catch {
      return undefined;
    }
  }

  get(hash: string): Buffer | undefined {
    try {
      return gunzipSync(readFileSync(this.file(hash)));
    } catch {
      const delta = this.readDelta(hash);
      if (!delta) return undefined;
      const base = this.get(delta.header.base);
      if (!base) return undefined;
      const { prefix, suffix } = delta.header;
      return Buffer.concat([base.subarray(0, prefix), delta.middle, base.subarray(base.length - suffix)]);
    }
  }

  has(hash: string): boolean {
    return existsSync(this.file(hash)) || existsSync(this.deltaFile(hash));
  }

  /** Deletes the blobs no change refers to (a kept delta keeps its bases); returns the bytes freed. */
  collect(referenced: Set<string>): number {
    if (!existsSync(this.dir)) return 0;
    const keep = new Set<string>();
    for (const hash of referenced) {
      for (let h: string | undefined = hash; h && !keep.has(h); h = this.readDelta(h)?.header.base) keep.add(h);
    }
    let freed = 0;
    for (const sub of readdirSync(this.dir)) {
      const folder = path.join(this.dir, sub);
      for (const name of readdirSync(folder)) {
        const hash = name.replace(/\.(gz|delta)$/, '');
        if (keep.has(hash)) continue;
        const file = path.join(folder, name);
        freed += statSync(file).size;
        rmSync(file, { force: true });
      }
    }
    return freed;
  }

  sizeBytes(): number {
    if (!existsSync(this.dir)) return 0;
    let total = 0;
    for (const sub of readdirSync(this.dir)) for (const name of readdirSync(path.join(this.dir, sub))) total += statSync(path.join(this.dir, sub, name)).size;
    return total;
  }
}
