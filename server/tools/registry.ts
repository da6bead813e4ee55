// The built-in tools, their JSON Schemas for the model, and running one call safely.
import { z } from 'zod';
import { editFilesTool } from './editFiles';
import { executeTool, processOutputTool } from './execute';
import { readFileTool } from './readFile';
import type { Tool, ToolContext, ToolOutcome } from './types';
import type { ToolDefinition } from '../llm/types';
import { writeFileTool } from './writeFile';

export function builtinTools(): Tool[] {
  return [readFileTool, writeFileTool, editFilesTool, executeTool, processOutputTool] as Tool[];
}

const schemaCache = new WeakMap<z.ZodType, Record<string, unknown>>();

export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  let s = schemaCache.get(schema);
  if (!s) {
    const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
    s = rest;
    schemaCache.set(schema, s);
  }
  return s;
}

export function toolDefinitions(tools: Tool[]): ToolDefinition[] {
  return tools.map((t) => ({ name: t.name, description: t.description, parameters: jsonSchemaOf(t.schema) }));
}

/** Never throws: every failure becomes an error result the model can read. */
export async function runToolCall(tools: Tool[], name: string, argsJson: string, ctx: ToolContext): Promise<ToolOutcome> {
  const tool = tools.find((t) => t.name === name);
  if (!tool) return { result: { error: `Unknown tool "${name}". Available: ${tools.map((t) => t.name).join(', ')}.` }, is_error: true };
  let raw: unknown;
  try {
    raw = argsJson.trim() === '' ? {} : JSON.parse(argsJson);
  } catch {
    return { result: { error: `The arguments of ${name} are not valid JSON: ${argsJson.slice(0, 200)}` }, is_error: true };
  }
  const parsed = tool.schema.safeParse(raw);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join('.') || '(arguments)'}: ${i.message}`).join('; ');
    return { result: { error: `Invalid arguments for ${name}: ${msg}` }, is_error: true };
  }
  try {
    const result = await tool.run(parsed.data, ctx);
    const failed = typeof result === 'object' && result !== null && (result as { success?: unknown }).success === false;
    return { result, is_error: failed };
  } catch (err) {
    return { result: { error: err instanceof Error ? err.message : String(err) }, is_error: true };
  }
}
