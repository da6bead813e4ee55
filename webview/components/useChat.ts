// The chat view's data: loads a chat and its newest page, follows stream/watch events, batches renders per frame.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatStreamEvent, ModelConfig, PendingAction, PermissionMode } from '../../server/protocol';
import { GetChat, GetMessages, GetSettings, InterruptChat, ListModelConfigs, ListPendingActions, ListProviders } from '../../server/protocol/methods';
import { onHostMessage, post, request } from '../rpc';
import { applyStreamEvents, emptyState, isBusy, mergeNewest, prependPage, rowIdOf, type ChatViewState } from '../state/chatState';

export interface ChatModel {
  state: ChatViewState;
  chatId: string | null;
  trusted: boolean;
  models: ModelConfig[];
  providersReady: boolean | null;
  setChatId(id: string | null): void;
  loadOlder(): Promise<void>;
  /** Bumped to move the keyboard focus: the composer's text, or its model picker. */
  focus: { target: 'composer' | 'model'; tick: number };
  focusComposer(): void;
  defaultModel: string;
  /** The host's workspace folder, to resolve relative paths the model wrote. */
  workspace: string | null;
  /** Calls waiting for a decision in this chat and its subagents. */
  approvals: PendingAction[];
  /** The settings' permission mode, which a chat without its own uses. */
  defaultPermissionMode: PermissionMode;
}

/** Pages of 200 loaded at most to reach a search hit (older hits open at the oldest loaded message). */
const FOCUS_PAGES = 25;

export function useChat(): ChatModel {
  const [chatId, setChatIdState] = useState<string | null>(null);
  const [state, setState] = useState<ChatViewState>(emptyState);
  const [trusted, setTrusted] = useState(true);
  const [models, setModels] = useState<ModelConfig[]>([]);
  const [providersReady, setProvidersReady] = useState<boolean | null>(null);
  const [focus, setFocus] = useState<ChatModel['focus']>({ target: 'composer', tick: 0 });
  const [workspace, setWorkspace] = useState<string | null>(null);
  const focusOn = (target: 'composer' | 'model') => setFocus((f) => ({ target, tick: f.tick + 1 }));
  const [defaultModel, setDefaultModel] = useState('');
  const [approvals, setApprovals] = useState<PendingAction[]>([]);
  const [defaultPermissionMode, setDefaultPermissionMode] = useState<PermissionMode>('default');
  const stateRef = useRef(state);
  const chatRef = useRef<string | null>(null);
  const queue = useRef<ChatStreamEvent[]>([]);
  const frame = useRef<number | null>(null);
  const loadingOlder = useRef(false);

  const commit = (next: ChatViewState) => { stateRef.current = next; setState(next); };

  const loadApprovals = async (id: string | null) => {
    if (!id) { setApprovals([]); return; }
    const list = await request(ListPendingActions, { chat_id: id, include_subagents: true }).catch(() => [] as PendingAction[]);
    if (chatRef.current === id) setApprovals(list);
  };

  const loadProviders = async () => {
    const [providers, configs] = await Promise.all([request(ListProviders, {}), request(ListModelConfigs, {})]);
    setModels(configs.filter((c) => c.enabled));
    setProvidersReady(providers.length > 0 && configs.length > 0);
  };

  const load = async (id: string | null, messageId?: number) => {
    chatRef.current = id;
    queue.current = [];
    void loadApprovals(id);
    if (!id) { commit(emptyState()); return; }
    const [chat, page] = await Promise.all([request(GetChat, { chat_id: id }), request(GetMessages, { chat_id: id, limit: 100 })]);
    if (chatRef.current !== id) return;
    let messages = page.messages;
    let hasMore = page.has_more;
    // A search hit further back: older pages down to it (the view stays one run of messages up to the newest).
    for (let pages = 0; messageId !== undefined && hasMore && messages.length > 0 && !messages.some((m) => m.id === messageId) && pages < FOCUS_PAGES; pages++) {
      const older = await request(GetMessages, { chat_id: id, before_id: messages[0].id, limit: 200 });
      if (chatRef.current !== id) return;
      messages = [...older.messages, ...messages];
      hasMore = older.has_more;
    }
    const focusMessageId = messageId !== undefined ? rowIdOf(messages, messageId) : undefined;
    commit({ ...emptyState(), chat, messages, hasMore, queued: page.queued_messages, focusMessageId });
  };

  const setChatId = (id: string | null) => {
    setChatIdState(id);
    post({ type: 'viewing', chatId: id });
    void load(id);
  };

  useEffect(() => onHostMessage((m) => {
    switch (m.type) {
      case 'init':
        setTrusted(m.trusted);
        setDefaultModel(m.defaultModel);
        setWorkspace(m.workspace);
        setChatIdState(m.chatId);
        void load(m.chatId);
        void loadProviders();
        void request(GetSettings, {}).then((info) => setDefaultPermissionMode(info.permissions.default_mode), () => undefined);
        break;
      case 'showChat':
        setChatIdState(m.chatId);
        void load(m.chatId, m.messageId);
        if (m.messageId === undefined) focusOn('composer');
        break;
      case 'trust': setTrusted(m.trusted); break;
      case 'providersChanged': void loadProviders(); break;
      case 'command':
        if (m.command === 'focusComposer') focusOn('composer');
        if (m.command === 'pickModel') focusOn('model');
        if (m.command === 'stop' && chatRef.current && isBusy(stateRef.current.chat)) void request(InterruptChat, { chat_id: chatRef.current });
        break;
      case 'stream':
        if (m.chatId !== chatRef.current) return;
        // A status change can end a wait (a script answered its call): the card goes with it, not after the next text.
        if (m.events.some((e) => e.type === 'action_required' || e.type === 'status')) void loadApprovals(m.chatId);
        // Applied once per animation frame: a burst of deltas is one render.
        queue.current.push(...m.events);
        if (frame.current === null) {
          frame.current = requestAnimationFrame(() => {
            frame.current = null;
            const events = queue.current;
            queue.current = [];
            commit(applyStreamEvents(stateRef.current, events));
          });
        }
        break;
      case 'watch':
        // A subagent of this chat starts or stops waiting: its approvals show here too. This chat's own status changes
        // reload them from its stream's status event, which comes first.
        if (chatRef.current && (m.event.chat.id === chatRef.current || m.event.chat.root_chat_id === chatRef.current)
          && m.event.kind !== 'title_change' && m.event.kind !== 'diff_status_change'
          && !(m.event.chat.id === chatRef.current && m.event.kind === 'status_change')) void loadApprovals(chatRef.current);
        if (m.event.chat.id === chatRef.current && stateRef.current.chat) {
          commit({ ...stateRef.current, chat: { ...m.event.chat } });
          // Another window or the CLI added to this chat: its messages reach this view only by reading them.
          if (m.event.kind === 'changed_elsewhere') {
            const id = m.event.chat.id;
            void request(GetMessages, { chat_id: id, limit: 50 }).then((page) => {
              if (chatRef.current === id) commit(mergeNewest(stateRef.current, page.messages));
            }, () => undefined);
          }
        }
        break;
    }
  }), []);

  const loadOlder = async () => {
    const s = stateRef.current;
    if (!chatRef.current || !s.hasMore || loadingOlder.current || s.messages.length === 0) return;
    loadingOlder.current = true;
    try {
      const page = await request(GetMessages, { chat_id: chatRef.current, before_id: s.messages[0].id, limit: 100 });
      commit(prependPage(stateRef.current, page.messages, page.has_more));
    } finally {
      loadingOlder.current = false;
    }
  };

  return { state, chatId, trusted, models, providersReady, setChatId, loadOlder, focus, focusComposer: () => focusOn('composer'), defaultModel, workspace, approvals, defaultPermissionMode };
}
