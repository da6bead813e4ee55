// First run: no provider yet. The chat view shows the provider form (shared with the management panel).
import { ProviderForm } from './ProviderForm';

export function SetupCard() {
  return (
    <div class="card setup" data-testid="setup-card">
      <h3><span class="codicon codicon-plug" /> Connect a model provider</h3>
      <ProviderForm mode="setup" />
      <div class="hint">Or set <code>OPENAI_BASE_URL</code> / <code>OPENAI_API_KEY</code> before starting VS Code. The key is kept in VS Code's secret storage.</div>
    </div>
  );
}
