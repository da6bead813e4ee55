// The OpenAPI 3.1 document of the HTTP API, generated from the same table and schemas the server validates
// with: served at /api/experimental/openapi.json and written to docs/openapi.json by `npm run build`.
import { z } from 'zod';
import { REQUESTS, type RequestName } from '../protocol/methods';
import { PARAMS, RESULTS } from '../protocol/schemas';
import { API_PREFIX, ROUTES } from './routes';

type Json = Record<string, unknown>;

const schemaOf = (s: z.ZodType, io: 'input' | 'output'): Json => {
  const { $schema: _d, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  return rest;
};

const ERROR = {
  type: 'object',
  required: ['message', 'validations'],
  properties: {
    message: { type: 'string' },
    detail: { type: 'string' },
    validations: { type: 'array', items: { type: 'object', required: ['field', 'detail'], properties: { field: { type: 'string' }, detail: { type: 'string' } } } },
  },
};
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

function operation(name: RequestName): Json {
  const entry = REQUESTS[name];
  const route = ROUTES.find((r) => r.name === name)!;
  const params = schemaOf(PARAMS[name], 'input') as { properties?: Record<string, Json>; required?: string[] };
  const props = params.properties ?? {};
  const required = new Set(params.required ?? []);
  const parameters: Json[] = route.pathParams.map((p) => ({ name: p, in: 'path', required: true, schema: props[p] ?? { type: 'string' } }));
  let requestBody: Json | undefined;
  const rest = Object.fromEntries(Object.entries(props).filter(([k]) => !route.pathParams.includes(k)));
  if (entry.http!.body === 'raw') {
    parameters.push({ name: 'name', in: 'query', required: true, schema: { type: 'string' }, description: 'File name (or Content-Disposition: filename=…).' });
    requestBody = { required: true, description: 'The file; its Content-Type is its media type.', content: { '*/*': { schema: { type: 'string', format: 'binary' } } } };
  } else if (entry.http!.verb === 'GET' || entry.http!.verb === 'DELETE') {
    for (const [k, s] of Object.entries(rest)) {
      const list = (s as { type?: string }).type === 'array';
      parameters.push({ name: k, in: 'query', required: required.has(k), schema: s, ...(list ? { style: 'form', explode: true } : {}) });
    }
  } else if (Object.keys(rest).length > 0) {
    const body = { ...params, properties: rest, required: [...required].filter((k) => !route.pathParams.includes(k)) };
    requestBody = { required: body.required.length > 0, content: { 'application/json': { schema: body } } };
  }
  const status = String(entry.http!.status ?? 200);
  const result = (RESULTS as Partial<Record<RequestName, z.ZodType>>)[name];
  const ok = status === '204' ? { description: 'Done.' }
    : entry.http!.response === 'raw' ? { description: 'The file.', content: { '*/*': { schema: { type: 'string', format: 'binary' } } } }
      : { description: 'OK.', content: { 'application/json': { schema: result ? schemaOf(result, 'output') : {} } } };
  return {
    operationId: name.charAt(0).toLowerCase() + name.slice(1),
    summary: entry.summary,
    'x-jsonrpc-method': entry.method,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses: {
      [status]: ok,
      400: errorResponse('Bad input: `validations` names each wrong field.'),
      401: errorResponse('No or wrong bearer token.'),
      403: errorResponse('Not a loopback Host header.'),
      404: errorResponse('No such chat, file or route.'),
      409: errorResponse('The chat is not in a state for this (see `detail`).'),
      429: errorResponse('Queue full or too many streams.'),
    },
  };
}

const sse = (summary: string, params: Json[], description: string): Json => ({
  get: {
    summary,
    parameters: params,
    responses: { 200: { description, content: { 'text/event-stream': { schema: { type: 'string' } } } }, 401: errorResponse('No or wrong bearer token.'), 404: errorResponse('No such chat.') },
  },
});

let cached: Json | undefined;

export function openApiDocument(version = process.env.LOCAL_AGENTS_VERSION ?? '0.1.0'): Json {
  if (cached) return cached;
  const paths: Record<string, Json> = {};
  for (const route of ROUTES) {
    const p = `${API_PREFIX}${route.http.path}`;
    paths[p] = { ...paths[p], [route.http.verb.toLowerCase()]: operation(route.name) };
  }
  const lastEventId = { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' }, description: 'Resume after this event id.' };
  paths[`${API_PREFIX}/chats/watch`] = sse('Chats created, deleted, changing status or title, waiting for an action (this and other processes).', [lastEventId],
    'Events `created`, `deleted`, `status_change`, `title_change`, `updated`, `action_required`: `{kind, chat, tool_calls?}`.');
  paths[`${API_PREFIX}/chats/{chat_id}/stream`] = sse('Live events of one chat.', [
    { name: 'chat_id', in: 'path', required: true, schema: { type: 'string' } }, lastEventId,
    { name: 'after_id', in: 'query', required: false, schema: { type: 'integer', minimum: 0 }, description: 'First send the persisted messages after this message id.' },
  ], 'Events `message_part`, `message`, `status`, `error`, `queue_update`, `retry`, `action_required`, `messages_deleted`, `notice`, each with an id. A new stream starts with the current `status` and, when the chat already waits, its pending calls (`action_required`).');
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Local Agents API',
      version,
      description: 'The chats of one Local Agents server over loopback HTTP. Every request needs `Authorization: Bearer <token>` (`local-agents api token`).',
    },
    servers: [{ url: 'http://127.0.0.1:{port}', variables: { port: { default: '4096' } } }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas: { Error: ERROR } },
    paths,
  };
  return cached;
}
