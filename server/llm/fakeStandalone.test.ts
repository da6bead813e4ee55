// The fake OpenAI server as E2E runs it: a separate process, with the tool-demo script.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runModelStep } from './runModelStep';
import { message, readFileTool, recordingRequest, targetFor, userText } from './stepRecorder';

let child: ChildProcess;
let url: string;

before(async () => {
  const file = path.join(__dirname, '../../test/fakes/fakeOpenAI.ts');
  child = spawn(process.execPath, ['--import', 'tsx', file, '--port', '0', '--api-key', 'demo-key'], { stdio: ['ignore', 'pipe', 'inherit'] });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no FAKE_OPENAI_URL line within 20 s: ${out}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^FAKE_OPENAI_URL=(\S+)$/m.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`fake exited with ${code}`)); });
  });
});
after(() => { child.kill(); });

test('standalone: prints its URL and serves the default reply', async () => {
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  const result = await runModelStep(recordingRequest(targetFor(url, { apiKey: 'demo-key' }), [userText('hello')]).request);
  assert.equal(result.text, 'Hello from test server.');
});

for (const api of ['chat_completions', 'responses'] as const) {
  test(`standalone tool-demo over ${api}: a read_file call first, then text once the result is back`, async () => {
    const target = targetFor(url, { apiKey: 'demo-key', api });
    const first = await runModelStep(recordingRequest(target, [userText('run the tool-demo please')], { tools: [readFileTool] }).request);
    assert.equal(first.toolCalls.length, 1);
    assert.equal(first.toolCalls[0].name, 'read_file');
    assert.deepEqual(JSON.parse(first.toolCalls[0].args), { path: 'README.md' });

    const call = first.toolCalls[0];
    const second = await runModelStep(recordingRequest(target, [
      userText('run the tool-demo please'),
      message('assistant', [{ type: 'tool-call', tool_call_id: call.id, tool_name: call.name, args: call.args }]),
      message('tool', [{ type: 'tool-result', tool_call_id: call.id, tool_name: call.name, result: { content: '# Demo' } }]),
    ], { tools: [readFileTool] }).request);
    assert.deepEqual(second.toolCalls, []);
    assert.equal(second.text, 'Hello from test server.');
  });
}
