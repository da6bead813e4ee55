// An MCP elicitation's `requestedSchema` (a flat object of string / number / integer / boolean / enum
// properties, per the MCP spec) turned into the inputs to show, the checks on what is typed, and the
// flow that asks for each one. The UI is passed in, so the flow runs the same in VS Code and in tests.
import type { McpElicitParams, McpElicitResult } from '../../server/protocol/mcp';

export interface FieldOption { value: string; label: string }
export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'multi_enum';

export interface FormField {
  name: string;
  title: string;
  description: string;
  required: boolean;
  kind: FieldKind;
  options: FieldOption[];
  default: string | number | boolean | string[] | undefined;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  /** email, uri, date, date-time. */
  format?: string;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

/** `enum` (+ legacy `enumNames`) or `oneOf`/`anyOf` of `{ const, title }`. */
function optionsOf(schema: Json): FieldOption[] {
  if (Array.isArray(schema.enum)) {
    const names = Array.isArray(schema.enumNames) ? schema.enumNames : [];
    return schema.enum.map((v, i) => ({ value: String(v), label: typeof names[i] === 'string' ? names[i] as string : String(v) }));
  }
  const choices = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : [];
  return choices.filter(isObj).filter((c) => c.const !== undefined).map((c) => ({ value: String(c.const), label: typeof c.title === 'string' ? c.title : String(c.const) }));
}

export function formFields(requestedSchema: Json): FormField[] {
  const props = isObj(requestedSchema.properties) ? requestedSchema.properties : {};
  const required = new Set(Array.isArray(requestedSchema.required) ? requestedSchema.required.map(String) : []);
  return Object.entries(props).filter(([, s]) => isObj(s)).map(([name, raw]) => {
    const s = raw as Json;
    const options = optionsOf(s);
    const items = isObj(s.items) ? s.items : undefined;
    let kind: FieldKind;
    if (s.type === 'array' && items) kind = 'multi_enum';
    else if (options.length > 0) kind = 'enum';
    else if (s.type === 'boolean' || s.type === 'number' || s.type === 'integer') kind = s.type;
    else kind = 'string';
    const field: FormField = {
      name,
      title: typeof s.title === 'string' && s.title ? s.title : name,
      description: typeof s.description === 'string' ? s.description : '',
      required: required.has(name),
      kind,
      options: kind === 'multi_enum' && items ? optionsOf(items) : options,
      default: s.default as FormField['default'],
      minimum: num(s.minimum), maximum: num(s.maximum), minLength: num(s.minLength), maxLength: num(s.maxLength),
      format: typeof s.format === 'string' ? s.format : undefined,
    };
    return field;
  });
}

/** The text an input box starts with. */
export function initialText(field: FormField): string {
  return field.default === undefined || Array.isArray(field.default) ? '' : String(field.default);
}

/** Why a typed value is wrong, naming the field; undefined when it is fine. Empty = "leave it out". */
export function validateFieldText(field: FormField, text: string): string | undefined {
  if (text === '') return field.required ? `${field.title} is required.` : undefined;
  if (field.kind === 'number' || field.kind === 'integer') {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) return `${field.title} must be a number.`;
    if (field.kind === 'integer' && !Number.isInteger(n)) return `${field.title} must be a whole number.`;
    if (field.minimum !== undefined && n < field.minimum) return `${field.title} must be at least ${field.minimum}.`;
    if (field.maximum !== undefined && n > field.maximum) return `${field.title} must be at most ${field.maximum}.`;
    return undefined;
  }
  if (field.minLength !== undefined && text.length < field.minLength) return `${field.title} must be at least ${field.minLength} characters.`;
  if (field.maxLength !== undefined && text.length > field.maxLength) return `${field.title} must be at most ${field.maxLength} characters.`;
  if (field.format === 'email' && !/^[^\s@]+@[^\s@]+$/.test(text)) return `${field.title} must be an email address.`;
  if (field.format === 'uri' && !/^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/.test(text)) return `${field.title} must be a URI.`;
  if (field.format === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(text)) return `${field.title} must be a date (YYYY-MM-DD).`;
  if (field.format === 'date-time' && Number.isNaN(Date.parse(text))) return `${field.title} must be a date and time (ISO 8601).`;
  return undefined;
}

export function parseFieldText(field: FormField, text: string): string | number {
  return field.kind === 'number' || field.kind === 'integer' ? Number(text) : text;
}

/** What the flow needs from a UI; `undefined` from any of them = the user pressed Escape. */
export interface ElicitationUi {
  /** Shows the request; resolves 'accept', 'decline', or undefined (dismissed). */
  confirm(serverName: string, message: string): Promise<'accept' | 'decline' | undefined>;
  /** One input box. */
  text(field: FormField, step: string): Promise<string | undefined>;
  /** One pick (boolean, enum) or several (multi_enum); the values picked. */
  pick(field: FormField, step: string, options: FieldOption[], many: boolean): Promise<string[] | undefined>;
}

const BOOLEAN_OPTIONS: FieldOption[] = [{ value: 'true', label: 'Yes' }, { value: 'false', label: 'No' }];
const SKIP_VALUE = '\u0000skip';

export async function runElicitation(params: McpElicitParams, ui: ElicitationUi): Promise<McpElicitResult> {
  const choice = await ui.confirm(params.server_name, params.message);
  if (choice === undefined) return { action: 'cancel' };
  if (choice === 'decline') return { action: 'decline' };
  const fields = formFields(params.requested_schema);
  const content: NonNullable<McpElicitResult['content']> = {};
  for (const [i, field] of fields.entries()) {
    const step = `${i + 1}/${fields.length}`;
    if (field.kind === 'string' || field.kind === 'number' || field.kind === 'integer') {
      const text = await ui.text(field, step);
      if (text === undefined) return { action: 'cancel' };
      if (text !== '') content[field.name] = parseFieldText(field, text);
      continue;
    }
    const many = field.kind === 'multi_enum';
    let options = field.kind === 'boolean' ? BOOLEAN_OPTIONS : field.options;
    // An optional single choice can be left out (the server then applies its default).
    if (!many && !field.required) options = [...options, { value: SKIP_VALUE, label: '(leave out)' }];
    const picked = await ui.pick(field, step, options, many);
    if (picked === undefined) return { action: 'cancel' };
    if (many) content[field.name] = picked;
    else if (picked[0] !== undefined && picked[0] !== SKIP_VALUE) content[field.name] = field.kind === 'boolean' ? picked[0] === 'true' : picked[0];
  }
  return { action: 'accept', content };
}
