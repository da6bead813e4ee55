// Runs a suite with node's test runner: `unit` = server/**/*.test.ts, `process` = test/process/**/*.test.ts.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const suites = { unit: ['server', 'extension', 'webview'], process: ['test/process'] };
const suite = process.argv[2];
if (!suites[suite]) { console.error(`usage: run-node-tests.mjs ${Object.keys(suites).join('|')} [filter]`); process.exit(2); }
const filter = process.argv[3];

function walk(dir, out = []) {
  let entries = [];
  try { entries = readdirSync(dir); } catch { return out; }
  for (const e of entries) {
    const p = path.join(dir, e);
    if (e === 'node_modules') continue;
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.test\.tsx?$/.test(e) && (!filter || p.includes(filter))) out.push(p);
  }
  return out;
}
const files = suites[suite].flatMap((d) => walk(d)).sort();
if (files.length === 0) { console.error(`no test files for suite ${suite}`); process.exit(1); }
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
