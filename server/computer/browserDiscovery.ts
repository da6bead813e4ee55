// Which browser the computer-use agent drives: the setting `localAgents.computerUse.browser` (an executable
// path, or a Playwright channel such as `chrome` or `msedge`), else the first installed Chrome, Chromium or
// Edge at its usual place. playwright-core downloads no browser of its own, so none found is an error that
// names the setting.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const BROWSER_SETTING = 'localAgents.computerUse.browser';

/** Channels Playwright finds by itself (installed Chrome / Edge builds). */
const CHANNELS = new Set(['chrome', 'chrome-beta', 'chrome-dev', 'chrome-canary', 'msedge', 'msedge-beta', 'msedge-dev', 'msedge-canary', 'chromium']);

export type BrowserChoice = { executablePath: string } | { channel: string };

/** Usual install paths by platform, most common first. */
export function candidatePaths(platform: NodeJS.Platform, env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string[] {
  if (platform === 'darwin') {
    const apps = [
      'Google Chrome.app/Contents/MacOS/Google Chrome',
      'Chromium.app/Contents/MacOS/Chromium',
      'Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
      'Google Chrome Canary.app/Contents/MacOS/Google Chrome Canary',
    ];
    return [...apps.map((a) => `/Applications/${a}`), ...apps.map((a) => path.join(home, 'Applications', a))];
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES ?? 'C:\\Program Files', env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)', env.LOCALAPPDATA].filter((r): r is string => !!r);
    const rel = ['Google\\Chrome\\Application\\chrome.exe', 'Microsoft\\Edge\\Application\\msedge.exe', 'Chromium\\Application\\chrome.exe'];
    return rel.flatMap((r) => roots.map((root) => path.win32.join(root, r)));
  }
  return [
    '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable',
    '/usr/bin/microsoft-edge', '/usr/bin/microsoft-edge-stable', '/snap/bin/chromium', '/opt/google/chrome/chrome',
  ];
}

export class BrowserNotFoundError extends Error {}

/** The browser to launch: the setting when given, else the first candidate that exists. */
export function findBrowser(setting: string | null, platform: NodeJS.Platform = process.platform, exists: (p: string) => boolean = existsSync): BrowserChoice {
  const wanted = setting?.trim();
  if (wanted) {
    if (CHANNELS.has(wanted)) return { channel: wanted };
    if (exists(wanted)) return { executablePath: wanted };
    throw new BrowserNotFoundError(`The browser "${wanted}" named by the setting ${BROWSER_SETTING} does not exist. Give the path of a Chrome, Chromium or Edge executable, or a channel (chrome, msedge).`);
  }
  const found = candidatePaths(platform).find((p) => exists(p));
  if (found) return { executablePath: found };
  throw new BrowserNotFoundError(`No Chrome, Chromium or Edge was found for computer use (looked in ${candidatePaths(platform).join(', ')}). Install one, or set ${BROWSER_SETTING} to its executable path or channel (chrome, msedge).`);
}
