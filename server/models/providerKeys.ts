// API keys held in this process's memory only. The extension hands them over from SecretStorage at start;
// the CLI takes OPENAI_API_KEY. Nothing here is ever persisted, logged or returned.
export interface HeldKey { value: string; kind: 'personal' | 'centralized' }

export class ProviderKeys {
  private readonly keys = new Map<string, HeldKey>();

  set(providerId: string, value: string | null, kind: HeldKey['kind'] = 'personal'): void {
    if (value) this.keys.set(providerId, { value, kind });
    else this.keys.delete(providerId);
  }

  get(providerId: string): HeldKey | undefined {
    return this.keys.get(providerId);
  }

  has(providerId: string): boolean {
    return this.keys.has(providerId);
  }
}

/** A hint that lets a person tell keys apart without revealing them: never more than the last 4 characters (`…abcd`). */
export function maskKey(value: string | undefined): string | null {
  if (!value) return null;
  // A short key would be mostly revealed by its last four.
  if (value.length < 12) return '…';
  return `…${value.slice(-4)}`;
}
