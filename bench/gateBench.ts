// The permission gate's cost per tool call (goal ≤ 0.1 ms), next to the physical limit measured in the same
// run: tree-sitter parsing the same commands and nothing else (the gate parses each command once, then
// matches rules and resolves paths).
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import { gateToolCall, type GateCall, type GateContext } from '../server/permissions/gate';
import { compileRules, DEFAULT_ALLOW_RULES, DEFAULT_ASK_RULES } from '../server/permissions/rules';
import { initShellParser } from '../server/permissions/shellCommand';
import { wasmPath } from '../server/permissions/wasmFiles';
import { median, type Row } from './stats';

const COMMANDS = [
  'ls -la src',
  'git status && git diff HEAD~1 | grep -n TODO',
  'cat README.md | grep foo > notes/out.txt',
  'sh -c "npm test; npm run lint"',
  'find . -name "*.ts" -exec wc -l {} \\;',
  'FOO=1 timeout 30 npm test -- --grep "gate"',
];

/** Per call: the median of batch means (a batch of `n` calls timed at once, to see below the timer's grain). */
function perCall(batches: number, n: number, fn: (i: number) => unknown): number {
  for (let i = 0; i < n; i++) fn(i);
  const out: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) fn(i);
    out.push((performance.now() - t) / n);
  }
  return median(out);
}

export async function runGateBench(): Promise<Row[]> {
  await initShellParser();
  const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'la-gate-bench-')));
  mkdirSync(path.join(root, 'src'));
  writeFileSync(path.join(root, 'README.md'), '# bench\n');
  const { rules } = compileRules([
    { rules: DEFAULT_ALLOW_RULES, list: 'allow', source: 'default' },
    { rules: DEFAULT_ASK_RULES, list: 'ask', source: 'default' },
    { rules: ['execute(npm test*)', 'execute(npm run lint*)', 'write_file(src/**)', 'github__*'], list: 'allow', source: 'user' },
    { rules: ['execute(git push*)', 'write_file(.env)'], list: 'deny', source: 'user' },
  ]);
  const ctx: GateContext = { scope: { mode: 'default', isRoot: true, rootMode: 'default' }, trusted: true, policy: { mode: 'default', rules }, folder: root, roots: [root] };
  const exec: GateCall[] = COMMANDS.map((command) => ({ name: 'execute', kind: 'builtin', args: { command } }));
  const mix: GateCall[] = [
    ...exec,
    { name: 'write_file', kind: 'builtin', args: { path: 'src/a.ts', content: 'x' } },
    { name: 'edit_files', kind: 'builtin', args: { edits: [{ path: 'src/a.ts' }, { path: 'README.md' }] } },
    { name: 'read_file', kind: 'builtin', args: { path: 'README.md' } },
    { name: 'github__create_issue', kind: 'mcp', server: { enabled: true, allow_in_plan_mode: false, workspace_local: false }, args: { title: 't' } },
  ];
  // The floor: the same grammar parsing the same text, with no gate around it.
  await Parser.init({ locateFile: (name: string) => wasmPath(name) });
  const bare = new Parser();
  bare.setLanguage(await Language.load(wasmPath('tree-sitter-bash.wasm')));
  const parseMs = perCall(30, 600, (i) => bare.parse(COMMANDS[i % COMMANDS.length])?.delete());
  const execMs = perCall(30, 600, (i) => gateToolCall(exec[i % exec.length], ctx));
  const mixMs = perCall(30, 1000, (i) => gateToolCall(mix[i % mix.length], ctx));
  rmSync(root, { recursive: true, force: true });
  return [
    { metric: 'gate: one execute call (compound commands, 6 kinds)', value: `${execMs.toFixed(4)} ms`, limit: `bare tree-sitter parse ${parseMs.toFixed(4)} ms`, ratio: `${(execMs / parseMs).toFixed(2)}x`, goal: '≤ 0.1 ms', ok: execMs <= 0.1 },
    { metric: 'gate: one call of a mix (execute, files, read, MCP)', value: `${mixMs.toFixed(4)} ms`, limit: '-', ratio: '-', goal: '≤ 0.1 ms', ok: mixMs <= 0.1 },
  ];
}
