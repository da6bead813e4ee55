import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { makeTestContext, text, type TestContext } from '../testing/testContext';
import { createChat, sendMessage } from './lifecycle';

let ctx: TestContext;
beforeEach(() => { ctx = makeTestContext(); });
afterEach(() => ctx.close());

test('attachments from outside the workspace are refused, symlinks included; inside ones are sent', () => {
  const ws = ctx.workspace.folders[0];
  mkdirSync(path.join(ws, 'src'));
  writeFileSync(path.join(ws, 'src', 'a.ts'), 'x');
  symlinkSync('/etc/passwd', path.join(ws, 'passwd-link'));
  const file = (p: string) => ({ type: 'file' as const, name: path.basename(p), media_type: 'text/plain', path: p, content: 'c' });
  const chat = createChat(ctx, { content: [...text('look'), file(path.join(ws, 'src', 'a.ts'))] });
  assert.throws(() => sendMessage(ctx, { chat_id: chat.id, content: [...text('and'), file('/etc/passwd')] }), (e: { status: number; field: string; message: string }) =>
    e.status === 400 && e.field === 'content.1.path' && /outside the workspace/.test(e.message));
  assert.throws(() => createChat(ctx, { content: [file(path.join(ws, 'passwd-link'))] }), /outside the workspace/);
  assert.throws(() => createChat(ctx, { content: [file('../../etc/hosts')] }), /outside the workspace/);
});
