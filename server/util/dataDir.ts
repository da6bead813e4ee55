import os from 'node:os';
import path from 'node:path';

/** The per-user data folder shared by the extension's server and the CLI. */
export function defaultDataDir(): string {
  if (process.env.LOCAL_AGENTS_DATA_DIR) return process.env.LOCAL_AGENTS_DATA_DIR;
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA || path.join(home, 'AppData', 'Roaming'), 'local-agents');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'local-agents');
  return path.join(process.env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'local-agents');
}

export const defaultDbPath = (): string => path.join(defaultDataDir(), 'chats.db');
