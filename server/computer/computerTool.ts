// The `computer` tool of computer-use agents: one browser action per call, answered with a screenshot (an
// image part, which llm/toolImages.ts sends to the model as an image) and what went wrong on the page since
// the previous call. Coordinates are screenshot pixels (1024x640); screenshotScale.ts maps them to the page.
import { z } from 'zod';
import { ToolResultError } from '../tools/registry';
import type { Tool } from '../tools/types';
import type { ComputerAction, StepReport } from './browserSession';
import { SCREENSHOT } from './screenshotScale';

const ACTIONS = ['screenshot', 'navigate', 'click', 'double_click', 'type', 'key', 'scroll', 'wait', 'back'] as const;
const coord = (max: number) => z.number().min(0).max(max);

const ComputerArgs = z.object({
  action: z.enum(ACTIONS),
  url: z.string().min(1).max(4000).optional().describe('navigate: an http(s) URL'),
  x: coord(SCREENSHOT.width).optional().describe(`click, double_click, scroll: screenshot pixels from the left (0-${SCREENSHOT.width})`),
  y: coord(SCREENSHOT.height).optional().describe(`click, double_click, scroll: screenshot pixels from the top (0-${SCREENSHOT.height})`),
  button: z.enum(['left', 'right', 'middle']).optional().describe('click: default left'),
  text: z.string().max(10_000).optional().describe('type: the text to type into the focused element'),
  combo: z.string().min(1).max(100).optional().describe('key: a key or combination, e.g. Enter, Tab, Control+a'),
  dx: z.number().optional().describe('scroll: horizontal distance in screenshot pixels'),
  dy: z.number().optional().describe('scroll: vertical distance in screenshot pixels (positive: down)'),
  ms: z.number().int().min(0).max(10_000).optional().describe('wait: milliseconds (at most 10000)'),
});
type Args = z.infer<typeof ComputerArgs>;

/** The arguments as one action, or what is missing for it. */
export function toAction(a: Args): ComputerAction {
  const need = <K extends keyof Args>(k: K): NonNullable<Args[K]> => {
    if (a[k] === undefined || a[k] === null) throw new Error(`Invalid arguments for computer: ${a.action} needs \`${String(k)}\`.`);
    return a[k] as NonNullable<Args[K]>;
  };
  switch (a.action) {
    case 'screenshot': return { action: 'screenshot' };
    case 'back': return { action: 'back' };
    case 'navigate': {
      const url = need('url');
      if (!/^https?:\/\//i.test(url)) throw new Error(`Invalid arguments for computer: navigate takes an http(s) URL, not "${url}".`);
      return { action: 'navigate', url };
    }
    case 'click': return { action: 'click', x: need('x'), y: need('y'), button: a.button };
    case 'double_click': return { action: 'double_click', x: need('x'), y: need('y') };
    case 'type': return { action: 'type', text: need('text') };
    case 'key': return { action: 'key', combo: need('combo') };
    case 'scroll': return { action: 'scroll', x: need('x'), y: need('y'), dx: a.dx ?? 0, dy: need('dy') };
    case 'wait': return { action: 'wait', ms: need('ms') };
  }
}

const BLOCKED_HINT = 'Requests to other origins are blocked unless allowed: navigate to the page to ask the user, or ask them to add an allow rule computer(<origin>/*).';

/** One line for the model and the panel: what happened, where, and what went wrong. */
export function summaryOf(r: StepReport): string {
  const parts = [`${r.error ? `${r.action} failed: ${r.error}` : r.action} — ${r.title ? `"${r.title}" ` : ''}${r.url}`];
  if (r.console_errors.length) parts.push(`${r.console_errors.length} console error(s)`);
  if (r.failed_requests.length) parts.push(`${r.failed_requests.length} failed request(s)`);
  if (r.blocked_requests.length) parts.push(`${r.blocked_requests.length} blocked request(s). ${BLOCKED_HINT}`);
  parts.push(...r.notes);
  return parts.join('; ');
}

/** The result shape the webview and llm/toolImages.ts read (keep it exactly). */
export function resultOf(r: StepReport): unknown {
  const content: unknown[] = [{ type: 'text', text: summaryOf(r) }];
  if (r.png) content.push({ type: 'image', mime_type: 'image/png', size_bytes: r.png.length, data: r.png.toString('base64') });
  return {
    content,
    structured_content: {
      action: r.action, url: r.url, title: r.title, width: r.width, height: r.height, marker: r.marker,
      console_errors: r.console_errors, failed_requests: r.failed_requests, blocked_requests: r.blocked_requests,
    },
  };
}

export const computerTool: Tool<typeof ComputerArgs> = {
  name: 'computer',
  description: [
    `Drive a real browser and see the result. Each call does one action and returns a ${SCREENSHOT.width}x${SCREENSHOT.height} screenshot,`,
    'the page\'s console errors and failed requests since the previous call. x/y are pixels of that screenshot.',
    'Actions: screenshot; navigate {url}; click {x, y, button?}; double_click {x, y}; type {text} (into the focused element: click it first);',
    'key {combo} (Enter, Tab, Control+a); scroll {x, y, dx?, dy}; wait {ms}; back.',
    'Loopback URLs (localhost, 127.0.0.1) open freely; other origins ask the user first. Downloads and uploads are refused.',
  ].join(' '),
  schema: ComputerArgs,
  async run(args, ctx) {
    if (!ctx.agent) throw new Error('The computer tool needs a chat.');
    const action = toAction(args);
    const session = await ctx.agent.browser();
    const report = await session.step(action, ctx.signal);
    const result = resultOf(report);
    if (report.error) throw new ToolResultError(report.error, result);
    return result;
  },
};
