// `node scripts/vsix-smoke.mjs [--target T]`: the staged VSIX (npm run package) works on this machine with
// nothing but what it carries: its own Node runs its CLI, which opens a SQLite database with its native module
// and answers a chat from a minimal OpenAI-compatible server started here. The release workflow runs it on
// each target's own runner; it needs no other tool of the project.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const i = process.argv.indexOf('--target');
const target = i > 0 ? process.argv[i + 1] : `${process.platform}-${process.arch}`;
const stage = path.join(ROOT, '.build', target, 'stage');
const node = path.join(stage, 'runtime', process.platform === 'win32' ? 'node.exe' : path.join('bin', 'node'));

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => { body += d; });
  req.on('end', () => {
    if (req.url?.endsWith('/models')) return void res.end(JSON.stringify({ object: 'list', data: [{ id: 'smoke-model', object: 'model' }] }));
    const stream = JSON.parse(body || '{}').stream;
    if (!stream) return void res.end(JSON.stringify({ id: 't', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'Smoke' }, finish_reason: 'stop' }] }));
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const chunk = (delta, finish = null) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    res.end(chunk({ role: 'assistant', content: 'the VSIX works' }) + chunk({}, 'stop') + 'data: [DONE]\n\n');
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const dir = mkdtempSync(path.join(os.tmpdir(), 'la-vsix-smoke-'));
try {
  // Asynchronous: the fake provider answers from this same process.
  const r = await new Promise((resolve) => {
    execFile(node, [path.join(stage, 'dist', 'cli.js'), 'chat', '--db', path.join(dir, 'chats.db'), '--workspace', dir,
      '--base-url', `http://127.0.0.1:${server.address().port}/v1`, '--model', 'smoke-model', 'hello'], {
      encoding: 'utf8', env: { ...process.env, OPENAI_API_KEY: 'smoke', LOCAL_AGENTS_DATA_DIR: dir }, timeout: 60_000,
    }, (err, stdout, stderr) => resolve({ status: err ? (err.code ?? 1) : 0, stdout, stderr }));
  });
  if (r.status !== 0 || !r.stdout.includes('the VSIX works')) {
    console.error(`vsix-smoke: the packaged CLI failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    process.exitCode = 1;
  } else {
    console.log(`vsix-smoke: ${target} OK (${node} answered a chat with its own SQLite module)`);
  }
} finally {
  server.close();
  rmSync(dir, { recursive: true, force: true });
}
