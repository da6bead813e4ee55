// Runs the whole E2E pass against one code-server: every test/e2e/*.e2e.js UI test (a fresh
// browser, workspace folder and data dir each), then the extension-host Mocha suite.
// Usage: node test/e2e/runner.js [filter]   (run.sh builds and packages first)
// Env: E2E_DIR (default .e2e), E2E_VSIX (default .e2e/local-agents.vsix),
//      E2E_EXTENSION_PATH (extensionDevelopmentPath for the host suite, default the repo).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const cs = require('./codeServer');
const { startFake, startFakeGitHub, resetFake, stopFake, FAKE_API_KEY } = require('./fakeServer');
const { runUiTest, runExtensionHostSuite, makeLog } = require('./harness');

const ROOT = path.resolve(__dirname, '../..');
const E2E = process.env.E2E_DIR || path.join(ROOT, '.e2e');
const VSIX = process.env.E2E_VSIX || path.join(E2E, 'local-agents.vsix');
const EXTENSION_PATH = process.env.E2E_EXTENSION_PATH || ROOT;
const OUT_DIR = path.join(ROOT, 'test/e2e/out');
const RUN_DIR = path.join(E2E, 'run');
const HOST_SUITE = 'extension-host';
const log = makeLog('runner');

function systemNode() {
  const file = path.join(E2E, 'system-node-path');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run "npm run e2e:setup" first`);
  return fs.readFileSync(file, 'utf8').trim();
}

/** A fresh folder to open, with something in it for the agent to read. */
function makeWorkspace(name) {
  const dir = path.join(RUN_DIR, 'workspaces', name);
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'README.md'), `# ${name}\n\nA small project used by the Local Agents E2E tests.\n`);
  fs.writeFileSync(path.join(dir, 'src/greet.js'), "function greet(name) {\n  return 'Hello, ' + name;\n}\nmodule.exports = { greet };\n");
  return dir;
}

/**
 * User settings for one test: its own data dir so chats from other tests don't show up. The UI tests run the
 * packaged VSIX as a user would: no localAgents.server.nodePath, so its server runs on the Node that comes with
 * it, while Node 24 (code-server's) is first on PATH. Only the extension-host suite, which loads the
 * development checkout (no bundled Node there), names the Node its better-sqlite3 was built for.
 */
function settingsFor(name, nodePath) {
  const dataDir = path.join(RUN_DIR, 'data', name);
  fs.mkdirSync(dataDir, { recursive: true });
  return {
    ...(nodePath ? { 'localAgents.server.nodePath': nodePath } : {}),
    'localAgents.dataLocation': dataDir,
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    // The test workspaces sit inside this repository: no prompt about opening it.
    'git.openRepositoryInParentFolders': 'never',
  };
}

function selectTests(filter) {
  const dir = __dirname;
  const names = fs.readdirSync(dir).filter((f) => f.endsWith('.e2e.js')).sort()
    .map((f) => ({ name: f.replace(/\.e2e\.js$/, ''), file: path.join(dir, f) }));
  const matches = (name) => !filter || name.includes(filter);
  return { ui: names.filter((t) => matches(t.name)), host: matches(HOST_SUITE) };
}

async function main() {
  const filter = process.argv[2] || '';
  const selected = selectTests(filter);
  const nodePath = systemNode();
  const tools = cs.e2eTools(E2E);
  if (!fs.existsSync(VSIX)) throw new Error(`${VSIX} is missing: run scripts/e2e/run.sh (it builds and packages)`);

  fs.rmSync(RUN_DIR, { recursive: true, force: true });
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const results = [];
  const { fake, url: fakeUrl } = await startFake(ROOT, log);
  if (fakeUrl) log('fake OpenAI at', fakeUrl);
  const github = await startFakeGitHub(ROOT);
  log('fake GitHub at', github.url);

  // A test's own user settings (module.exports.userSettings, or a function of the fakes' addresses).
  const testSettings = (t) => {
    const own = require(t.file).userSettings;
    return { ...settingsFor(t.name), ...(typeof own === 'function' ? own({ githubUrl: github.url, fakeUrl }) : own ?? {}) };
  };
  // Each code-server starts with the settings of the first test it serves: a settings file rewritten right after
  // the start can be missed (seen on a fresh clone: the first test, api, ran without localAgents.api.enabled).
  const firstOn = (bare) => selected.ui.find((t) => (require(t.file).providerEnv === false) === bare);
  const startSettings = (bare, name) => (firstOn(bare) ? testSettings(firstOn(bare)) : settingsFor(name));
  const home = cs.prepareHome(RUN_DIR, await cs.freePort(), startSettings(false, 'initial'));
  log('installing', path.relative(ROOT, VSIX));
  cs.installExtension(home, tools, VSIX);
  const env = fakeUrl ? { OPENAI_BASE_URL: fakeUrl, OPENAI_API_KEY: FAKE_API_KEY } : {};
  const server = await cs.startCodeServer(home, tools, env);
  log('code-server at', server.url, 'pgid', server.pgid, 'log', path.relative(ROOT, home.log));

  // Tests of the first run (module.exports.providerEnv = false) get a code-server without OPENAI_* in its
  // environment, started on first need, as a new user's machine has none.
  let bare;
  const bareServer = async () => {
    if (bare) return bare;
    const bareHome = cs.prepareHome(path.join(RUN_DIR, 'bare'), await cs.freePort(), startSettings(true, 'bare-initial'));
    cs.installExtension(bareHome, tools, VSIX);
    const { OPENAI_BASE_URL: _u, OPENAI_API_KEY: _k, OPENAI_MODEL: _m, ...rest } = process.env;
    bare = { home: bareHome, server: await cs.startCodeServer(bareHome, tools, {}, rest) };
    log('code-server without a provider environment at', bare.server.url);
    return bare;
  };
  const stopAll = () => { server.stop(); bare?.server.stop(); };
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { stopAll(); process.exit(130); });

  try {
    for (const t of selected.ui) {
      log(`--- ${t.name}`);
      const withoutProvider = require(t.file).providerEnv === false;
      const target = withoutProvider ? await bareServer() : { home, server };
      cs.writeUserSettings(target.home, testSettings(t));
      resetFake(fake);
      const r = await runUiTest({
        file: t.file, codeServer: target.server, fake, workspaceDir: makeWorkspace(t.name),
        profileDir: path.join(RUN_DIR, 'profiles', t.name), outDir: OUT_DIR, userSettingsFile: path.join(target.home.userDataDir, 'User/settings.json'),
        fakeUrl, fakeKey: FAKE_API_KEY, github,
      });
      results.push({ name: t.name, ...r });
      log(r.ok ? `PASS ${t.name}` : `FAIL ${t.name}: ${r.error && r.error.stack || r.error}`);
    }
    const suite = path.join(EXTENSION_PATH, 'dist/test/suite.js');
    if (selected.host) {
      if (!fs.existsSync(suite)) {
        results.push({ name: HOST_SUITE, ok: false, error: new Error(`${suite} is missing (npm run build)`) });
      } else {
        log(`--- ${HOST_SUITE}`);
        cs.writeUserSettings(home, settingsFor(HOST_SUITE, nodePath));
        const code = await runExtensionHostSuite({
          codeServer: server, extensionDevelopmentPath: EXTENSION_PATH, extensionTestsPath: suite,
          workspaceDir: makeWorkspace(HOST_SUITE), profileDir: path.join(RUN_DIR, 'profiles', HOST_SUITE), outDir: OUT_DIR,
        });
        const ok = code === 0;
        results.push({ name: HOST_SUITE, ok, error: ok ? undefined : new Error(`exit code ${code}`) });
        log(ok ? `PASS ${HOST_SUITE}` : `FAIL ${HOST_SUITE}: exit code ${code}`);
      }
    }
  } finally {
    stopAll();
    // A fake stuck in a 'hang' reply must not keep the run alive.
    await Promise.race([Promise.all([stopFake(fake).catch(() => {}), github.close().catch(() => {})]), new Promise((r) => setTimeout(r, 5000))]);
  }
  return results;
}

main().then((results) => {
  const failed = results.filter((r) => !r.ok);
  for (const r of failed) console.log(`FAILED ${r.name}: ${r.error && r.error.message}`);
  if (results.length === 0) console.log('no tests matched');
  console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
  process.exit(failed.length || results.length === 0 ? 1 : 0);
}, (error) => {
  console.error(error && error.stack || error);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
