// The one object the capabilities share: the store, the event fan-out, held keys and the workspace.
import type { ChatEvents } from './events';
import type { PermissionSettings } from './permissions/settings';
import type { CommandEnvSettings } from './tools/commandEnv';
import type { ProviderKeys } from './models/providerKeys';
import type { SecretValues } from './secrets/secretValues';
import type { Db } from './store/db';
import type { DiffStatusService } from './git/diffStatusService';
import type { ComputerSessions } from './computer/sessions';

export interface WorkspaceState {
  /** The VS Code workspace this process serves (folder or .code-workspace path); null when none is open. */
  workspace: string | null;
  /** Real paths of the workspace's folders: tools may act inside these only. */
  folders: string[];
  /** Workspace Trust: false disables execute and writes. */
  trusted: boolean;
  /** `all`: chat requests may act on chats of any workspace (the CLI, when asked to). */
  scope: 'workspace' | 'all';
}

export interface ServerSettings {
  /** Model for explore subagents: a model config id or model name; null = the turn's model. */
  exploreModel: string | null;
  /** Model for computer-use subagents: a model config id or model name; null = the turn's model. */
  computerUseModel: string | null;
  /** The browser computer-use agents drive: an executable path or Playwright channel (null: found automatically), and whether it shows a window. */
  computerUse: ComputerUseSettings;
  /** Folder of plan files, relative to the chat's workspace folder. */
  planDirectory: string;
  permissions: PermissionSettings;
  commandEnv: CommandEnvSettings;
  /** How long a client-executed tool call waits for its result before it is answered "Tool execution timed out". */
  dynamicToolTimeoutSeconds: number;
  /** Spend limits in micro-dollars per local day and month; null: none. */
  spendLimits: { dailyMicros: number | null; monthlyMicros: number | null };
  /** Pull request lookups: an Enterprise server's web URL (null: github.com only), on or off, seconds between lookups of an open one. */
  github: GitHubSettings;
}

export interface ComputerUseSettings { browser: string | null; headless: boolean }

export interface GitHubSettings { enterpriseUrl: string | null; pullRequests: boolean; pollSeconds: number }

/** Who keeps the settings: the extension (VS Code's settings) or `<data dir>/settings.json` (headless). */
export type SettingsOwner = { kind: 'client' } | { kind: 'file'; path: string };

/** What the server tells its client beside chat events. */
export interface ClientHooks {
  /** "Always allow" added rules: the client stores them in the user's settings. */
  permissionRulesAdded?(rules: string[]): void;
}

export interface AppContext {
  db: Db;
  dbPath: string;
  events: ChatEvents;
  keys: ProviderKeys;
  /** User secrets' values (from SecretStorage), for commands and output scrubbing. */
  secretValues: SecretValues;
  workspace: WorkspaceState;
  settings: ServerSettings;
  settingsOwner: SettingsOwner;
  client: ClientHooks;
  /** A call that needs approval: wait for a decision (`requires_action`), or refuse it at once (the CLI). */
  onAsk: 'suspend' | 'deny';
  /** The HTTP API's base URL while it listens (null: off). */
  apiUrl: string | null;
  /** Id of this process as a worker: `<pid>:<uuid>`. */
  workerId: string;
  now(): number;
  /** Asks the worker to look for pending chats now instead of at the next poll. */
  wake(): void;
  /** Each root chat's branch, changed files and pull request (git and GitHub); absent in read-only and rule-test contexts. */
  diffStatus?: DiffStatusService;
  /** The browsers of computer-use chats; absent in read-only and rule-test contexts. */
  computer?: ComputerSessions;
  /** Cancels this process's run of the chat, if any, for the given reason. */
  abortLocalRun(chatId: string, reason: 'interrupted' | 'superseded' | 'archived'): void;
}
