// Extension activation cost: loading dist/extension.js and running activate() against a stand-in of the
// `vscode` module (every API a no-op). The floor is loading an empty module the same way.
import Module from 'node:module';
import path from 'node:path';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { median, fmt, type Row } from './stats';

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;

/** A value every property access and call of which yields another such value. */
function stub(name = 'vscode'): unknown {
  const fn = function () { return stub(`${name}()`); };
  return new Proxy(fn, {
    get: (_t, prop) => {
      if (prop === Symbol.toPrimitive) return () => 0;
      if (prop === 'then') return undefined; // not a thenable
      if (prop === 'prototype') return Object.prototype;
      if (prop === 'event') return () => ({ dispose() {} });
      return stub(`${name}.${String(prop)}`);
    },
    construct: () => stub(`new ${name}`) as object,
    apply: () => stub(`${name}()`),
  });
}

/** The `vscode` module: an object whose own keys are the API names the bundle uses (esbuild copies own keys). */
function vscodeModule(bundle: string): unknown {
  const names = [...new Set([...bundle.matchAll(/\b(?:import_)?vscode\d*\.([A-Za-z]\w*)/g)].map((m) => m[1]))];
  return new Proxy({}, {
    get: (_t, prop) => stub(`vscode.${String(prop)}`),
    ownKeys: () => names,
    getOwnPropertyDescriptor: (_t, prop) => ({ enumerable: true, configurable: true, value: stub(`vscode.${String(prop)}`) }),
  });
}

export async function runActivationBench(): Promise<Row[]> {
  const mod = Module as unknown as { _load: Loader };
  const original = mod._load;
  mod._load = function (request, parent, isMain) {
    if (request === 'vscode') return vscodeApi;
    return original.call(this, request, parent, isMain);
  };
  const extPath = path.resolve(__dirname, '../dist/extension.js');
  const vscodeApi = vscodeModule(readFileSync(extPath, 'utf8'));
  const empty = path.join(mkdtempSync(path.join(os.tmpdir(), 'la-act-')), 'empty.js');
  writeFileSync(empty, 'exports.activate = () => ({});');
  const times: number[] = [];
  const floor: number[] = [];
  const ctx = { subscriptions: { push() {} }, extensionPath: path.resolve(__dirname, '..'), extensionUri: stub(), secrets: stub() };
  const load = Module.createRequire(__filename);
  for (let i = 0; i < 15; i++) {
    for (const k of Object.keys(require.cache)) if (k.includes(`${path.sep}dist${path.sep}extension.js`) || k === empty) delete require.cache[k];
    let t = performance.now();
    (load(empty) as { activate: () => unknown }).activate();
    floor.push(performance.now() - t);
    t = performance.now();
    (load(extPath) as { activate: (c: unknown) => unknown }).activate(ctx);
    times.push(performance.now() - t);
  }
  mod._load = original;
  const m = median(times);
  return [{ metric: 'activation: load dist/extension.js + activate()', value: fmt(m), limit: `empty module ${fmt(median(floor))}`, ratio: '-', goal: '≤ 50 ms', ok: m <= 50 }];
}
