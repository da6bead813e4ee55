// Images that tools return (an MCP tool's image parts) reach the model as images, not as base64 text. Neither
// wire format lets a tool result carry an image (Chat Completions tool messages are text; Responses function
// outputs are text here), so the images follow the results in one user message, and the result's JSON says
// where each went. Only the newest few images of the history are sent: each costs hundreds of tokens or more.
import type { ChatMessage, ToolResultPart } from '../protocol';

/** Images sent in one request, newest first; older ones stay described in text. */
export const MAX_IMAGES_PER_REQUEST = 3;

export interface ToolImage { tool_call_id: string; tool_name: string; index: number; mime_type: string; data: string }

interface ImagePart { type: 'image'; mime_type: string; data?: string; size_bytes?: number; [k: string]: unknown }

function imageParts(p: ToolResultPart): ImagePart[] {
  const r = p.result as { content?: unknown } | null;
  if (!r || typeof r !== 'object' || !Array.isArray(r.content)) return [];
  return (r.content as ImagePart[]).filter((c) => c && c.type === 'image' && typeof c.mime_type === 'string' && c.mime_type.startsWith('image/'));
}

/** Where each image of a result goes: sent (the newest MAX_IMAGES_PER_REQUEST) or not, with why not. */
export interface ImagePlan { sent: Set<string>; allowed: boolean }

const keyOf = (callId: string, index: number) => `${callId}#${index}`;

/** The newest images of the history that go in this request; none when the model takes no images. */
export function planImages(history: ChatMessage[], allowed: boolean): ImagePlan {
  const sent = new Set<string>();
  if (allowed) {
    for (let i = history.length - 1; i >= 0 && sent.size < MAX_IMAGES_PER_REQUEST; i--) {
      const m = history[i];
      if (m.role !== 'tool') continue;
      for (let j = m.content.length - 1; j >= 0 && sent.size < MAX_IMAGES_PER_REQUEST; j--) {
        const p = m.content[j];
        if (p.type !== 'tool-result') continue;
        const images = imageParts(p);
        for (let k = images.length - 1; k >= 0 && sent.size < MAX_IMAGES_PER_REQUEST; k--) if (images[k].data) sent.add(keyOf(p.tool_call_id, k));
      }
    }
  }
  return { sent, allowed };
}

/** The images of one result that go in the request. */
export function sentImages(p: ToolResultPart, plan: ImagePlan): ToolImage[] {
  return imageParts(p).flatMap((img, index) => (img.data && plan.sent.has(keyOf(p.tool_call_id, index))
    ? [{ tool_call_id: p.tool_call_id, tool_name: p.tool_name, index, mime_type: img.mime_type, data: img.data }]
    : []));
}

/** The result as text for the model, with each image's base64 replaced by where the image is. */
export function resultTextForModel(p: ToolResultPart, plan: ImagePlan): string {
  if (typeof p.result === 'string') return p.result;
  const images = imageParts(p);
  if (images.length === 0) return JSON.stringify(p.result ?? null);
  const r = p.result as { content: unknown[] };
  let imageIndex = 0;
  const content = r.content.map((c) => {
    if (!images.includes(c as ImagePart)) return c;
    const index = imageIndex++;
    const { data: _data, ...rest } = c as ImagePart;
    const where = plan.sent.has(keyOf(p.tool_call_id, index)) ? `sent as image ${index + 1} of call ${p.tool_call_id} in the next user message`
      : !plan.allowed ? 'not shown: this model does not take images'
        : (c as ImagePart).data ? `not shown again: only the newest ${MAX_IMAGES_PER_REQUEST} images are sent` : String((c as ImagePart).omitted ?? 'no image data');
    return { ...rest, image: where };
  });
  return JSON.stringify({ ...r, content });
}

export const dataUrl = (img: ToolImage) => `data:${img.mime_type};base64,${img.data}`;

/** The words before the images of one step's results. */
export function imagesCaption(images: ToolImage[]): string {
  return `Images returned by tool calls: ${images.map((i) => `image ${i.index + 1} of ${i.tool_name} (call ${i.tool_call_id})`).join(', ')}.`;
}
