// Starts the project's fake OpenAI server (test/fakes/fakeOpenAI.ts) inside this process, so UI
// tests can script replies with fake.enqueue(...) while the extension's server talks to it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** The key the extension's server gets in OPENAI_API_KEY; the fake accepts only this one. */
const FAKE_API_KEY = 'test-key';

/** Resolves to { fake, url }; both null when the fake does not exist yet. */
async function startFake(root, log) {
  const file = path.join(root, 'test/fakes/fakeOpenAI.ts');
  if (!fs.existsSync(file)) {
    log(`${path.relative(root, file)} not found: tests run without a fake OpenAI server`);
    return { fake: null, url: null };
  }
  // tsx compiles the TypeScript fake on require; registered once for this process.
  require('tsx/cjs/api').register();
  const mod = require(file);
  if (typeof mod.startFakeOpenAI !== 'function') throw new Error(`${file} does not export startFakeOpenAI()`);
  const fake = await mod.startFakeOpenAI({ apiKey: FAKE_API_KEY });
  const url = fake.url || fake.baseURL || fake.baseUrl;
  if (typeof url !== 'string') throw new Error('startFakeOpenAI() returned no url/baseURL');
  return { fake, url };
}

/**
 * The fake GitHub (Enterprise) API (test/fakes/fakeGitHub.ts) in this process: tests point
 * localAgents.github.enterpriseUrl at it, so no pull request lookup leaves the machine.
 */
async function startFakeGitHub(root) {
  require('tsx/cjs/api').register();
  return require(path.join(root, 'test/fakes/fakeGitHub.ts')).startFakeGitHub();
}

/** Forgets what the previous test captured or scripted (queued replies are the test's to drain). */
function resetFake(fake) {
  if (!fake) return;
  if (Array.isArray(fake.requests)) fake.requests.length = 0;
  if (typeof fake.setHandler === 'function') fake.setHandler(undefined);
  if (fake.modelDetails) fake.modelDetails = {};
}

async function stopFake(fake) {
  if (!fake) return;
  const close = fake.close || fake.stop;
  if (typeof close === 'function') await close.call(fake);
}

module.exports = { startFake, startFakeGitHub, resetFake, stopFake, FAKE_API_KEY };
