// (d) Server spawn → ready (initialize answered) and idle RSS, on a fresh database each time: on the system
// Node (a development checkout) and on the Node the VSIX carries (its staged folder), plus the VSIX's size.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SERVER_JS, startServer } from '../test/support/serverProcess';
import { median, fmt, type Row } from './stats';

const ROOT = path.resolve(__dirname, '..');
const TARGET = `${process.platform}-${process.arch}`;
const STAGE = path.join(ROOT, '.build', TARGET, 'stage');

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function measure(runtime: { node: string; serverJs: string }, env: NodeJS.ProcessEnv = {}): Promise<{ ready: number; rss: number; floor: number }> {
  const ready: number[] = [];
  const rss: number[] = [];
  // A bare `node -e 0` spawn of the same Node is the physical floor of starting any server on it.
  const floor: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    spawnSync(runtime.node, ['-e', '0']);
    floor.push(performance.now() - t);
  }
  for (let i = 0; i < 10; i++) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'la-bench-spawn-'));
    const server = await startServer({ dbPath: path.join(dir, 'chats.db'), workspace: dir, workspaceFolders: [dir] }, env, runtime);
    ready.push(server.readyMs);
    await new Promise((r) => setTimeout(r, 1000));
    rss.push(rssMb(server.child.pid!));
    await server.stop();
  }
  return { ready: median(ready), rss: median(rss), floor: median(floor) };
}

export async function runSpawnBench(): Promise<Row[]> {
  if (!existsSync(path.join(STAGE, 'runtime'))) {
    console.log(`bench: no packaged ${TARGET} VSIX yet; packaging it (npm run package)…`);
    spawnSync(process.execPath, [path.join(ROOT, 'scripts/package.mjs')], { stdio: 'inherit', cwd: ROOT });
    // package.mjs leaves a production build in dist/: the development one the other benchmarks use comes back.
    spawnSync(process.execPath, [path.join(ROOT, 'esbuild.mjs')], { stdio: 'inherit', cwd: ROOT });
  }
  const sys = await measure({ node: process.execPath, serverJs: SERVER_JS });
  // As the extension starts it: with V8's compile cache in a folder of the user's (the first of the runs fills it).
  const compileCache = mkdtempSync(path.join(os.tmpdir(), 'la-bench-compile-cache-'));
  const bundled = await measure({ node: path.join(STAGE, 'runtime/bin/node'), serverJs: path.join(STAGE, 'dist/server.js') }, { NODE_COMPILE_CACHE: compileCache });
  rmSync(compileCache, { recursive: true, force: true });
  const last = JSON.parse(readFileSync(path.join(ROOT, '.build', TARGET, 'last-package.json'), 'utf8')) as { vsix: string; runtime: string };
  const vsixMb = statSync(last.vsix).size / 1024 / 1024;
  const row = (label: string, m: { ready: number; floor: number }, nodeVersion: string): Row => ({
    metric: `(d) spawn → ready, ${label}`, value: fmt(m.ready), limit: `bare node ${nodeVersion} spawn ${fmt(m.floor)}`, ratio: `${(m.ready / m.floor).toFixed(2)}x`, goal: '≤ 300 ms', ok: m.ready <= 300,
  });
  return [
    row('system Node (dev build)', sys, process.version),
    row('the VSIX\'s own Node (production build, compile cache)', bundled, `v${last.runtime}`),
    { metric: '(d) idle RSS, system Node', value: `${sys.rss.toFixed(1)} MB`, limit: '-', ratio: '-', goal: '≤ 100 MB', ok: sys.rss <= 100 },
    { metric: '(d) idle RSS, the VSIX\'s own Node', value: `${bundled.rss.toFixed(1)} MB`, limit: '-', ratio: '-', goal: '≤ 100 MB', ok: bundled.rss <= 100 },
    { metric: `VSIX size (${TARGET}, with Node ${last.runtime})`, value: `${vsixMb.toFixed(1)} MB`, limit: '-', ratio: '-', goal: '≤ 60 MB', ok: vsixMb <= 60 },
  ];
}
