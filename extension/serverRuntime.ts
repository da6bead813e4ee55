// Which Node runs the server: the one the VSIX carries (runtime/bin/node), unless the setting
// localAgents.server.nodePath names another. Before a server starts on a Node, that Node is asked for its
// version and ABI and compared with what the server's SQLite module was built for (dist/native.json), so a
// wrong Node gives one clear message instead of a crashing process.
import { execFile } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface NativeInfo { target: string; node: string; modules: string | null; runsOn?: string }

export interface ServerRuntime {
  command: string;
  source: 'setting' | 'bundled' | 'path';
}

export type RuntimeCheck =
  | { ok: true; version: string; modules: string }
  | { ok: false; message: string; found: string };

/** What the packaged server was built for; absent in a development checkout (no runtime is bundled there). */
export function readNativeInfo(extensionPath: string): NativeInfo | undefined {
  const file = path.join(extensionPath, 'dist', 'native.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as NativeInfo;
  } catch {
    return undefined;
  }
}

export function bundledNode(extensionPath: string): string | undefined {
  const bin = path.join(extensionPath, 'runtime', process.platform === 'win32' ? 'node.exe' : path.join('bin', 'node'));
  if (!existsSync(bin)) return undefined;
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    // An unzip that dropped the executable bit: the extension's own folder is the user's to fix.
    chmodSync(bin, 0o755);
  }
  return bin;
}

export function resolveRuntime(setting: string, extensionPath: string): ServerRuntime {
  if (setting.trim()) return { command: setting.trim(), source: 'setting' };
  const bundled = bundledNode(extensionPath);
  return bundled ? { command: bundled, source: 'bundled' } : { command: 'node', source: 'path' };
}

const major = (version: string) => version.replace(/^v/, '').split('.')[0];

/** Runs `<node> -p …` once: a missing binary, a non-Node, or a Node of another ABI is named with what fixes it. */
export function checkRuntime(rt: ServerRuntime, native: NativeInfo | undefined): Promise<RuntimeCheck> {
  const fix = rt.source === 'setting'
    ? `Clear the setting "localAgents.server.nodePath" to use the Node that comes with the extension${native ? `, or point it at a Node ${major(native.node)}` : ''}.`
    : `Set "localAgents.server.nodePath" to a Node ${native ? major(native.node) : '≥ 20'}${native?.modules ? ` (NODE_MODULE_VERSION ${native.modules})` : ''}.`;
  const where = rt.source === 'setting' ? ` (the setting localAgents.server.nodePath)` : rt.source === 'bundled' ? ' (the Node that comes with the extension)' : ' (node on PATH)';
  return new Promise((resolve) => {
    execFile(rt.command, ['-p', 'process.versions.modules + " " + process.version'], { timeout: 15_000, windowsHide: true }, (err, stdout) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const what = code === 'ENOENT' ? 'was not found' : code === 'EACCES' ? 'cannot be run (permission denied)' : `did not run as Node (${err.message.split('\n')[0]})`;
        resolve({ ok: false, found: `${rt.command}: ${what}`, message: `The server's Node "${rt.command}"${where} ${what}. ${fix}` });
        return;
      }
      const [modules, version] = stdout.trim().split(/\s+/);
      if (!/^\d+$/.test(modules ?? '') || !version) {
        resolve({ ok: false, found: `${rt.command}: answered "${stdout.trim().slice(0, 80)}"`, message: `"${rt.command}"${where} is not a Node.js (it answered "${stdout.trim().slice(0, 80)}"). ${fix}` });
        return;
      }
      if (native?.modules && modules !== native.modules) {
        resolve({
          ok: false, found: `${rt.command}: Node ${version}, NODE_MODULE_VERSION ${modules}`,
          message: `"${rt.command}"${where} is Node ${version} (NODE_MODULE_VERSION ${modules}), but the server's SQLite module is built for NODE_MODULE_VERSION ${native.modules} (Node ${major(native.node)}). ${fix}`,
        });
        return;
      }
      resolve({ ok: true, version, modules });
    });
  });
}
