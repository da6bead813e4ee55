import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MODEL_INTENT_DESCRIPTION, unwrapModelIntentArgs, wrapSchemaWithModelIntent } from './modelIntent';

test('wrapping puts the original schema under properties with a required model_intent string', () => {
  const original = { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] };
  assert.deepEqual(wrapSchemaWithModelIntent(original), {
    type: 'object',
    properties: { model_intent: { type: 'string', description: MODEL_INTENT_DESCRIPTION }, properties: original },
    required: ['model_intent', 'properties'],
  });
});

const cases: Array<[string, string, Record<string, unknown>, string | undefined, boolean]> = [
  ['wrapped', '{"model_intent":"Searching","properties":{"q":"x","n":2}}', { q: 'x', n: 2 }, 'Searching', false],
  ['flat', '{"model_intent":"Searching","q":"x"}', { q: 'x' }, 'Searching', false],
  ['properties as JSON text', '{"model_intent":"Searching","properties":"{\\"q\\":\\"x\\"}"}', { q: 'x' }, 'Searching', false],
  ['properties null', '{"model_intent":"Listing","properties":null}', {}, 'Listing', false],
  ['properties not an object stays a flat field', '{"model_intent":"i","properties":"plain text"}', { properties: 'plain text' }, 'i', false],
  ['intent nested inside properties is stripped', '{"properties":{"model_intent":"x","q":1}}', { q: 1 }, undefined, false],
  ['no intent', '{"q":"x"}', { q: 'x' }, undefined, false],
  ['non-string intent dropped', '{"model_intent":42,"q":"x"}', { q: 'x' }, undefined, false],
  ['blank intent dropped', '{"model_intent":"  ","properties":{}}', {}, undefined, false],
  ['empty arguments', '', {}, undefined, false],
  ['not JSON', '{"model_intent":', {}, undefined, true],
  ['an array', '[1,2]', {}, undefined, true],
];

for (const [name, input, args, intent, isError] of cases) {
  test(`unwrap: ${name}`, () => {
    const r = unwrapModelIntentArgs(input);
    assert.deepEqual(r.args, args);
    assert.equal(r.modelIntent, intent);
    assert.equal(r.error !== undefined, isError);
  });
}
