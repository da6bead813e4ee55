// Where VS Code keeps MCP server lists, and how to read the server entries out of one.
import path from 'node:path';
import { parseJsonc } from '../../server/util/jsonc';

/**
 * The user's `mcp.json` sits in VS Code's `User` folder, which also holds every extension's global
 * storage: `…/User/globalStorage/<publisher.name>` → `…/User/mcp.json`. Null when the layout differs.
 */
export function userMcpJsonPath(globalStoragePath: string): string | null {
  const storageRoot = path.dirname(globalStoragePath);
  if (path.basename(storageRoot) !== 'globalStorage') return null;
  return path.join(path.dirname(storageRoot), 'mcp.json');
}

export function workspaceMcpJsonPath(folder: string): string {
  return path.join(folder, '.vscode', 'mcp.json');
}

/** The `servers` object of an mcp.json text (or the older settings shape `{ "mcp": { "servers": … } }`). */
export function serversOfMcpJson(text: string, file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parseJsonc(text);
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${file} must hold a JSON object.`);
  const root = parsed as Record<string, unknown>;
  const servers = root.servers ?? (root.mcp as Record<string, unknown> | undefined)?.servers;
  if (servers === undefined) return {};
  if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) throw new Error(`"servers" in ${file} must be an object of server entries.`);
  return servers as Record<string, unknown>;
}
