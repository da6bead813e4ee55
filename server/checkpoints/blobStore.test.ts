import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { BlobStore, hashOf } from './blobStore';

const files = (dir: string) => readdirSync(dir).flatMap((d) => readdirSync(path.join(dir, d)));

test('versions of a file are deltas that read back exactly; a chain is cut by a full copy; identical content is stored once', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'la-blobs-'));
  try {
    const store = new BlobStore(dir);
    let prev = Buffer.from(Array.from({ length: 3000 }, (_, i) => `line ${i} of a large source file\n`).join(''));
    let prevHash = store.put(prev);
    const versions: Array<[string, Buffer]> = [[prevHash, prev]];
    for (let v = 0; v < 80; v++) {
      const text = prev.toString('utf8').replace(`line ${v * 10} `, `LINE ${v * 10} edited `);
      const next = Buffer.from(text);
      const h = store.put(next, { hash: prevHash, content: prev });
      assert.equal(h, hashOf(next));
      versions.push([h, next]);
      prev = next;
      prevHash = h;
    }
    for (const [h, content] of versions) assert.ok(store.get(h)!.equals(content), `version ${h.slice(0, 8)} reads back`);
    const names = files(dir);
    assert.equal(names.filter((n) => n.endsWith('.gz')).length, 3, 'one full copy at the start and one per 32 deltas');
    assert.equal(names.filter((n) => n.endsWith('.delta')).length, 78);
    assert.equal(store.put(versions[5][1]), versions[5][0], 'known content: nothing new stored');
    assert.equal(files(dir).length, names.length);
    // Collecting keeps a referenced delta's bases, and drops the rest.
    store.collect(new Set([versions[10][0]]));
    assert.ok(store.get(versions[10][0])!.equals(versions[10][1]));
    assert.equal(files(dir).length, 11, 'the version and the ten it is built on');
    assert.equal(store.get(versions[50][0]), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
