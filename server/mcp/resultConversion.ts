// Turns an MCP tools/call result into the JSON the model sees. Text stays text; media and blobs keep
// their type and size and, below a size cap, their base64 data; resource links keep their metadata.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** Bigger results are cut: a tool result goes into every later model request of the chat. */
export const MAX_RESULT_BYTES = 256 * 1024;

export type ConvertedPart =
  | { type: 'text'; text: string }
  | { type: 'image' | 'audio'; mime_type: string; size_bytes: number; data?: string; omitted?: string }
  | { type: 'resource'; uri: string; mime_type?: string; text?: string; size_bytes?: number; data?: string; omitted?: string }
  | { type: 'resource_link'; uri: string; name: string; description?: string; mime_type?: string };

export interface ConvertedResult {
  /** Joined text when the result is only text; otherwise the parts. */
  result: string | { content: ConvertedPart[]; structured_content?: unknown };
  is_error: boolean;
}

const base64Bytes = (b64: string) => Math.floor((b64.length * 3) / 4) - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);

function convertPart(part: CallToolResult['content'][number]): ConvertedPart {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image':
    case 'audio':
      return { type: part.type, mime_type: part.mimeType, size_bytes: base64Bytes(part.data), data: part.data };
    case 'resource': {
      const r = part.resource;
      if ('text' in r && typeof r.text === 'string') return { type: 'resource', uri: r.uri, mime_type: r.mimeType, text: r.text };
      const blob = 'blob' in r && typeof r.blob === 'string' ? r.blob : '';
      return { type: 'resource', uri: r.uri, mime_type: r.mimeType, size_bytes: base64Bytes(blob), data: blob };
    }
    case 'resource_link':
      return { type: 'resource_link', uri: part.uri, name: part.name, description: part.description, mime_type: part.mimeType };
  }
}

/** Drops binary data first, then cuts text, until the JSON fits the cap. */
function fitToCap(parts: ConvertedPart[], structured: unknown): ConvertedPart[] {
  const size = () => Buffer.byteLength(JSON.stringify({ content: parts, structured_content: structured }));
  if (size() <= MAX_RESULT_BYTES) return parts;
  for (const p of parts) {
    if ('data' in p && p.data) {
      delete p.data;
      p.omitted = `binary data omitted: the result is larger than ${MAX_RESULT_BYTES} bytes`;
    }
  }
  let over = size() - MAX_RESULT_BYTES;
  for (const p of parts) {
    if (over <= 0) break;
    if (p.type === 'text' || (p.type === 'resource' && p.text !== undefined)) {
      const text = p.type === 'text' ? p.text : (p.text ?? '');
      const keep = Math.max(0, text.length - over - 100);
      const cut = `${text.slice(0, keep)}\n[… ${text.length - keep} characters cut: the result is larger than ${MAX_RESULT_BYTES} bytes]`;
      if (p.type === 'text') p.text = cut;
      else p.text = cut;
      over = size() - MAX_RESULT_BYTES;
    }
  }
  return parts;
}

export function convertToolResult(raw: CallToolResult | { toolResult: unknown }): ConvertedResult {
  if ('toolResult' in raw && !('content' in raw)) {
    // Protocol 2024-10-07 servers answer with `toolResult`.
    return { result: { content: [{ type: 'text', text: JSON.stringify(raw.toolResult) }] }, is_error: false };
  }
  const r = raw as CallToolResult;
  const structured = r.structuredContent;
  const parts = fitToCap((r.content ?? []).map(convertPart), structured);
  const isError = r.isError === true;
  if (structured === undefined && parts.every((p) => p.type === 'text')) {
    return { result: parts.map((p) => (p as { text: string }).text).join('\n'), is_error: isError };
  }
  return { result: structured === undefined ? { content: parts } : { content: parts, structured_content: structured }, is_error: isError };
}
