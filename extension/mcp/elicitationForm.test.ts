import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { McpElicitParams } from '../../server/protocol/mcp';
import { formFields, initialText, runElicitation, validateFieldText, type ElicitationUi, type FormField } from './elicitationForm';

const schema = {
  type: 'object',
  properties: {
    name: { type: 'string', title: 'Name', default: 'Ada', minLength: 2 },
    email: { type: 'string', format: 'email' },
    age: { type: 'integer', minimum: 0, maximum: 150, default: 36 },
    ratio: { type: 'number' },
    ok: { type: 'boolean', default: true },
    color: { type: 'string', enum: ['r', 'g'], enumNames: ['Red', 'Green'] },
    size: { type: 'string', oneOf: [{ const: 's', title: 'Small' }, { const: 'l', title: 'Large' }] },
    tags: { type: 'array', items: { anyOf: [{ const: 'a', title: 'A' }, { const: 'b', title: 'B' }] } },
  },
  required: ['name', 'age', 'color'],
};

test('schema properties become typed inputs with defaults, options and required flags', () => {
  const fields = formFields(schema);
  const by = (n: string) => fields.find((f) => f.name === n) as FormField;
  assert.deepEqual(fields.map((f) => [f.name, f.kind]), [
    ['name', 'string'], ['email', 'string'], ['age', 'integer'], ['ratio', 'number'], ['ok', 'boolean'], ['color', 'enum'], ['size', 'enum'], ['tags', 'multi_enum'],
  ]);
  assert.equal(initialText(by('name')), 'Ada');
  assert.equal(initialText(by('age')), '36');
  assert.equal(by('name').required, true);
  assert.equal(by('email').required, false);
  assert.deepEqual(by('color').options, [{ value: 'r', label: 'Red' }, { value: 'g', label: 'Green' }]);
  assert.deepEqual(by('size').options.map((o) => o.label), ['Small', 'Large']);
  assert.deepEqual(by('tags').options.map((o) => o.value), ['a', 'b']);
});

test('validation names the field', () => {
  const fields = formFields(schema);
  const by = (n: string) => fields.find((f) => f.name === n) as FormField;
  assert.equal(validateFieldText(by('name'), ''), 'Name is required.');
  assert.equal(validateFieldText(by('name'), 'A'), 'Name must be at least 2 characters.');
  assert.equal(validateFieldText(by('email'), ''), undefined, 'optional may be empty');
  assert.equal(validateFieldText(by('email'), 'nope'), 'email must be an email address.');
  assert.equal(validateFieldText(by('age'), '1.5'), 'age must be a whole number.');
  assert.equal(validateFieldText(by('age'), '200'), 'age must be at most 150.');
  assert.equal(validateFieldText(by('ratio'), 'x'), 'ratio must be a number.');
  assert.equal(validateFieldText(by('ratio'), '0.5'), undefined);
});

const params: McpElicitParams = { server_id: 's', server_name: 'Everything', chat_id: null, message: 'Tell me', requested_schema: schema };

function scripted(answers: { confirm: 'accept' | 'decline' | undefined; texts?: Array<string | undefined>; picks?: Array<string[] | undefined> }): ElicitationUi & { asked: string[] } {
  const texts = [...(answers.texts ?? [])];
  const picks = [...(answers.picks ?? [])];
  const asked: string[] = [];
  return {
    asked,
    confirm: async () => answers.confirm,
    text: async (f) => { asked.push(f.name); return texts.shift(); },
    pick: async (f) => { asked.push(f.name); return picks.shift(); },
  };
}

test('accept collects typed values, leaves empty optionals out, maps booleans and multi-selects', async () => {
  const ui = scripted({ confirm: 'accept', texts: ['Grace', '', '40', '0.25'], picks: [['false'], ['g'], ['\u0000skip'], ['a', 'b']] });
  const result = await runElicitation(params, ui);
  assert.deepEqual(result, { action: 'accept', content: { name: 'Grace', age: 40, ratio: 0.25, ok: false, color: 'g', tags: ['a', 'b'] } });
  assert.deepEqual(ui.asked, ['name', 'email', 'age', 'ratio', 'ok', 'color', 'size', 'tags']);
});

test('decline, dismiss and Escape in the middle', async () => {
  assert.deepEqual(await runElicitation(params, scripted({ confirm: 'decline' })), { action: 'decline' });
  assert.deepEqual(await runElicitation(params, scripted({ confirm: undefined })), { action: 'cancel' });
  assert.deepEqual(await runElicitation(params, scripted({ confirm: 'accept', texts: ['Grace', undefined] })), { action: 'cancel' });
  assert.deepEqual(await runElicitation(params, scripted({ confirm: 'accept', texts: ['G1', '', '1', ''], picks: [undefined] })), { action: 'cancel' });
});
