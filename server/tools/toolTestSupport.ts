// For the tool tests: a real temp workspace (plus a sibling folder outside it) and a ToolContext over it.
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultCommandEnvSettings } from './commandEnv';
import { ProcessRegistry } from './processRegistry';
import type { ToolContext } from './types';

export interface TestWorkspace {
  /** Real path of the workspace folder. */
  root: string;
  /** Real path of a folder next to the workspace, outside it. */
  outside: string;
  processes: ProcessRegistry;
  controller: AbortController;
  ctx: ToolContext;
  cleanup(): void;
}

export function makeTestWorkspace(opts: { trusted?: boolean; chatId?: string; onOutput?: (delta: string) => void } = {}): TestWorkspace {
  const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'la-tools-')));
  const root = path.join(base, 'ws');
  const outside = path.join(base, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  const processes = new ProcessRegistry();
  const controller = new AbortController();
  const ctx: ToolContext = {
    chatId: opts.chatId ?? 'chat-1',
    workspaceFolder: root,
    allowedRoots: [root],
    trusted: opts.trusted ?? true,
    signal: controller.signal,
    processes,
    envPolicy: defaultCommandEnvSettings(),
    onOutput: opts.onOutput,
  };
  return {
    root, outside, processes, controller, ctx,
    cleanup() {
      processes.killAll();
      rmSync(base, { recursive: true, force: true });
    },
  };
}
