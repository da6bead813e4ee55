import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as esbuild from 'esbuild';

// Activation loads dist/extension.js whole: the heavy libraries must stay in their lazily required
// bundles (lazyBundles.ts), or activation time grows back past its 50 ms budget.
test('the extension bundle holds neither zod, vscode-jsonrpc nor vscode-languageclient', async () => {
  const r = await esbuild.build({ entryPoints: ['extension/main.ts'], bundle: true, platform: 'node', format: 'cjs', external: ['vscode'], write: false, metafile: true, minify: true, logLevel: 'silent' });
  const inputs = Object.keys(Object.values(r.metafile.outputs)[0].inputs);
  const heavy = inputs.filter((f) => /node_modules\/(zod|vscode-jsonrpc|vscode-languageclient|vscode-languageserver-protocol)\//.test(f));
  assert.deepEqual(heavy, []);
  assert.ok(inputs.some((f) => f.startsWith('extension/')), 'the extension\'s own code is there');
  assert.ok(r.outputFiles[0].contents.length < 150_000, `${r.outputFiles[0].contents.length} bytes`);
});
