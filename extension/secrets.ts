// Provider keys live in VS Code's SecretStorage only; the server gets them at run time.
import type * as vscode from 'vscode';

const keyName = (providerId: string) => `localAgents.providerKey.${providerId}`;

export class ProviderSecrets {
  constructor(private readonly storage: vscode.SecretStorage) {}

  get(providerId: string): Thenable<string | undefined> {
    return this.storage.get(keyName(providerId));
  }

  store(providerId: string, key: string): Thenable<void> {
    return this.storage.store(keyName(providerId), key);
  }

  delete(providerId: string): Thenable<void> {
    return this.storage.delete(keyName(providerId));
  }

  onDidChange(fn: (providerId: string) => void): vscode.Disposable {
    return this.storage.onDidChange((e) => {
      if (e.key.startsWith('localAgents.providerKey.')) fn(e.key.slice('localAgents.providerKey.'.length));
    });
  }
}
