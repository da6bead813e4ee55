// Runs a suite with node's test runner: `unit` = server/**/*.test.ts, `process` = test/process/**/*.test.ts.
// Every wait is bounded: a file that hangs, or whose process stays up after its tests (a child or socket left
// open), fails with its name (--test-timeout; on Node 20 it bounds each file as a whole), and the suite has a
// deadline after which it is killed with everything it started, so CI gets a red line that names the culprit,
// never a silent timeout. Not --test-force-exit: it ended a file while a root before() hook was still awaiting
// and silently dropped the tests after it (gate.test.ts lost 15).
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const suites = {
  unit: { dirs: ['server', 'extension', 'webview'], fileTimeoutMs: 300_000, suiteDeadlineMin: 10 },
  process: { dirs: ['test/process'], fileTimeoutMs: 600_000, suiteDeadlineMin: 25 },
};
const suiteName = process.argv[2];
const suite = suites[suiteName];
if (!suite) { console.error(`usage: run-node-tests.mjs ${Object.keys(suites).join('|')} [filter]`); process.exit(2); }
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
const files = suite.dirs.flatMap((d) => walk(d)).sort();
if (files.length === 0) { console.error(`no test files for suite ${suiteName}`); process.exit(1); }

const args = ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-timeout=${suite.fileTimeoutMs}`, ...files];
// Its own process group, so the deadline takes the servers, browsers and MCP servers the tests started too.
const child = spawn(process.execPath, args, { stdio: 'inherit', detached: true });
const killGroup = () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ } };
const deadline = setTimeout(() => {
  console.error(`\n${suiteName} tests did not finish within ${suite.suiteDeadlineMin} minutes: killed (the file after the last one reported hung)`);
  killGroup();
  process.exit(1);
}, suite.suiteDeadlineMin * 60_000);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { killGroup(); process.exit(130); });
child.on('exit', (code, signal) => {
  clearTimeout(deadline);
  process.exit(code ?? (signal ? 1 : 0));
});
