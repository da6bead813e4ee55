// `model_intent`: a server's tool schema is wrapped so the model states, in a few words, what it intends
// to do (the panel shows that as the call's label); the intent is stripped before the call is forwarded.
export const MODEL_INTENT_DESCRIPTION =
  'A short, present-tense phrase saying what you are doing with this call and why, shown to the user as its label ' +
  '(for example "Searching open issues about login failures"). Put the tool\'s own arguments in "properties".';

export interface JsonSchemaObject { [key: string]: unknown }

export function wrapSchemaWithModelIntent(schema: JsonSchemaObject): JsonSchemaObject {
  const inner: JsonSchemaObject = { type: 'object', ...schema };
  return {
    type: 'object',
    properties: {
      model_intent: { type: 'string', description: MODEL_INTENT_DESCRIPTION },
      properties: inner,
    },
    required: ['model_intent', 'properties'],
  };
}

export interface UnwrappedArgs {
  /** Arguments to forward to the server. */
  args: Record<string, unknown>;
  modelIntent?: string;
  /** Set when the arguments are not a JSON object at all: the call is answered with this error. */
  error?: string;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Accepts the wrapped shape `{model_intent, properties: {...}}`, the flat shape `{model_intent, ...args}`
 * and malformed ones (`properties` as JSON text, a missing or non-string intent) and returns the
 * arguments without the intent.
 */
export function unwrapModelIntentArgs(argsJson: string): UnwrappedArgs {
  const parsed = parseToolArgs(argsJson);
  if (parsed.error) return parsed;
  const { model_intent: rawIntent, ...rest } = parsed.args;
  const modelIntent = typeof rawIntent === 'string' && rawIntent.trim() !== '' ? rawIntent.trim() : undefined;
  if ('properties' in rest) {
    let inner = rest.properties;
    if (typeof inner === 'string') {
      try { inner = JSON.parse(inner); } catch { /* not JSON text: treated as flat below */ }
    }
    if (isPlainObject(inner)) {
      const { model_intent: _nested, ...args } = inner;
      return { args, modelIntent };
    }
    if (inner === null || inner === undefined) {
      const { properties: _p, ...args } = rest;
      return { args, modelIntent };
    }
  }
  return { args: rest, modelIntent };
}

/** For plain (unwrapped) calls, only JSON-parses; the same error rules apply. */
export function parseToolArgs(argsJson: string): UnwrappedArgs {
  let parsed: unknown;
  try {
    parsed = argsJson.trim() === '' ? {} : JSON.parse(argsJson);
  } catch (err) {
    return { args: {}, error: `The tool arguments are not valid JSON: ${(err as Error).message}` };
  }
  if (!isPlainObject(parsed)) return { args: {}, error: 'The tool arguments must be a JSON object.' };
  return { args: parsed };
}
