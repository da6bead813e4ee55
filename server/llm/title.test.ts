import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startFakeOpenAI, type FakeOpenAI } from '../../test/fakes/fakeOpenAI';
import { targetFor } from './stepRecorder';
import { fallbackTitle, generateTitle, normalizeTitle } from './title';
import { ModelError } from './types';

describe('normalizeTitle', () => {
  test('trims quotes and labels and collapses whitespace', () => {
    assert.equal(normalizeTitle('  "Fix   the\tlogin   bug"  '), 'Fix the login bug');
    assert.equal(normalizeTitle('Title: “Refactor parser”'), 'Refactor parser');
    assert.equal(normalizeTitle('**Add dark mode**'), 'Add dark mode');
  });
  test('reads a JSON answer and the first line of a chatty one', () => {
    assert.equal(normalizeTitle('{"title": "Debug flaky test"}'), 'Debug flaky test');
    assert.equal(normalizeTitle('\nSet up CI\n\nThis title summarises the request.'), 'Set up CI');
  });
  test('caps at 80 code points without splitting a character', () => {
    const long = '🚀'.repeat(100);
    const title = normalizeTitle(long);
    assert.equal([...title].length, 80);
    assert.equal(title, '🚀'.repeat(80));
  });
  test('an answer of only quotes and spaces is empty', () => {
    assert.equal(normalizeTitle(' "" '), '');
  });
});

describe('fallbackTitle', () => {
  test('first six words plus an ellipsis when there were more', () => {
    assert.equal(fallbackTitle('please help me fix the failing build on main'), 'please help me fix the failing…');
  });
  test('short text is kept whole, whitespace collapsed', () => {
    assert.equal(fallbackTitle('  fix   build '), 'fix build');
  });
  test('"New Chat" without text', () => {
    assert.equal(fallbackTitle(''), 'New Chat');
    assert.equal(fallbackTitle('  \n '), 'New Chat');
  });
  test('capped at 80 code points', () => {
    const title = fallbackTitle('x'.repeat(200));
    assert.equal([...title].length, 80);
  });
});

describe('generateTitle', () => {
  let fake: FakeOpenAI;
  before(async () => { fake = await startFakeOpenAI({ apiKey: 'test-key' }); });
  after(async () => { await fake.close(); });
  beforeEach(() => { fake.requests.length = 0; fake.setHandler(undefined); });

  test('asks with one non-streaming request and normalises the answer', async () => {
    fake.enqueue({ kind: 'title', title: '  "Investigate   slow queries" ' });
    const title = await generateTitle(targetFor(fake.url), 'Why are my queries slow?');
    assert.equal(title, 'Investigate slow queries');
    assert.equal(fake.requests.length, 1);
    const sent = fake.requests[0];
    assert.equal(sent.stream, false);
    const messages = sent.messages as Array<{ role: string; content: string }>;
    assert.match(messages[0].content, /at most 8 words/);
    assert.deepEqual(messages[1], { role: 'user', content: 'Why are my queries slow?' });
  });

  test('the fake answers "Test Chat" when nothing is queued', async () => {
    assert.equal(await generateTitle(targetFor(fake.url), 'hi'), 'Test Chat');
  });

  test('works over the Responses API', async () => {
    fake.enqueue({ kind: 'title', title: 'Responses title' });
    assert.equal(await generateTitle(targetFor(fake.url, { api: 'responses' }), 'hi'), 'Responses title');
    assert.equal(fake.requests[0].path, '/v1/responses');
    assert.equal(fake.requests[0].store, false);
  });

  test('an empty answer is an error', async () => {
    fake.enqueue({ kind: 'title', title: '  ' });
    await assert.rejects(generateTitle(targetFor(fake.url), 'hi'), (err) => err instanceof ModelError && /empty title/.test(err.message));
  });

  test('a provider error is thrown as a ModelError', async () => {
    fake.setHandler(() => ({ kind: 'error', status: 500, message: 'down' }));
    await assert.rejects(generateTitle(targetFor(fake.url), 'hi'), (err) => err instanceof ModelError && err.statusCode === 500 && /down/.test(err.message));
  });

  test('the caller can abort a request that hangs', async () => {
    fake.setHandler(() => ({ kind: 'hang' }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await assert.rejects(generateTitle(targetFor(fake.url), 'hi', controller.signal));
    assert.ok(Date.now() - started < 2000);
  });
});
