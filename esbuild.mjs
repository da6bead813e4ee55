// Bundles the three processes: the extension host entry, the server (+ CLI) and the webviews (chat, management panel).
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync, existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// `--outdir=DIR`: build somewhere else than dist/ (the activation bench measures a production build there).
const out = process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';
const common = { bundle: true, sourcemap: production ? false : 'linked', minify: production, logLevel: 'warning' };

// web-tree-sitter's ESM build finds its wasm through import.meta.url, which a CJS bundle does not have: take its CJS build.
const node = { ...common, platform: 'node', target: 'node20', format: 'cjs', alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/web-tree-sitter.cjs' } };
const builds = [
  // playwright-core stays a module of its own (dist/node_modules in the VSIX): computer use requires it on first use only.
  { ...node, entryPoints: { server: 'server/main.ts' }, outdir: out, external: ['better-sqlite3', 'playwright-core'] },
  // The package's `bin`.
  { ...node, entryPoints: { cli: 'server/cli/main.ts' }, outdir: out, external: ['better-sqlite3', 'playwright-core'], banner: { js: '#!/usr/bin/env node' } },
];
if (existsSync('extension/main.ts')) {
  builds.push({ ...node, entryPoints: { extension: 'extension/main.ts' }, outdir: out, external: ['vscode'] });
  // Required on first use (extension/lazyBundles.ts), so that activation does not load them.
  builds.push({ ...node, entryPoints: { languageClient: 'extension/languageClient.ts', protocolSchemas: 'extension/protocolSchemas.ts' }, outdir: out, external: ['vscode'] });
}
if (existsSync('webview/main.tsx')) {
  builds.push({ ...common, platform: 'browser', target: 'es2022', format: 'iife', entryPoints: { webview: 'webview/main.tsx', manage: 'webview/manage/main.tsx' }, outdir: out, jsx: 'automatic', jsxImportSource: 'preact', loader: { '.ttf': 'file' } });
}
if (existsSync('test/extension-host/index.ts')) {
  builds.push({ ...node, entryPoints: { 'suite': 'test/extension-host/index.ts' }, outdir: `${out}/test`, external: ['vscode', 'mocha'] });
}

mkdirSync(`${out}/migrations`, { recursive: true });
// Codicons for the webview (font + css), served from dist/ under the webview's CSP.
for (const f of ['codicon.css', 'codicon.ttf']) cpSync(`node_modules/@vscode/codicons/dist/${f}`, `${out}/${f}`);
// The usage chart's stylesheet (uPlot's legend and cursor), loaded by the management panel under the same CSP.
cpSync('node_modules/uplot/dist/uPlot.min.css', `${out}/uplot.css`);
for (const f of readdirSync('server/store/migrations')) cpSync(`server/store/migrations/${f}`, `${out}/migrations/${f}`);
// The shell grammar the permission gate parses commands with (server/permissions/wasmFiles.ts finds them here).
cpSync('node_modules/web-tree-sitter/web-tree-sitter.wasm', `${out}/web-tree-sitter.wasm`);
cpSync('node_modules/tree-sitter-bash/tree-sitter-bash.wasm', `${out}/tree-sitter-bash.wasm`);

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
