import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchRoute, paramsFromQuery, pathParams } from './routes';

test('literal segments win over parameters, and a known path with another verb says which verbs it has', () => {
  const files = matchRoute('POST', '/chats/files');
  assert.ok(files && 'route' in files && files.route.name === 'UploadChatFile');
  const chat = matchRoute('GET', '/chats/abc');
  assert.ok(chat && 'route' in chat && chat.route.name === 'GetChat');
  assert.deepEqual(chat.pathValues, { chat_id: 'abc' });
  const providers = matchRoute('GET', '/chats/providers');
  assert.ok(providers && 'route' in providers && providers.route.name === 'ListProviders');
  const wrong = matchRoute('PUT', '/chats/abc');
  assert.ok(wrong && 'allowed' in wrong);
  assert.deepEqual([...wrong.allowed].sort(), ['GET', 'PATCH']);
  assert.equal(matchRoute('GET', '/nothing/here'), undefined);
});

test('query strings become params by the schema: numbers, booleans, repeated keys as lists; the rest is left for the schema to name', () => {
  const m = matchRoute('GET', '/chats');
  assert.ok(m && 'route' in m);
  const q = new URLSearchParams('limit=20&archived=true&label=env:prod&label=team:core&q=deploy&has_unread=maybe');
  assert.deepEqual(paramsFromQuery(m.route, q), { limit: 20, archived: true, label: ['env:prod', 'team:core'], q: 'deploy', has_unread: 'maybe' });
  const one = paramsFromQuery(m.route, new URLSearchParams('label=env:prod'));
  assert.deepEqual(one.label, ['env:prod'], 'a single label is still a list');
  const msgs = matchRoute('GET', '/chats/c1/messages');
  assert.ok(msgs && 'route' in msgs);
  assert.deepEqual(paramsFromQuery(msgs.route, new URLSearchParams('limit=abc&before_id=12')), { limit: 'abc', before_id: 12 });
  const edit = matchRoute('PATCH', '/chats/c1/messages/42');
  assert.ok(edit && 'route' in edit);
  assert.deepEqual(pathParams(edit.route, edit.pathValues), { chat_id: 'c1', message_id: 42 });
  assert.deepEqual(pathParams(edit.route, { chat_id: 'c1', message_id: 'x' }), { chat_id: 'c1', message_id: 'x' });
});
