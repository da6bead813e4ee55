// Runs in a plain `node` (no tsx loader, no source-map support), as the extension host loads an extension:
// loads the extension bundle BUNDLE and runs activate() against a stand-in of the `vscode` module (every
// API a no-op), RUNS times; the floor is loading an empty module the same way. Prints the times as JSON.
// Usage: node activationProbe.cjs BUNDLE RUNS
'use strict';
const Module = require('node:module');
const path = require('node:path');
const os = require('node:os');
const { mkdtempSync, readFileSync, writeFileSync } = require('node:fs');
const { performance } = require('node:perf_hooks');

const extPath = path.resolve(process.argv[2]);
const RUNS = Number(process.argv[3] || 15);

/** A value every property access and call of which yields another such value. */
function stub(name = 'vscode') {
  const fn = function () { return stub(`${name}()`); };
  return new Proxy(fn, {
    get: (_t, prop) => {
      if (prop === Symbol.toPrimitive) return () => 0;
      if (prop === 'then') return undefined; // not a thenable
      if (prop === 'prototype') return Object.prototype;
      if (prop === 'event') return () => ({ dispose() {} });
      return stub(`${name}.${String(prop)}`);
    },
    // Activation sets properties on what the API returns (a status bar item's name, text, command).
    set: () => true,
    construct: () => stub(`new ${name}`),
    apply: () => stub(`${name}()`),
  });
}

/** The `vscode` module: an object whose own keys are the API's top-level names (esbuild copies own keys). */
function vscodeModule() {
  const dts = readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
  const names = [...new Set([...dts.matchAll(/^\texport (?:namespace|class|enum|const|function|let) (\w+)/gm)].map((m) => m[1]))];
  return new Proxy({}, {
    get: (_t, prop) => stub(`vscode.${String(prop)}`),
    ownKeys: () => names,
    getOwnPropertyDescriptor: (_t, prop) => ({ enumerable: true, configurable: true, value: stub(`vscode.${String(prop)}`) }),
  });
}

const vscodeApi = vscodeModule();
const original = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'vscode') return vscodeApi;
  return original.call(this, request, parent, isMain);
};
const tmp = mkdtempSync(path.join(os.tmpdir(), 'la-act-'));
const empty = path.join(tmp, 'empty.js');
writeFileSync(empty, 'exports.activate = () => ({});');
const ctx = {
  subscriptions: { push() {} }, extensionPath: path.resolve(__dirname, '..'), extensionUri: stub(), secrets: stub(),
  globalStorageUri: { fsPath: path.join(tmp, 'User', 'globalStorage', 'local-agents.local-agents') },
  workspaceState: { get: (_key, fallback) => fallback, update: async () => undefined },
  globalState: { get: (_key, fallback) => fallback, update: async () => undefined },
};
const times = [];
const floor = [];
for (let i = 0; i < RUNS; i++) {
  for (const k of Object.keys(require.cache)) if (k === extPath || k === empty) delete require.cache[k];
  let t = performance.now();
  require(empty).activate();
  floor.push(performance.now() - t);
  t = performance.now();
  require(extPath).activate(ctx);
  times.push(performance.now() - t);
}
process.stdout.write(JSON.stringify({ times, floor }));
