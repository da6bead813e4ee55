// Tool results shown as text (JSON) never carry base64: an image part's data becomes "[image 1024×640]",
// other binary payloads and long base64 strings a size. 100 KB of base64 helps nobody reading a transcript.
import { pngSize } from './computerFrame';

const BINARY_TYPES = new Set(['image', 'audio', 'resource']);
/** Long enough that it is not a word or an id; only base64 characters. */
const LONG_BASE64 = /^[A-Za-z0-9+/\r\n]{512,}={0,2}$/;

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)[^,]*;base64,/;

const kb = (base64Length: number) => `${Math.max(1, Math.round((base64Length * 3) / 4 / 1024))} KB`;

function placeholder(part: Record<string, unknown>, data: string): string {
  const mime = typeof part.mime_type === 'string' ? part.mime_type : '';
  const size = mime === 'image/png' ? pngSize(data) : null;
  if (size) return `[image ${size.width}×${size.height}]`;
  return `[${String(part.type ?? 'data')}${mime ? ` ${mime}` : ''}, ${kb(data.length)}]`;
}

/** A copy of `value` with image/audio/blob data and base64-looking strings replaced by short placeholders. */
export function withoutBinaryData(value: unknown, depth = 0): unknown {
  if (depth > 32) return '[…]';
  if (typeof value === 'string') {
    if (value.length < 512) return value;
    const url = DATA_URL.exec(value);
    if (url) return `[data URL ${url[1]}, ${kb(value.length - url[0].length)}]`;
    return LONG_BASE64.test(value) ? `[base64, ${kb(value.length)}]` : value;
  }
  if (Array.isArray(value)) return value.map((v) => withoutBinaryData(v, depth + 1));
  if (!value || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    out[k] = k === 'data' && typeof v === 'string' && BINARY_TYPES.has(String(o.type)) ? placeholder(o, v) : withoutBinaryData(v, depth + 1);
  }
  return out;
}

/** Pretty JSON of a tool result or arguments, binary data left out. */
export const prettyWithoutBinary = (v: unknown): string => (typeof v === 'string' ? String(withoutBinaryData(v)) : JSON.stringify(withoutBinaryData(v), null, 2));
