// First run: no provider yet. Keys are entered in VS Code's own input boxes, never in the webview.
import { post } from '../rpc';

export function SetupCard() {
  return (
    <div class="card setup" data-testid="setup-card">
      <h3><span class="codicon codicon-plug" /> Connect a model provider</h3>
      <p>Local Agents talks to any OpenAI-compatible API (OpenAI, a local server, a gateway). Set <code>OPENAI_BASE_URL</code> / <code>OPENAI_API_KEY</code> before starting VS Code, or configure one now; the key is kept in VS Code's secret storage.</p>
      <button data-testid="setup-button" onClick={() => post({ type: 'runCommand', command: 'localAgents.configureProvider' })}>Configure Provider</button>
    </div>
  );
}
