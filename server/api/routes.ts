// The HTTP routes, read off the request table: each entry with an `http` route becomes a matcher, and a
// request's path segments, query and body become the entry's params, which its own schema then checks.
// Query values are strings on the wire: they are converted by the JSON Schema of the params (numbers,
// booleans, repeated keys as lists) and anything else is left for the schema to name.
import { z } from 'zod';
import { AppError } from '../errors';
import { REQUESTS, type HttpRoute, type RequestName } from '../protocol/methods';
import { PARAMS } from '../protocol/schemas';

export const API_PREFIX = '/api/experimental';

interface JsonSchema { type?: string | string[]; items?: JsonSchema; anyOf?: JsonSchema[]; oneOf?: JsonSchema[]; properties?: Record<string, JsonSchema> }

export interface Route {
  name: RequestName;
  http: HttpRoute;
  pattern: RegExp;
  pathParams: string[];
  /** JSON Schema of each param, for converting query strings. */
  props: Record<string, JsonSchema>;
}

function propsOf(name: RequestName): Record<string, JsonSchema> {
  try {
    const json = z.toJSONSchema(PARAMS[name], { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    return json.properties ?? {};
  } catch {
    return {};
  }
}

function compile(name: RequestName, http: HttpRoute): Route {
  const pathParams: string[] = [];
  const source = http.path.split('/').map((seg) => {
    const m = /^\{(\w+)\}$/.exec(seg);
    if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    pathParams.push(m[1]);
    return '([^/]+)';
  }).join('/');
  return { name, http, pattern: new RegExp(`^${source}$`), pathParams, props: propsOf(name) };
}

/** Literal segments before parameters: /chats/files is not /chats/{chat_id}. */
const specificity = (r: Route) => r.http.path.split('/').map((s) => (s.startsWith('{') ? '1' : '0')).join('');

export const ROUTES: Route[] = Object.entries(REQUESTS)
  .flatMap(([name, e]) => (e.http && e.expose.includes('http') ? [compile(name as RequestName, e.http)] : []))
  .sort((a, b) => specificity(a).localeCompare(specificity(b)));

/**
 * A path segment, percent-decoded. A malformed escape (`%zz`, a cut or overlong UTF-8 sequence) makes
 * decodeURIComponent throw a URIError, which would be a 500: it is the client's bad request.
 */
export function decodePathSegment(raw: string, field: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new AppError(400, 'Invalid path.', `The ${field} segment is not valid percent-encoded UTF-8.`, field);
  }
}

export type Match = { route: Route; pathValues: Record<string, string> } | { allowed: string[] } | undefined;

/** The route of a method and path (under the prefix), the verbs the path does allow, or nothing. */
export function matchRoute(verb: string, path: string): Match {
  const allowed: string[] = [];
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    if (route.http.verb !== verb) {
      allowed.push(route.http.verb);
      continue;
    }
    const pathValues: Record<string, string> = {};
    route.pathParams.forEach((p, i) => { pathValues[p] = decodePathSegment(m[i + 1], p); });
    return { route, pathValues };
  }
  return allowed.length > 0 ? { allowed } : undefined;
}

function typesOf(s: JsonSchema | undefined): string[] {
  if (!s) return [];
  const own = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  return [...own, ...(s.anyOf ?? []).flatMap(typesOf), ...(s.oneOf ?? []).flatMap(typesOf)];
}
const itemsOf = (s: JsonSchema | undefined): JsonSchema | undefined => s?.items ?? s?.anyOf?.find((a) => a.items)?.items;

function scalar(value: string, schema: JsonSchema | undefined): unknown {
  const types = typesOf(schema);
  if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (types.includes('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  if (types.includes('null') && value === 'null') return null;
  return value;
}

/** Query string (and path values) → params, by the schema's JSON Schema. */
export function paramsFromQuery(route: Route, query: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(query.keys())) {
    const schema = route.props[key];
    const values = query.getAll(key);
    out[key] = typesOf(schema).includes('array') ? values.map((v) => scalar(v, itemsOf(schema))) : scalar(values[values.length - 1], schema);
  }
  return out;
}

export function pathParams(route: Route, values: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, scalar(v, route.props[k])]));
}
