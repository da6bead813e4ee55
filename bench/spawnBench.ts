// (d) Server spawn → ready (initialize answered) and idle RSS, on a fresh database each time.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../test/support/serverProcess';
import { median, fmt, type Row } from './stats';

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export async function runSpawnBench(): Promise<Row[]> {
  const ready: number[] = [];
  const rss: number[] = [];
  // A bare `node -e 0` spawn is the physical floor of starting any Node server.
  const { spawnSync } = await import('node:child_process');
  const floor: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    floor.push(performance.now() - t);
  }
  for (let i = 0; i < 10; i++) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'la-bench-spawn-'));
    const server = await startServer({ dbPath: path.join(dir, 'chats.db'), workspace: dir, workspaceFolders: [dir] });
    ready.push(server.readyMs);
    await new Promise((r) => setTimeout(r, 1000));
    rss.push(rssMb(server.child.pid!));
    await server.stop();
  }
  const r = median(ready);
  const m = median(rss);
  return [
    { metric: '(d) spawn → ready', value: fmt(r), limit: `bare node spawn ${fmt(median(floor))}`, ratio: `${(r / median(floor)).toFixed(2)}x`, goal: '≤ 300 ms', ok: r <= 300 },
    { metric: '(d) idle RSS', value: `${m.toFixed(1)} MB`, limit: '-', ratio: '-', goal: '≤ 100 MB', ok: m <= 100 },
  ];
}
