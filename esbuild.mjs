// Bundles the three processes: the extension host entry, the server (+ CLI) and the webview.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync, existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const common = { bundle: true, sourcemap: production ? false : 'linked', minify: production, logLevel: 'warning' };

const node = { ...common, platform: 'node', target: 'node20', format: 'cjs' };
const builds = [
  { ...node, entryPoints: { server: 'server/main.ts' }, outdir: 'dist', external: ['better-sqlite3'] },
  // The package's `bin`.
  { ...node, entryPoints: { cli: 'server/cli/main.ts' }, outdir: 'dist', external: ['better-sqlite3'], banner: { js: '#!/usr/bin/env node' } },
];
if (existsSync('extension/main.ts')) {
  builds.push({ ...node, entryPoints: { extension: 'extension/main.ts' }, outdir: 'dist', external: ['vscode'] });
}
if (existsSync('webview/main.tsx')) {
  builds.push({ ...common, platform: 'browser', target: 'es2022', format: 'iife', entryPoints: { webview: 'webview/main.tsx' }, outdir: 'dist', jsx: 'automatic', jsxImportSource: 'preact', loader: { '.ttf': 'file' } });
}
if (existsSync('test/extension-host/index.ts')) {
  builds.push({ ...node, entryPoints: { 'suite': 'test/extension-host/index.ts' }, outdir: 'dist/test', external: ['vscode', 'mocha'] });
}

mkdirSync('dist/migrations', { recursive: true });
// Codicons for the webview (font + css), served from dist/ under the webview's CSP.
for (const f of ['codicon.css', 'codicon.ttf']) cpSync(`node_modules/@vscode/codicons/dist/${f}`, `dist/${f}`);
for (const f of readdirSync('server/store/migrations')) cpSync(`server/store/migrations/${f}`, `dist/migrations/${f}`);

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
