// Tool-call arguments as the model sent them (possibly still streaming, so possibly incomplete JSON).
export function parseArgs(args: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(args) as unknown;
    if (!v || typeof v !== 'object') return undefined;
    const o = v as Record<string, unknown>;
    // model_intent-wrapped MCP calls carry the real arguments under `properties`.
    return typeof o.model_intent === 'string' && o.properties && typeof o.properties === 'object' ? (o.properties as Record<string, unknown>) : o;
  } catch {
    return undefined;
  }
}

/** A path the model wrote (relative to the workspace folder, or absolute) as an absolute path for the host. */
export function absolutePath(p: string, folder: string | null): string {
  if (!folder || /^(?:[a-zA-Z]:[\\/]|[\\/])/.test(p)) return p;
  const sep = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  return folder.replace(/[\\/]+$/, '') + sep + p.replace(/^\.[\\/]/, '');
}
