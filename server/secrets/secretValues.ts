// User secrets' values, held in this process's memory only: the extension hands them over from SecretStorage.
// The name goes with each value so output can be scrubbed to `[secret:NAME]`.
export class SecretValues {
  private readonly values = new Map<string, { value: string; name: string }>();

  set(id: string, value: string | null, name = id): void {
    if (value) this.values.set(id, { value, name });
    else this.values.delete(id);
  }

  rename(id: string, name: string): void {
    const held = this.values.get(id);
    if (held) held.name = name;
  }

  get(id: string): string | undefined {
    return this.values.get(id)?.value;
  }

  nameOf(id: string): string | undefined {
    return this.values.get(id)?.name;
  }

  has(id: string): boolean {
    return this.values.has(id);
  }

  ids(): string[] {
    return [...this.values.keys()];
  }
}
