import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CostSummaryRow } from '../../server/protocol';
import { csvField, toCsv, usageCsv } from './csv';

const row = (key: string, label: string, cost: number | null, over: Partial<CostSummaryRow> = {}): CostSummaryRow => ({
  key, label, total_cost_micros: cost, requests: 2, priced_requests: cost === null ? 0 : 2, unpriced_requests: cost === null ? 2 : 0,
  input_tokens: 1200, output_tokens: 30, reasoning_tokens: 5, cache_read_tokens: 100, cache_creation_tokens: 0, ...over,
});

test('fields with commas, quotes or line breaks are quoted; quotes doubled', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField(null), '');
  assert.equal(csvField(-3), '-3');
});

test('a text that a spreadsheet would run as a formula is defused', () => {
  assert.equal(csvField('=HYPERLINK("x")'), '"\'=HYPERLINK(""x"")"');
  assert.equal(csvField('@sum'), '"\'@sum"');
});

test('rows end in CRLF, the last one too', () => {
  assert.equal(toCsv([['a', 1], ['b', null]]), 'a,1\r\nb,\r\n');
});

test('usage per model: dollars to the micro-dollar, unpriced empty (not 0), then the total', () => {
  const csv = usageCsv('model', [row('fake-model', 'Fake, Inc.', 1_234_567), row('local', 'ollama', null)], row('total', 'total', 1_234_567, { requests: 4, unpriced_requests: 2 }));
  const lines = csv.split('\r\n');
  assert.equal(lines[0], 'model,provider,cost_usd,requests,unpriced_requests,input_tokens,output_tokens,reasoning_tokens,cache_read_tokens,cache_write_tokens');
  assert.equal(lines[1], 'fake-model,"Fake, Inc.",1.234567,2,0,1200,30,5,100,0');
  assert.equal(lines[2], 'local,ollama,,2,2,1200,30,5,100,0');
  assert.equal(lines[3], 'total,,1.234567,4,2,1200,30,5,100,0');
  assert.equal(lines[4], '');
});

test('usage per day has one key column', () => {
  const csv = usageCsv('day', [row('2026-03-01', '2026-03-01', 500)]);
  assert.equal(csv.split('\r\n')[1], '2026-03-01,0.000500,2,0,1200,30,5,100,0');
});
