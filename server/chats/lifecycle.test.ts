import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { AppError } from '../errors';
import { createModelConfig, deleteModelConfig } from '../models/modelConfigs';
import { getChatRow } from '../store/chats';
import { allVisibleMessages } from '../store/messages';
import { listQueued } from '../store/queue';
import { makeTestContext, text, type TestContext } from '../testing/testContext';
import { createChat, editMessage, interruptChat, markRead, sendMessage, updateChat } from './lifecycle';
import { getMessagesPage, listChatsPage } from './listing';
import { deleteQueuedMessage, promoteQueued, promoteQueuedMessage } from './queue';
import { finishTurn } from '../agent/finishTurn';
import type { LocalRun } from '../agent/ownership';
import { moveChat } from './status';
import { insertMessage } from '../store/messages';
import { actionsOfChats, insertPendingAction } from '../store/approvals';

let ctx: TestContext;
beforeEach(() => { ctx = makeTestContext(); });
afterEach(() => ctx.close());

const isAppError = (status: number, message: string | RegExp, field?: string) => (e: unknown) => {
  const err = e as AppError;
  assert.equal(err.status, status);
  if (typeof message === 'string') assert.equal(err.message, message); else assert.match(err.message, message);
  if (field) assert.equal(err.field, field);
  return true;
};

function newChat(t = 'hello there') {
  return createChat(ctx, { content: text(t), client_type: 'ui' });
}

const runs = new Map<string, LocalRun>();
/** Simulates a worker owning the chat, as the real worker does on acquire: a fresh run id. */
function acquire(chatId: string): LocalRun {
  const run: LocalRun = { chatId, runId: `run-${runs.size + 1}`, workerId: ctx.workerId, controller: new AbortController() };
  assert.ok(moveChat(ctx.db, chatId, 'running', { worker_id: ctx.workerId, run_id: run.runId }, { from: ['pending'] }), 'acquire needs a pending chat');
  runs.set(chatId, run);
  return run;
}
const runOf = (chatId: string): LocalRun => runs.get(chatId) ?? assert.fail(`no run of ${chatId}`);

function addAssistant(chatId: string, t = 'answer') {
  return insertMessage(ctx.db, { chatId, role: 'assistant', content: text(t), createdAt: ctx.now() });
}

describe('create', () => {
  test('creates a pending chat with the first message, fallback title and the default model', () => {
    const chat = createChat(ctx, { content: text('one two three four five six seven eight'), labels: { env: 'dev' } });
    assert.equal(chat.status, 'pending');
    assert.equal(chat.title, 'one two three four five six…');
    assert.equal(chat.client_type, 'api');
    assert.equal(chat.last_model_config_id, ctx.modelId);
    assert.deepEqual(chat.labels, { env: 'dev' });
    assert.equal(chat.workspace_folder, ctx.dir);
    const msgs = allVisibleMessages(ctx.db, chat.id);
    assert.equal(msgs.length, 1);
    assert.deepEqual(msgs[0].content, text('one two three four five six seven eight'));
    assert.ok(ctx.woken > 0);
    assert.deepEqual(ctx.watched.at(-1), { kind: 'created', chatId: chat.id });
  });

  test('rejects a folder outside the workspace and bad labels, and needs a default model', () => {
    assert.throws(() => createChat(ctx, { content: text('x'), workspace_folder: '/' }), isAppError(400, 'Folder "/" is outside the workspace.', 'workspace_folder'));
    assert.throws(() => createChat(ctx, { content: text('x'), labels: { '-x': 'y' } }), isAppError(400, /label key "-x" contains invalid characters/, 'labels'));
    deleteModelConfig(ctx.db, ctx.modelId, ctx.now());
    assert.throws(() => newChat(), isAppError(400, 'no default chat model config is available'));
    assert.equal((ctx.db.prepare('SELECT COUNT(*) AS n FROM chats').get() as { n: number }).n, 0);
  });
});

describe('send and queue', () => {
  test('a send to an idle chat is direct and sets the model in the same transaction', () => {
    const chat = newChat();
    acquire(chat.id);
    finishTurn(ctx, runOf(chat.id), { kind: 'completed' });
    const other = createModelConfig(ctx.db, { provider_id: ctx.providerId, model: 'm2', context_limit: 1000 }, ctx.now());
    const r = sendMessage(ctx, { chat_id: chat.id, content: text('next'), model_config_id: other.id });
    assert.equal(r.queued, false);
    assert.equal(r.message?.model_config_id, other.id);
    const row = getChatRow(ctx.db, chat.id)!;
    assert.equal(row.status, 'pending');
    assert.equal(row.last_model_config_id, other.id);
  });

  test('a send while busy is queued with its own model and mode, FIFO, max 20', () => {
    const chat = newChat();
    acquire(chat.id);
    const other = createModelConfig(ctx.db, { provider_id: ctx.providerId, model: 'm2', context_limit: 1000 }, ctx.now());
    const a = sendMessage(ctx, { chat_id: chat.id, content: text('a'), model_config_id: other.id, mode: 'plan' });
    const b = sendMessage(ctx, { chat_id: chat.id, content: text('b') });
    assert.equal(a.queued, true);
    assert.equal(a.queued_message?.model_config_id, other.id);
    assert.equal(a.queued_message?.mode, 'plan');
    assert.equal(b.queued_message?.model_config_id, ctx.modelId);
    for (let i = 0; i < 18; i++) sendMessage(ctx, { chat_id: chat.id, content: text(`q${i}`) });
    assert.throws(() => sendMessage(ctx, { chat_id: chat.id, content: text('overflow') }), isAppError(429, 'Message queue is full.'));
    assert.equal(listQueued(ctx.db, chat.id).length, 20);
    // The chat model did not change: queued sends don't touch it.
    assert.equal(getChatRow(ctx.db, chat.id)!.last_model_config_id, ctx.modelId);

    finishTurn(ctx, runOf(chat.id), { kind: 'completed' });
    const row = getChatRow(ctx.db, chat.id)!;
    assert.equal(row.status, 'pending');
    assert.equal(row.last_model_config_id, other.id, 'promotion uses the queued row\'s model');
    assert.equal(row.mode, 'plan', 'the mode chosen when queuing goes with the message');
    const msgs = allVisibleMessages(ctx.db, chat.id);
    assert.deepEqual(msgs.at(-1)!.content, text('a'));
    assert.equal(listQueued(ctx.db, chat.id).length, 19);
  });

  test('a queued message whose model was deleted falls back to the chat model, then the default; never dropped', () => {
    const chat = newChat();
    acquire(chat.id);
    const gone = createModelConfig(ctx.db, { provider_id: ctx.providerId, model: 'gone', context_limit: 1000 }, ctx.now());
    sendMessage(ctx, { chat_id: chat.id, content: text('a'), model_config_id: gone.id });
    deleteModelConfig(ctx.db, gone.id, ctx.now());
    finishTurn(ctx, runOf(chat.id), { kind: 'completed' });
    const row = getChatRow(ctx.db, chat.id)!;
    assert.equal(row.status, 'pending');
    assert.equal(row.last_model_config_id, ctx.modelId);
    assert.deepEqual(allVisibleMessages(ctx.db, chat.id).at(-1)!.content, text('a'));

    // No model at all: the message stays queued and the chat says why.
    acquire(chat.id);
    sendMessage(ctx, { chat_id: chat.id, content: text('b') });
    deleteModelConfig(ctx.db, ctx.modelId, ctx.now());
    finishTurn(ctx, runOf(chat.id), { kind: 'completed' });
    assert.equal(listQueued(ctx.db, chat.id).length, 1);
    const after = getChatRow(ctx.db, chat.id)!;
    assert.equal(after.status, 'error');
    assert.match(after.last_error ?? '', /no default chat model config is available/);
  });

  test('busy_behavior interrupt queues, interrupts and the finish promotes the head', () => {
    const chat = newChat();
    acquire(chat.id);
    const r = sendMessage(ctx, { chat_id: chat.id, content: text('now!'), busy_behavior: 'interrupt' });
    assert.equal(r.queued, true);
    assert.equal(getChatRow(ctx.db, chat.id)!.status, 'waiting');
    assert.deepEqual(ctx.aborted, [{ chatId: chat.id, reason: 'interrupted' }]);
    finishTurn(ctx, runOf(chat.id), { kind: 'aborted', reason: 'interrupted' });
    assert.equal(getChatRow(ctx.db, chat.id)!.status, 'pending');
    assert.deepEqual(allVisibleMessages(ctx.db, chat.id).at(-1)!.content, text('now!'));
  });

  test('queue delete and promote', () => {
    const chat = newChat();
    acquire(chat.id);
    const a = sendMessage(ctx, { chat_id: chat.id, content: text('a') }).queued_message!;
    const b = sendMessage(ctx, { chat_id: chat.id, content: text('b') }).queued_message!;
    assert.deepEqual(deleteQueuedMessage(ctx, { chat_id: chat.id, queued_message_id: a.id }).queued_messages.map((q) => q.id), [b.id]);
    assert.throws(() => deleteQueuedMessage(ctx, { chat_id: chat.id, queued_message_id: a.id }), isAppError(404, 'queued message not found'));
    const c = sendMessage(ctx, { chat_id: chat.id, content: text('c') }).queued_message!;
    // While running, promote moves it to the front and interrupts.
    const r = promoteQueuedMessage(ctx, { chat_id: chat.id, queued_message_id: c.id });
    assert.equal(r.queued, true);
    assert.deepEqual(listQueued(ctx.db, chat.id).map((q) => q.id), [c.id, b.id]);
    finishTurn(ctx, runOf(chat.id), { kind: 'aborted', reason: 'interrupted' });
    assert.deepEqual(allVisibleMessages(ctx.db, chat.id).at(-1)!.content, text('c'));
    const qu = ctx.streamed.filter((s) => s.event.type === 'queue_update');
    assert.ok(qu.length >= 4, 'every queue change is announced');
  });

  test('bad params are rejected before anything is written', () => {
    const chat = newChat();
    assert.throws(() => sendMessage(ctx, { chat_id: chat.id, content: text('x'), model_config_id: 'nope' }), isAppError(400, 'Invalid model config.', 'model_config_id'));
    assert.throws(() => sendMessage(ctx, { chat_id: 'missing', content: text('x') }), isAppError(404, 'Chat not found.'));
    assert.equal(allVisibleMessages(ctx.db, chat.id).length, 1);
  });
});

describe('edit', () => {
  test('editing stops the subagents of the superseded turn and cancels what they waited on', () => {
    const parent = newChat('parent');
    const parentMsg = allVisibleMessages(ctx.db, parent.id)[0];
    const running = newChat('running child');
    const waiting = newChat('waiting child');
    for (const c of [running, waiting]) ctx.db.prepare('UPDATE chats SET parent_chat_id = ?, root_chat_id = ? WHERE id = ?').run(parent.id, parent.id, c.id);
    acquire(running.id);
    acquire(waiting.id);
    moveChat(ctx.db, waiting.id, 'requires_action', { worker_id: null });
    insertPendingAction(ctx.db, { chatId: waiting.id, toolCallId: 'c1', kind: 'approval', toolName: 'execute', args: '{}', reason: 'r', needs: [], createdAt: ctx.now() });
    editMessage(ctx, { chat_id: parent.id, message_id: parentMsg.id, content: text('parent, edited') });
    assert.equal(getChatRow(ctx.db, running.id)!.status, 'waiting');
    assert.equal(getChatRow(ctx.db, waiting.id)!.status, 'waiting');
    assert.deepEqual(ctx.aborted.filter((a) => a.chatId !== parent.id).map((a) => [a.chatId, a.reason]).sort(), [[running.id, 'interrupted'], [waiting.id, 'interrupted']].sort());
    assert.equal(actionsOfChats(ctx.db, [waiting.id], true).length, 0, 'the child\'s approval will not be asked any more');
    assert.match(JSON.stringify(allVisibleMessages(ctx.db, waiting.id)), /Tool execution interrupted by user: it was not run/);
  });

  test('soft-deletes the message and later ones, inserts the new one, clears the queue, sets pending', () => {
    const chat = newChat('first');
    const firstId = allVisibleMessages(ctx.db, chat.id)[0].id;
    addAssistant(chat.id, 'reply 1');
    acquire(chat.id);
    sendMessage(ctx, { chat_id: chat.id, content: text('queued') });
    const r = editMessage(ctx, { chat_id: chat.id, message_id: firstId, content: text('first, edited') });
    assert.equal(r.deleted_message_ids.length, 2);
    assert.equal(r.deleted_message_ids[0], firstId);
    const visible = allVisibleMessages(ctx.db, chat.id);
    assert.deepEqual(visible.map((m) => m.content), [text('first, edited')]);
    assert.equal(listQueued(ctx.db, chat.id).length, 0);
    const row = getChatRow(ctx.db, chat.id)!;
    assert.equal(row.status, 'pending');
    assert.equal(row.worker_id, null, 'the old run loses ownership and cannot write');
    assert.deepEqual(ctx.aborted.at(-1), { chatId: chat.id, reason: 'superseded' });
    // Deleted rows are still there for accounting.
    assert.equal((ctx.db.prepare('SELECT COUNT(*) AS n FROM chat_messages WHERE chat_id = ?').get(chat.id) as { n: number }).n, 3);
  });

  test('only user messages of this chat can be edited', () => {
    const chat = newChat();
    const reply = addAssistant(chat.id);
    const other = newChat('other');
    const otherMsg = allVisibleMessages(ctx.db, other.id)[0];
    assert.throws(() => editMessage(ctx, { chat_id: chat.id, message_id: reply.id, content: text('x') }), isAppError(400, 'Only user messages can be edited.'));
    assert.throws(() => editMessage(ctx, { chat_id: chat.id, message_id: otherMsg.id, content: text('x') }), isAppError(404, 'Chat message not found.'));
  });
});

describe('interrupt, archive, read', () => {
  test('interrupt sets waiting for a running chat and leaves a pending chat alone', () => {
    const chat = newChat();
    assert.equal(interruptChat(ctx, chat.id).status, 'pending');
    acquire(chat.id);
    assert.equal(interruptChat(ctx, chat.id).status, 'waiting');
    assert.deepEqual(ctx.aborted, [{ chatId: chat.id, reason: 'interrupted' }]);
  });

  test('archive takes the family, clears the pin and stops work; unarchive rules', () => {
    const parent = newChat('parent');
    const child = newChat('child');
    ctx.db.prepare('UPDATE chats SET parent_chat_id = ?, root_chat_id = ? WHERE id = ?').run(parent.id, parent.id, child.id);
    acquire(child.id);
    updateChat(ctx, { chat_id: parent.id, pin_order: 1 });
    const archived = updateChat(ctx, { chat_id: parent.id, archived: true });
    assert.equal(archived.archived, true);
    assert.equal(archived.pin_order, 0);
    const childRow = getChatRow(ctx.db, child.id)!;
    assert.equal(childRow.archived, 1);
    assert.equal(childRow.status, 'waiting');
    assert.ok(ctx.watched.some((w) => w.kind === 'deleted' && w.chatId === child.id));
    assert.throws(() => updateChat(ctx, { chat_id: parent.id, archived: true }), isAppError(400, 'Chat is already archived.'));
    assert.throws(() => updateChat(ctx, { chat_id: child.id, archived: false }), isAppError(400, 'cannot unarchive child chat while parent is archived'));
    assert.throws(() => updateChat(ctx, { chat_id: parent.id, pin_order: 1 }), isAppError(400, 'Cannot pin an archived chat.'));
    assert.throws(() => sendMessage(ctx, { chat_id: parent.id, content: text('x') }), isAppError(400, 'Cannot send to an archived chat.'));
    updateChat(ctx, { chat_id: parent.id, archived: false });
    assert.equal(getChatRow(ctx.db, child.id)!.archived, 0);
    assert.throws(() => updateChat(ctx, { chat_id: parent.id, archived: false }), isAppError(400, 'Chat is already not archived.'));
  });

  test('has_unread follows assistant messages after the read cursor', () => {
    const chat = newChat();
    assert.equal(listChatsPage(ctx, {}).chats[0].has_unread, false);
    addAssistant(chat.id);
    assert.equal(listChatsPage(ctx, { has_unread: true }).chats.length, 1);
    const read = markRead(ctx, chat.id);
    assert.equal(read.has_unread, false);
    const watchedBefore = ctx.watched.length;
    markRead(ctx, chat.id);
    assert.equal(ctx.watched.length, watchedBefore, 'no write and no event when nothing changed');
    assert.equal(listChatsPage(ctx, { has_unread: true }).chats.length, 0);
    assert.equal(listChatsPage(ctx, { has_unread: false }).chats.length, 1);
  });
});

describe('list', () => {
  test('pinned first by order, then updated_at desc, id desc; cursor pages exactly once', () => {
    const chats = Array.from({ length: 7 }, (_, i) => newChat(`chat ${i}`));
    updateChat(ctx, { chat_id: chats[2].id, pin_order: 1 });
    updateChat(ctx, { chat_id: chats[5].id, pin_order: 1 });
    updateChat(ctx, { chat_id: chats[5].id, pin_order: 1 }); // already pinned: moves to the front
    // Two chats with the same updated_at tie-break on id desc.
    const same = ctx.now();
    ctx.db.prepare('UPDATE chats SET updated_at = ? WHERE id IN (?, ?)').run(same, chats[0].id, chats[1].id);
    const all = listChatsPage(ctx, { limit: 200 }).chats.map((c) => c.id);
    assert.deepEqual(all.slice(0, 2), [chats[5].id, chats[2].id]);
    const tie = [chats[0].id, chats[1].id].sort().reverse();
    assert.deepEqual(all.slice(2, 4), tie);
    assert.deepEqual(all.slice(4), [chats[6].id, chats[4].id, chats[3].id]);
    const paged: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = listChatsPage(ctx, { limit: 2, after_id: after });
      paged.push(...page.chats.map((c) => c.id));
      if (!page.has_more) break;
      after = page.chats.at(-1)!.id;
    }
    assert.deepEqual(paged, all);
    assert.throws(() => listChatsPage(ctx, { after_id: 'nope' }), isAppError(400, 'Invalid after_id.', 'after_id'));
  });

  test('label filters are AND-ed; archived chats only with archived=true; children not at root', () => {
    const a = createChat(ctx, { content: text('a'), labels: { env: 'prod', team: 'x' } });
    const b = createChat(ctx, { content: text('b'), labels: { env: 'prod' } });
    const c = createChat(ctx, { content: text('c') });
    const child = createChat(ctx, { content: text('child'), labels: { env: 'prod' } });
    ctx.db.prepare('UPDATE chats SET parent_chat_id = ?, root_chat_id = ? WHERE id = ?').run(c.id, c.id, child.id);
    assert.deepEqual(new Set(listChatsPage(ctx, { label: ['env:prod'] }).chats.map((x) => x.id)), new Set([a.id, b.id]));
    assert.deepEqual(listChatsPage(ctx, { label: ['env:prod', 'team:x'] }).chats.map((x) => x.id), [a.id]);
    updateChat(ctx, { chat_id: b.id, labels: {} });
    assert.deepEqual(listChatsPage(ctx, { label: ['env:prod'] }).chats.map((x) => x.id), [a.id]);
    updateChat(ctx, { chat_id: a.id, archived: true });
    assert.deepEqual(listChatsPage(ctx, { label: ['env:prod'] }).chats.map((x) => x.id), []);
    assert.deepEqual(listChatsPage(ctx, { label: ['env:prod'], archived: true }).chats.map((x) => x.id), [a.id]);
    assert.deepEqual(listChatsPage(ctx, { parent_chat_id: c.id }).chats.map((x) => x.id), [child.id]);
    assert.throws(() => updateChat(ctx, { chat_id: child.id, pin_order: 1 }), isAppError(400, 'Cannot pin a child chat.', 'pin_order'));
  });

  test('a label filter keeps list order as chats are pinned, updated and archived, and pages with after_id', () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      ids.push(createChat(ctx, { content: text(`l${i}`), labels: { env: 'prod', ...(i % 2 ? { team: 'odd' } : {}) } }).id);
      ctx.db.prepare('UPDATE chats SET updated_at = ? WHERE id = ?').run(1000 + i, ids[i]);
    }
    createChat(ctx, { content: text('unlabelled') });
    const list = (label: string[]) => listChatsPage(ctx, { label }).chats.map((c) => c.id);
    assert.deepEqual(list(['env:prod']), [...ids].reverse());
    updateChat(ctx, { chat_id: ids[1], pin_order: 1 });
    ctx.db.prepare('UPDATE chats SET updated_at = ? WHERE id = ?').run(5000, ids[0]);
    assert.deepEqual(list(['env:prod']), [ids[1], ids[0], ids[5], ids[4], ids[3], ids[2]]);
    assert.deepEqual(list(['env:prod', 'team:odd']), [ids[1], ids[5], ids[3]]);
    assert.deepEqual(list(['team:odd', 'env:prod']), [ids[1], ids[5], ids[3]]);
    updateChat(ctx, { chat_id: ids[5], archived: true });
    assert.deepEqual(list(['team:odd']), [ids[1], ids[3]]);
    const paged: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = listChatsPage(ctx, { label: ['env:prod'], limit: 2, after_id: after });
      paged.push(...page.chats.map((c) => c.id));
      if (!page.has_more) break;
      after = page.chats.at(-1)!.id;
    }
    assert.deepEqual(paged, [ids[1], ids[0], ids[4], ids[3], ids[2]]);
  });

  test('message pages: newest page with the queue, older pages by before_id', () => {
    const chat = newChat('m0');
    for (let i = 1; i < 120; i++) addAssistant(chat.id, `m${i}`);
    acquire(chat.id);
    sendMessage(ctx, { chat_id: chat.id, content: text('queued') });
    const last = getMessagesPage(ctx, { chat_id: chat.id, limit: 50 });
    assert.equal(last.messages.length, 50);
    assert.equal(last.has_more, true);
    assert.equal(last.queued_messages.length, 1);
    assert.deepEqual(last.messages.at(-1)!.content, text('m119'));
    const older = getMessagesPage(ctx, { chat_id: chat.id, limit: 100, before_id: last.messages[0].id });
    assert.equal(older.messages.length, 70);
    assert.equal(older.has_more, false);
    assert.deepEqual(older.messages[0].content, text('m0'));
    assert.equal(older.queued_messages.length, 0);
  });
});

test('promoteQueued returns nothing for an empty queue', () => {
  const chat = newChat();
  assert.equal(ctx.db.transaction(() => promoteQueued(ctx, chat.id, ctx.now()))(), undefined);
});
