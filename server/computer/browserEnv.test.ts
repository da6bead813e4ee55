// The browser is started like a command: the server's API keys and tokens are not in its environment.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { compileRules } from '../permissions/rules';
import { BrowserSession } from './browserSession';

/** Environments of the processes whose command line names `marker` (the browser and its helpers). */
function environsOf(marker: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) continue;
      out.push(readFileSync(`/proc/${pid}/environ`, 'utf8'));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return out;
}

test('no secret-looking variable of the server reaches the browser process', { skip: !existsSync('/usr/bin/chromium') && 'no /usr/bin/chromium' }, async () => {
  process.env.MY_SERVICE_TOKEN = 'tok-4f1b9e';
  process.env.OPENAI_API_KEY = 'sk-browser-env-test';
  const { rules } = compileRules([]);
  const session = await BrowserSession.open({ browser: '/usr/bin/chromium', headless: true, policy: () => ({ mode: 'default', rules }), label: 'env-test' });
  try {
    const environs = environsOf(session.profileDir);
    assert.ok(environs.length > 0, 'the browser process was found by its profile');
    assert.ok(environs.some((e) => e.split('\0').some((v) => v.startsWith('HOME='))), 'the rest of the environment is passed');
    for (const e of environs) {
      assert.ok(!e.includes('tok-4f1b9e'), 'MY_SERVICE_TOKEN is not passed');
      assert.ok(!e.includes('sk-browser-env-test'), 'OPENAI_API_KEY is not passed');

    }
  } finally {
    await session.close();
    delete process.env.MY_SERVICE_TOKEN;
    delete process.env.OPENAI_API_KEY;
  }
});
