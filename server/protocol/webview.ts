// Messages between the chat webview and the extension host, declared once for both sides.
// The webview never sees a secret: provider keys are entered in VS Code's own input boxes.
import type { ChatStreamEvent, FilePart } from './types';
import type { ChatWatchEvent } from './methods';
import type { TestProviderResult } from './requests';

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'request'; id: number; method: string; params: unknown }
  /** Opens VS Code's diff editor on the before/after of a file edit. */
  | { type: 'openDiff'; path: string; before: string; after: string }
  | { type: 'openFile'; path: string }
  /** Opens the diff editor on a checkpoint: the file before the change (read-only) against the file now. */
  | { type: 'openChangeDiff'; chatId: string; changeId: number }
  | { type: 'attachFiles'; requestId: number }
  | { type: 'runCommand'; command: 'localAgents.configureProvider' | 'localAgents.newChat' | 'localAgents.openChatInEditor' | 'localAgents.switchModel' | 'localAgents.focusChat' }
  /** The panel now shows this chat (or none); the host marks chats read on open and on leave. */
  | { type: 'viewing'; chatId: string | null }
  /** Subagent chats whose transcripts are open inline: their stream events are relayed too. */
  | { type: 'follow'; chatIds: string[] }
  /**
   * The provider form. The key is asked in a VS Code input box and held by the host: the webview only ever
   * learns whether one was entered.
   */
  | { type: 'providerSetup'; requestId: number; op: 'askKey' | 'clearKey' }
  | { type: 'providerSetup'; requestId: number; op: 'models'; base_url: string }
  | { type: 'providerSetup'; requestId: number; op: 'test' | 'save'; base_url: string; model: string };

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
  | { type: 'providerSetupResult'; requestId: number; ok: boolean; error?: string; has_key?: boolean; models?: string[]; test?: TestProviderResult };
