// The scrubber: every occurrence of a held value becomes [secret:NAME], in whole results (every string, keys
// included; raw or JSON-escaped) and in streamed output, where a value may be split across chunks anywhere and
// values may overlap. What a stream has sent is never more than the scrubbed text allows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SecretScrubber, type NamedValue } from './scrubber';

const TOKEN: NamedValue = { name: 'token', value: 'ghp_0123456789abcdef' };
const filler = (n: number) => '.'.repeat(n);

/** Feeds chunks, then enough filler to push everything before it out; returns what was sent and the whole text. */
function streamed(s: SecretScrubber, chunks: string[]): { sent: string; sentAtEach: string[] } {
  const push = s.stream();
  const sentAtEach: string[] = [];
  let sent = '';
  for (const c of [...chunks, filler(s.longest + 1)]) {
    sent += push(c);
    sentAtEach.push(sent);
  }
  return { sent, sentAtEach };
}

const leaks = (text: string, values: NamedValue[]) => values.filter((v) => text.includes(v.value)).map((v) => v.name);

test('text: every occurrence; a value that contains another is replaced whole (longest first)', () => {
  const s = new SecretScrubber([{ name: 'short', value: '4567' }, TOKEN]);
  assert.equal(s.text(`a ${TOKEN.value} b ${TOKEN.value} c 4567`), 'a [secret:token] b [secret:token] c [secret:short]');
  assert.equal(new SecretScrubber([]).text(TOKEN.value), TOKEN.value);
  assert.equal(new SecretScrubber([{ name: 'empty', value: '' }]).empty, true, 'an empty value scrubs nothing');
});

test('deep: every string of a result, keys included, other values kept', () => {
  const s = new SecretScrubber([TOKEN]);
  const out = s.deep({ output: `token=${TOKEN.value}`, list: [1, true, null, `x${TOKEN.value}`], nested: { [TOKEN.value]: { ok: TOKEN.value } }, exit_code: 0 });
  assert.deepEqual(out, { output: 'token=[secret:token]', list: [1, true, null, 'x[secret:token]'], nested: { '[secret:token]': { ok: '[secret:token]' } }, exit_code: 0 });
  assert.ok(!JSON.stringify(out).includes(TOKEN.value));
});

test('JSON-escaped characters: a value with quotes and backslashes is found raw and as JSON text inside a string', () => {
  const v: NamedValue = { name: 'pw', value: 'pa"ss\\word\n1' };
  const s = new SecretScrubber([v]);
  // Raw in a string, and the result serialised as JSON afterwards (the database, the model request).
  assert.equal(JSON.stringify(s.deep({ output: `pw=${v.value}` })), JSON.stringify({ output: 'pw=[secret:pw]' }));
  // A command printing a JSON file: the string holds the value JSON-escaped.
  const printed = JSON.stringify({ password: v.value });
  assert.equal(s.text(printed), '{"password":"[secret:pw]"}');
  const escaped = JSON.stringify(v.value).slice(1, -1);
  const viaStream = streamed(s, [printed.slice(0, 15), printed.slice(15)]).sent;
  assert.ok(!viaStream.includes(escaped) && !viaStream.includes(v.value), viaStream);
});

test('stream: a value split across two chunks at every position never goes out, and the rest does, in order', () => {
  const s = new SecretScrubber([TOKEN]);
  const text = `before ${TOKEN.value} after`;
  for (let cut = 1; cut < text.length; cut++) {
    const { sent, sentAtEach } = streamed(s, [text.slice(0, cut), text.slice(cut)]);
    for (const partial of sentAtEach) assert.deepEqual(leaks(partial, [TOKEN]), [], `cut at ${cut}`);
    assert.ok(sent.startsWith('before [secret:token] after.'), `cut at ${cut}: all before the filler is sent, in order: ${sent}`);
  }
});

test('stream: one character at a time', () => {
  const s = new SecretScrubber([TOKEN, { name: 'other', value: 'sk-live-XYZ' }]);
  const text = `${TOKEN.value}|sk-live-XYZ|${TOKEN.value.slice(0, 10)}`;
  const { sent, sentAtEach } = streamed(s, [...text]);
  for (const partial of sentAtEach) assert.deepEqual(leaks(partial, [TOKEN]), []);
  assert.ok(sent.startsWith(`[secret:token]|[secret:other]|${TOKEN.value.slice(0, 10)}`), sent);
});

test('stream: overlapping values are scrubbed as in the whole text, whatever the chunk boundary', () => {
  // The end of one value is the start of another: "abc123" + "c123XYZsecretlong" overlap in "c123".
  const a: NamedValue = { name: 'a', value: 'abc123' };
  const b: NamedValue = { name: 'b', value: 'c123XYZsecretlong' };
  const s = new SecretScrubber([a, b]);
  const text = 'key: abc123XYZsecretlong end';
  const whole = s.text(text);
  assert.equal(whole, 'key: [secret:a][secret:b] end', 'both are masked together: neither leaves a part behind');
  for (let cut = 1; cut < text.length; cut++) {
    const { sent } = streamed(s, [text.slice(0, cut), text.slice(cut)]);
    assert.ok(!sent.includes('XYZsecretlong') && !sent.includes('abc123'), `cut at ${cut}: ${sent}`);
    assert.ok(sent.startsWith(whole), `cut at ${cut}: the stream says what the whole text says: ${sent}`);
  }
  // A value inside another is named once, as the longer one; a repeated overlapping value is one stretch.
  assert.equal(new SecretScrubber([{ name: 'inner', value: 'c123' }, b]).text(text), 'key: ab[secret:b] end');
  assert.equal(new SecretScrubber([{ name: 'x', value: 'aa' }]).text('baaab'), 'b[secret:x]b');
  for (let cut = 1; cut < 5; cut++) {
    const { sent } = streamed(new SecretScrubber([{ name: 'x', value: 'aa' }]), ['baaab'.slice(0, cut), 'baaab'.slice(cut)]);
    assert.ok(sent.startsWith('b[secret:x]b'), `cut at ${cut}: ${sent}`);
  }
});

test('stream: with nothing to scrub, output passes through at once', () => {
  const push = new SecretScrubber([]).stream();
  assert.equal(push('abc'), 'abc');
});
