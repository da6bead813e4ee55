// Messages between the webviews (the chat, the management panel) and the extension host, declared once for
// both sides. A webview never sees a secret: provider keys and secret values are entered in VS Code's own
// input boxes and held by the host.
import type { ChatStreamEvent, FilePart, ModelOptions, Provider, ProviderOptions, ProviderType } from './types';
import type { ChatWatchEvent } from './methods';
import type { ProviderModel, TestProviderResult } from './requests';
import type { SpendStatus } from './usage';

/** Where the provider form points: enough to list models or test before anything is saved. */
export interface ProviderTarget {
  base_url: string;
  provider?: ProviderType;
  options?: ProviderOptions;
  /** A saved provider (the management view's edit): its stored key is used unless a new one was entered. */
  provider_id?: string;
}

/** The provider form's fields besides the key, which stays with the host. */
export interface ProviderFields extends ProviderTarget {
  provider_name?: string;
  /** The environment variable a headless run reads the key from; a key stored in VS Code wins. */
  key_env?: string | null;
}

export type ProviderSetupOp =
  | { op: 'askKey' | 'clearKey' }
  | ({ op: 'models' } & ProviderTarget)
  | ({ op: 'test'; model: string } & ProviderTarget)
  /** A new provider (or, from the first run, the one at this URL) with this model as the default. */
  | ({ op: 'save'; model: string; model_options?: ModelOptions; context_limit?: number } & ProviderFields)
  /** Changes a saved provider (provider_id), and its key when a new one was entered. */
  | ({ op: 'update'; provider_id: string } & ProviderFields);

/** The management panel's tabs; each command opens the panel on one. */
export const MANAGE_TABS = ['providers', 'usage', 'requests', 'secrets', 'audit'] as const;
export type ManageTab = (typeof MANAGE_TABS)[number];

/** What a user secret's form sends; the value is asked by the host in a password box. */
export interface UserSecretFields { name: string; env_var: string | null; file_path: string | null; workspaces: string[] }

/** The management panel's steps that touch a key, a secret value, a file or a confirmation: done by the host. */
export type ManageOp =
  | { op: 'deleteProvider'; provider_id: string }
  | ({ op: 'createSecret' } & UserSecretFields)
  /** change_value: ask a new value (else the stored one stays). */
  | ({ op: 'updateSecret'; secret_id: string; change_value: boolean } & UserSecretFields)
  | { op: 'deleteSecret'; secret_id: string }
  | { op: 'exportCsv'; file_name: string; csv: string }
  | { op: 'openChat'; chat_id: string };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'request'; id: number; method: string; params: unknown }
  /** Opens VS Code's diff editor on the before/after of a file edit. */
  | { type: 'openDiff'; path: string; before: string; after: string }
  | { type: 'openFile'; path: string }
  /** Opens the diff editor on a checkpoint: the file before the change (read-only) against the file now. */
  | { type: 'openChangeDiff'; chatId: string; changeId: number }
  | { type: 'attachFiles'; requestId: number }
  | { type: 'runCommand'; command: WebviewCommand }
  /** The panel now shows this chat (or none); the host marks chats read on open and on leave. */
  | { type: 'viewing'; chatId: string | null }
  /** Subagent chats whose transcripts are open inline: their stream events are relayed too. */
  | { type: 'follow'; chatIds: string[] }
  /**
   * The provider form. The key is asked in a VS Code input box and held by the host: the webview only ever
   * learns whether one was entered.
   */
  | ({ type: 'providerSetup'; requestId: number; /** Which open form: each holds its own key, so a key typed in one is never sent to another's URL. */ form?: string } & ProviderSetupOp)
  | ({ type: 'manage'; requestId: number } & ManageOp);

export type HostToWebview =
  | { type: 'init'; chatId: string | null; trusted: boolean; workspace: string | null; /** The localAgents.defaultModel setting (a model id), preselected for new chats. */ defaultModel: string }
  /** messageId: open at this message (a search hit). */
  | { type: 'showChat'; chatId: string | null; messageId?: number }
  | { type: 'response'; id: number; result?: unknown; error?: { message: string; detail?: string; field?: string; status?: number } }
  | { type: 'stream'; chatId: string; events: ChatStreamEvent[] }
  | { type: 'watch'; event: ChatWatchEvent }
  | { type: 'attached'; requestId: number; parts: FilePart[] }
  | { type: 'trust'; trusted: boolean }
  | { type: 'providersChanged' }
  | { type: 'mcpServersChanged' }
  | { type: 'command'; command: 'stop' | 'focusComposer' | 'pickModel' }
  | {
    type: 'providerSetupResult'; requestId: number; ok: boolean; error?: string; /** The form field the error is about. */ field?: string;
    has_key?: boolean; models?: string[]; details?: ProviderModel[]; test?: TestProviderResult; provider?: Provider;
  }
  /** The management panel. */
  | { type: 'manageInit'; tab: ManageTab; workspace: string | null }
  | { type: 'showTab'; tab: ManageTab }
  | { type: 'usageChanged'; spend: SpendStatus }
  | { type: 'secretsChanged' }
  /** cancelled: the user closed the input box or the dialog. */
  | { type: 'manageResult'; requestId: number; ok: boolean; cancelled?: boolean; error?: string; field?: string };

/** The commands a webview may run; the host refuses any other (a webview is never trusted with the command palette). */
export const WEBVIEW_COMMANDS = [
  'localAgents.configureProvider', 'localAgents.newChat', 'localAgents.openChatInEditor', 'localAgents.switchModel', 'localAgents.focusChat', 'localAgents.openPullRequest',
] as const;
export type WebviewCommand = (typeof WEBVIEW_COMMANDS)[number];
