// Every server with the API on writes <data dir>/api/servers/<pid>.json (url, workspace, pid) and removes it
// on exit, so scripts find the window they want: `local-agents api servers` lists the live ones.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ApiServerEntry { url: string; workspace: string | null; pid: number; started_at: string }

const dirOf = (dataDir: string) => path.join(dataDir, 'api', 'servers');

export function registerApiServer(dataDir: string, entry: ApiServerEntry): () => void {
  const dir = dirOf(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `${entry.pid}.json`);
  writeFileSync(file, JSON.stringify(entry, null, 2), { mode: 0o600 });
  const remove = () => rmSync(file, { force: true });
  process.once('exit', remove);
  return () => {
    process.off('exit', remove);
    remove();
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live servers; entries of processes that died without cleaning up are removed. */
export function liveApiServers(dataDir: string): ApiServerEntry[] {
  const dir = dirOf(dataDir);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const out: ApiServerEntry[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const entry = JSON.parse(readFileSync(file, 'utf8')) as ApiServerEntry;
      if (alive(entry.pid)) out.push(entry);
      else rmSync(file, { force: true });
    } catch {
      rmSync(file, { force: true });
    }
  }
  return out.sort((a, b) => a.pid - b.pid);
}
