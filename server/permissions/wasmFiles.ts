// Where the tree-sitter runtime and the bash grammar are: beside the bundle (dist/, the VSIX), or in
// node_modules when the server runs from source (tests).
import { existsSync } from 'node:fs';
import path from 'node:path';

const PACKAGE_OF: Record<string, string> = {
  'web-tree-sitter.wasm': 'web-tree-sitter/web-tree-sitter.wasm',
  'tree-sitter-bash.wasm': 'tree-sitter-bash/tree-sitter-bash.wasm',
};

export function wasmPath(name: string): string {
  const beside = path.join(__dirname, name);
  if (existsSync(beside)) return beside;
  const spec = PACKAGE_OF[name];
  if (!spec) throw new Error(`unknown wasm file ${name}`);
  try {
    return require.resolve(spec);
  } catch {
    // tree-sitter-bash does not export its wasm file; find the package folder from its manifest.
    const [pkg, file] = [spec.split('/')[0], spec.split('/').slice(1).join('/')];
    return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
  }
}
