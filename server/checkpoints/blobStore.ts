// Content-addressed, gzip-compressed file contents in <data dir>/checkpoints/blobs/<2 hex>/<sha256>.gz:
// the same content is stored once, whatever file and chat it came from.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

/** Files larger than this are not kept: their changes are listed but cannot be undone. */
export const MAX_CHECKPOINT_FILE_BYTES = 5 * 1024 * 1024;

export const hashOf = (content: Buffer): string => createHash('sha256').update(content).digest('hex');

export class BlobStore {
  constructor(readonly dir: string) {}

  private file(hash: string): string {
    return path.join(this.dir, hash.slice(0, 2), `${hash}.gz`);
  }

  /** Stores the content (once) and returns its hash. */
  put(content: Buffer): string {
    const hash = hashOf(content);
    const file = this.file(hash);
    if (existsSync(file)) return hash;
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // Fast compression: a checkpoint is taken before every write, on the agent's critical path.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, gzipSync(content, { level: 1 }), { mode: 0o600 });
    renameSync(tmp, file);
    return hash;
  }

  get(hash: string): Buffer | undefined {
    try {
      return gunzipSync(readFileSync(this.file(hash)));
    } catch {
      return undefined;
    }
  }

  has(hash: string): boolean {
    return existsSync(this.file(hash));
  }

  /** Deletes the blobs no change refers to; returns the bytes freed. */
  collect(keep: Set<string>): number {
    if (!existsSync(this.dir)) return 0;
    let freed = 0;
    for (const sub of readdirSync(this.dir)) {
      const folder = path.join(this.dir, sub);
      for (const name of readdirSync(folder)) {
        const hash = name.replace(/\.gz$/, '');
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
