import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scopeOf, whereEnabled, workspacesOf } from './secretScope';

const ws = '/home/u/project';

test('where a secret is enabled, in words', () => {
  assert.equal(whereEnabled({ workspaces: ['*'], chat_ids: [] }, ws), 'all workspaces');
  assert.equal(whereEnabled({ workspaces: [ws, '/other'], chat_ids: ['c1', 'c2'] }, ws), 'this workspace, 1 other workspace, 2 chats');
  assert.equal(whereEnabled({ workspaces: [], chat_ids: ['c1'] }, ws), '1 chat');
  assert.equal(whereEnabled({ workspaces: [], chat_ids: [] }, ws), 'nowhere yet');
});

test('a scope keeps the other workspaces a secret was enabled for', () => {
  assert.deepEqual(workspacesOf('all', ['/other', ws], ws), ['*']);
  assert.deepEqual(workspacesOf('workspace', ['*', '/other'], ws), ['/other', ws]);
  assert.deepEqual(workspacesOf('chats', ['/other', ws], ws), ['/other']);
  assert.deepEqual(workspacesOf('workspace', [], null), []);
});

test('the form starts on the scope the secret has', () => {
  const s = (workspaces: string[]) => ({ workspaces, chat_ids: [] }) as never;
  assert.equal(scopeOf(s(['*']), ws), 'all');
  assert.equal(scopeOf(s([ws]), ws), 'workspace');
  assert.equal(scopeOf(s(['/other']), ws), 'chats');
});
