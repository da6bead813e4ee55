// The CLI runs on any Node ≥ 20: its SQLite module is built for one Node ABI (in the VSIX, the runtime that
// comes with it), so on another Node it re-executes itself on that runtime, found beside it. In a development
// checkout there is none: a mismatch is then explained instead of crashing.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface NativeInfo { node: string; modules: string | null }

function nativeInfo(): NativeInfo | undefined {
  try {
    return JSON.parse(readFileSync(path.join(__dirname, 'native.json'), 'utf8')) as NativeInfo;
  } catch {
    return undefined;
  }
}

/** Returns the exit code of the re-executed CLI, or undefined to go on in this process. */
export function runOnBuiltRuntime(argv: string[]): number | undefined {
  const native = nativeInfo();
  if (!native?.modules || native.modules === process.versions.modules || process.env.LOCAL_AGENTS_CLI_REEXEC) return undefined;
  const runtime = path.join(__dirname, '..', 'runtime', process.platform === 'win32' ? 'node.exe' : path.join('bin', 'node'));
  if (!existsSync(runtime)) {
    process.stderr.write(`error: this CLI needs Node ${native.node} (NODE_MODULE_VERSION ${native.modules}); this is Node ${process.version} (NODE_MODULE_VERSION ${process.versions.modules}), and the runtime that comes with it (${runtime}) is missing.\n`);
    return 1;
  }
  const r = spawnSync(runtime, [process.argv[1], ...argv], { stdio: 'inherit', env: { ...process.env, LOCAL_AGENTS_CLI_REEXEC: '1' } });
  if (r.error) {
    process.stderr.write(`error: could not run ${runtime}: ${r.error.message}\n`);
    return 1;
  }
  return r.status ?? 1;
}

/** The message for a SQLite module built for another Node, with what to do about it. */
export function explainAbiMismatch(err: unknown): string | undefined {
  const message = err instanceof Error ? err.message : String(err);
  if (!/NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(message)) return undefined;
  const built = /NODE_MODULE_VERSION (\d+)\. This version of Node\.js requires/.exec(message)?.[1];
  return `this CLI's SQLite module was built for another Node${built ? ` (NODE_MODULE_VERSION ${built})` : ''}; this is Node ${process.version} (NODE_MODULE_VERSION ${process.versions.modules}). `
    + 'Run it with the Node it was built for (or run npm rebuild better-sqlite3), or use the CLI of the installed extension, <extension folder>/dist/cli.js, which brings its own Node.';
}
