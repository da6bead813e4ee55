import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelProblem, parseLabelFilters } from './labels';

test('label rules name the bad key', () => {
  const cases: Array<[Record<string, string>, string | undefined]> = [
    [{ env: 'prod', 'team/a.b-c_d': 'x' }, undefined],
    [{ '': 'x' }, 'label key must not be empty'],
    [{ ['k'.repeat(65)]: 'x' }, `label key "${'k'.repeat(65)}" exceeds maximum length of 64 bytes`],
    [{ ['k'.repeat(64)]: 'x' }, undefined],
    [{ '-bad': 'x' }, 'label key "-bad" contains invalid characters; must match ^[a-zA-Z0-9][a-zA-Z0-9._/-]*$'],
    [{ 'sp ace': 'x' }, 'label key "sp ace" contains invalid characters; must match ^[a-zA-Z0-9][a-zA-Z0-9._/-]*$'],
    [{ env: '' }, 'label value for key "env" must not be empty'],
    [{ env: 'v'.repeat(257) }, 'label value for key "env" exceeds maximum length of 256 bytes'],
    [{ env: 'é'.repeat(129) }, 'label value for key "env" exceeds maximum length of 256 bytes'],
    [Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])), 'too many labels (51); maximum is 50'],
    [Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'])), undefined],
  ];
  for (const [labels, expected] of cases) assert.equal(labelProblem(labels), expected, JSON.stringify(labels).slice(0, 60));
});

test('label filters parse key:value and reject half-empty ones', () => {
  assert.deepEqual(parseLabelFilters(['env:prod', 'url:http://x']), [['env', 'prod'], ['url', 'http://x']]);
  for (const bad of ['env', ':prod', 'env:', '']) {
    assert.throws(() => parseLabelFilters([bad]), (e: Error & { field?: string }) => e.message === `Invalid label filter: "${bad}" (expected format key:value, both must be non-empty)` && e.field === 'label');
  }
});
