// The built-in tools, the JSON Schemas the model sees, and running one call so that every failure becomes a
// result the model can read and act on.
import { z } from 'zod';
import type { ToolDefinition } from '../llm/types';
import { editFilesTool } from './editFiles';
import { executeTool } from './execute';
import { processOutputTool } from './processOutput';
import { readFileTool } from './readFile';
import type { Tool, ToolContext, ToolOutcome } from './types';
import { writeFileTool } from './writeFile';

export function builtinTools(): Tool[] {
  return [readFileTool, writeFileTool, editFilesTool, executeTool, processOutputTool] as Tool[];
}

/** zod writes ±2^53-1 bounds on every integer; they only add noise to what the model reads. */
function dropSafeIntegerBounds(ctx: { jsonSchema: { minimum?: unknown; maximum?: unknown } }): void {
  if (ctx.jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete ctx.jsonSchema.maximum;
  if (ctx.jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete ctx.jsonSchema.minimum;
}

const schemaCache = new WeakMap<z.ZodType, Record<string, unknown>>();

/** The JSON Schema of a tool's arguments, as the model is given it. */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  let json = schemaCache.get(schema);
  if (!json) {
    const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', override: dropSafeIntegerBounds }) as Record<string, unknown>;
    json = rest;
    schemaCache.set(schema, json);
  }
  return json;
}

export function toolDefinitions(tools: Tool[]): ToolDefinition[] {
  return tools.map((t) => ({ name: t.name, description: t.description, parameters: jsonSchemaOf(t.schema) }));
}

/** "edits.0.old_text: Required" — zod's own wording for a missing field is longer than it needs to be. */
const missingIsRequired = (issue: { code: string; input?: unknown }): string | undefined =>
  (issue.code === 'invalid_type' && issue.input === undefined ? 'Required' : undefined);

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : 'arguments'}: ${i.message}`).join('; ');
}

/** A result that reports its own failure (execute's success: false) counts as an error, unless it still runs. */
function reportsFailure(result: unknown): boolean {
  if (typeof result !== 'object' || result === null) return false;
  const r = result as { success?: unknown; background_process_id?: unknown };
  return r.success === false && r.background_process_id === undefined;
}

/** A failure that still has a result to show (computer use: what the page looks like after the failed action). */
export class ToolResultError extends Error {
  constructor(message: string, readonly result: unknown) {
    super(message);
  }
}

/** Runs one tool call. Never throws: unknown tools, bad arguments and failures come back as is_error results. */
export async function runToolCall(tools: Tool[], name: string, argsJson: string, ctx: ToolContext): Promise<ToolOutcome> {
  const fail = (error: string): ToolOutcome => ({ result: { error }, is_error: true });
  try {
    const tool = tools.find((t) => t.name === name);
    if (!tool) return fail(`Unknown tool "${name}". Available tools: ${tools.map((t) => t.name).join(', ') || 'none'}.`);
    let raw: unknown;
    try {
      raw = argsJson.trim() === '' ? {} : JSON.parse(argsJson);
    } catch (err) {
      return fail(`The arguments of ${name} are not valid JSON (${(err as Error).message}). Send one JSON object.`);
    }
    const parsed = tool.schema.safeParse(raw, { error: missingIsRequired });
    if (!parsed.success) return fail(`Invalid arguments for ${name}: ${describeIssues(parsed.error)}`);
    const result = await tool.run(parsed.data, ctx);
    return { result, is_error: reportsFailure(result) };
  } catch (err) {
    if (err instanceof ToolResultError) return { result: err.result, is_error: true };
    return fail(err instanceof Error ? err.message : String(err));
  }
}
