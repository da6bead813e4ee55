// Workspace Trust: an untrusted workspace may be read, but nothing may change it or run in it.
import type { ToolContext } from './types';

export function requireTrusted(ctx: Pick<ToolContext, 'trusted'>, tool: string): void {
  if (!ctx.trusted) throw new Error(`Workspace is not trusted: ${tool} is disabled. Trust the workspace to allow it.`);
}
