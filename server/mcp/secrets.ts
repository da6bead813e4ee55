// MCP secrets held in this process's memory only: API key values, custom header values, the OAuth client
// secret, OAuth tokens and dynamically registered client information. The extension fills this store from
// SecretStorage at start; changes made here (tokens saved or refreshed) are announced to listeners, which
// hand them back to the extension to persist. Nothing here is written to SQLite, a log or a reply.
import type { McpSecretKind } from '../protocol/mcp';

export type SecretListener = (serverId: string, kind: McpSecretKind, value: string | null) => void;

export class McpSecrets {
  private readonly values = new Map<string, Map<McpSecretKind, string>>();
  private readonly versions = new Map<string, number>();
  private readonly listeners = new Set<SecretListener>();

  get(serverId: string, kind: McpSecretKind): string | undefined {
    return this.values.get(serverId)?.get(kind);
  }

  has(serverId: string, kind: McpSecretKind): boolean {
    return this.values.get(serverId)?.has(kind) ?? false;
  }

  /** `announce` false: the value came from the extension itself (no echo back). */
  set(serverId: string, kind: McpSecretKind, value: string | null, announce = true): void {
    const held = this.values.get(serverId) ?? new Map<McpSecretKind, string>();
    if (value === null || value === '') held.delete(kind);
    else held.set(kind, value);
    if (held.size > 0) this.values.set(serverId, held);
    else this.values.delete(serverId);
    this.versions.set(serverId, (this.versions.get(serverId) ?? 0) + 1);
    if (announce) for (const l of this.listeners) l(serverId, kind, value || null);
  }

  getJson<T>(serverId: string, kind: McpSecretKind): T | undefined {
    const raw = this.get(serverId, kind);
    if (raw === undefined) return undefined;
    try {
      return JSON.parse(raw) as T;
    } catch {
      return undefined;
    }
  }

  setJson(serverId: string, kind: McpSecretKind, value: unknown): void {
    this.set(serverId, kind, value === undefined || value === null ? null : JSON.stringify(value));
  }

  /** Changes whenever any secret of the server changes: part of the connection pool's key. */
  version(serverId: string): number {
    return this.versions.get(serverId) ?? 0;
  }

  forget(serverId: string): void {
    for (const kind of [...(this.values.get(serverId)?.keys() ?? [])]) this.set(serverId, kind, null);
  }

  onChange(listener: SecretListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
