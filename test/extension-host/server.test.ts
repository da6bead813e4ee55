// Inside the real extension host: the server starts on demand, keys go from SecretStorage to the
// server (never back), a chat runs against the fake provider, and the trees' index follows live.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AgentsContext } from '../../extension/context';
import type { ChatStreamEvent } from '../../server/protocol';
import { CreateChat, CreateProvider, ListProviders } from '../../server/protocol/methods';

const EXTENSION_ID = 'local-agents.local-agents';

async function agents(): Promise<AgentsContext> {
  const ext = vscode.extensions.getExtension<{ ctx: AgentsContext }>(EXTENSION_ID);
  assert.ok(ext, 'extension installed');
  const api = await ext.activate();
  return api.ctx;
}

function waitFor<T>(ctx: AgentsContext, pick: () => T | undefined, ms = 20000): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = () => { const v = pick(); if (v !== undefined) { clearInterval(t); clearTimeout(to); resolve(v); } };
    const t = setInterval(check, 100);
    const to = setTimeout(() => { clearInterval(t); reject(new Error('timed out')); }, ms);
    check();
  });
}

describe('server from the extension host', () => {
  it('starts lazily and answers with the environment provider, without any key in the reply', async () => {
    const ctx = await agents();
    const providers = await ctx.request(ListProviders, {});
    assert.ok(providers.length >= 1, 'OPENAI_BASE_URL made a provider');
    const p = providers[0];
    assert.equal(p.has_api_key, true);
    assert.ok(!JSON.stringify(providers).includes(process.env.OPENAI_API_KEY ?? 'test-key'), 'no key in the reply');
  });

  it('a key stored in SecretStorage reaches the server', async () => {
    const ctx = await agents();
    const created = await ctx.request(CreateProvider, { provider: 'openai-compat', base_url: 'http://127.0.0.1:9/v1' });
    assert.equal(created.has_api_key, false);
    await ctx.secrets.store(created.id, 'sk-host-test-123456');
    for (let i = 0; i < 50; i++) {
      const list = await ctx.request(ListProviders, {});
      if (list.find((x) => x.id === created.id)?.has_api_key) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail('the server never received the key');
  });

  it('runs a chat and the index follows the watch events without reloading', async () => {
    const ctx = await agents();
    const events: ChatStreamEvent[] = [];
    let chatId = '';
    const sub = ctx.server.onStream.event((p) => { if (p.chat_id === chatId) events.push(...p.events); });
    const chat = await ctx.request(CreateChat, { content: [{ type: 'text', text: 'hello from the host test' }], client_type: 'ui' });
    chatId = chat.id;
    await waitFor(ctx, () => (events.some((e) => e.type === 'status' && e.status === 'waiting') ? true : undefined));
    sub.dispose();
    const text = events.map((e) => (e.type === 'message_part' && e.part.type === 'text' ? e.part.text : '')).join('');
    assert.ok(text.length > 0, 'an answer streamed');
    const indexed = await waitFor(ctx, () => ctx.index.get(chat.id));
    assert.equal(indexed.client_type, 'ui');
    await vscode.commands.executeCommand('localAgents.pinChat', chat.id);
    await waitFor(ctx, () => ((ctx.index.get(chat.id)?.pin_order ?? 0) > 0 ? true : undefined));
    await vscode.commands.executeCommand('localAgents.archiveChat', chat.id);
    await waitFor(ctx, () => (ctx.index.get(chat.id) ? undefined : true));
  });
});
