// Libraries the extension needs only after activation live in bundles of their own (esbuild.mjs) and are
// required on first use: inside dist/extension.js, loading them (vscode-languageclient, zod and every
// protocol schema) cost more than the rest of activation together.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const loaded = new Map<string, unknown>();

/** Found and required once; later calls (a form validates on every keystroke) get the same module. */
function requireBundle<T>(name: string): T {
  if (loaded.has(name)) return loaded.get(name) as T;
  // Beside dist/extension.js, or one level up from dist/test/suite.js (the extension-host tests).
  const file = [path.join(__dirname, `${name}.js`), path.join(__dirname, '..', `${name}.js`)].find((f) => existsSync(f));
  if (!file) throw new Error(`${name}.js is missing beside ${__dirname}: run npm run build.`);
  const mod = createRequire(file)(file) as T;
  loaded.set(name, mod);
  return mod;
}

export const loadLanguageClient = () => requireBundle<typeof import('./languageClient')>('languageClient');
export const loadProtocolSchemas = () => requireBundle<typeof import('./protocolSchemas')>('protocolSchemas');
