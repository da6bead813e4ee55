// A server that cannot start is not retried in a loop: with a broken runtime named in the settings, the
// extension starts it a few times at most, backing off, and ends every process it started. Changing the
// setting back brings the server up again.
import * as assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AgentsContext } from '../../extension/context';
import { MAX_START_ATTEMPTS } from '../../extension/serverClient';
import { ListProviders } from '../../server/protocol/methods';

const EXTENSION_ID = 'local-agents.local-agents';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('a broken server runtime', () => {
  it('is started a few times at most, with backoff, and leaves no process behind', async function () {
    this.timeout(90_000);
    const ext = vscode.extensions.getExtension<{ ctx: AgentsContext }>(EXTENSION_ID);
    assert.ok(ext);
    const ctx = (await ext.activate()).ctx;
    const cfg = vscode.workspace.getConfiguration('localAgents');
    const before = cfg.get<string>('server.nodePath');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'la-broken-rt-'));
    const log = path.join(dir, 'starts.log');
    const fake = path.join(dir, 'node');
    // Passes the version check, then, as the server, closes its stdout and lingers: a start that can never finish.
    writeFileSync(fake, `#!/bin/sh\nif [ "$1" = "-p" ]; then echo "${process.versions.modules} v24.21.0"; exit 0; fi\necho "server $$" >> '${log}'\nexec 1>&-\nexec sleep 300\n`);
    chmodSync(fake, 0o755);
    try {
      await cfg.update('server.nodePath', fake, vscode.ConfigurationTarget.Global);
      await ctx.server.restart().catch(() => undefined);
      // Everything keeps asking for the server for 20 s, as panels and trees would.
      const errors = new Set<string>();
      const until = Date.now() + 20_000;
      while (Date.now() < until) {
        await ctx.request(ListProviders, {}).then(() => errors.add('answered?!'), (err: Error) => errors.add(err.message.split(':')[0]));
        await sleep(200);
      }
      const pids = readFileSync(log, 'utf8').trim().split('\n').map((l) => Number(l.split(' ')[1]));
      assert.ok(pids.length >= 1 && pids.length <= MAX_START_ATTEMPTS, `${pids.length} starts in 20 s (at most ${MAX_START_ATTEMPTS})`);
      assert.ok(!errors.has('answered?!'));
      await sleep(500);
      assert.deepEqual(pids.filter(alive), [], 'no process of a failed start is left');
      assert.equal(ctx.server.liveProcesses, 0);
    } finally {
      await cfg.update('server.nodePath', before, vscode.ConfigurationTarget.Global);
      await ctx.server.restart().catch(() => undefined);
    }
    // Back to a working Node: the server answers again.
    const providers = await ctx.request(ListProviders, {});
    assert.ok(Array.isArray(providers));
  });
});
