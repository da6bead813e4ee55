// The one object the capabilities share: the store, the event fan-out, held keys and the workspace.
import type { ChatEvents } from './events';
import type { ProviderKeys } from './models/providerKeys';
import type { Db } from './store/db';

export interface WorkspaceState {
  /** The VS Code workspace this process serves (folder or .code-workspace path); null when none is open. */
  workspace: string | null;
  /** Real paths of the workspace's folders: tools may act inside these only. */
  folders: string[];
  /** Workspace Trust: false disables execute and writes. */
  trusted: boolean;
}

export interface ServerSettings {
  /** Model for explore subagents: a model config id or model name; null = the turn's model. */
  exploreModel: string | null;
  /** Folder of plan files, relative to the chat's workspace folder. */
  planDirectory: string;
}

export interface AppContext {
  db: Db;
  dbPath: string;
  events: ChatEvents;
  keys: ProviderKeys;
  workspace: WorkspaceState;
  settings: ServerSettings;
  /** Id of this process as a worker: `<pid>:<uuid>`. */
  workerId: string;
  now(): number;
  /** Asks the worker to look for pending chats now instead of at the next poll. */
  wake(): void;
  /** Cancels this process's run of the chat, if any, for the given reason. */
  abortLocalRun(chatId: string, reason: 'interrupted' | 'superseded' | 'archived'): void;
}
