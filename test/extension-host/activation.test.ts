// The extension is installed, activates, and registers the commands the UI relies on.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'local-agents.local-agents';
const EXPECTED_COMMANDS = ['localAgents.newChat', 'localAgents.focusChat'];

describe('activation', () => {
  it('finds the extension and activates it', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not installed`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers the chat commands', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    await extension?.activate();
    const commands = new Set(await vscode.commands.getCommands(true));
    const missing = EXPECTED_COMMANDS.filter((id) => !commands.has(id));
    assert.deepEqual(missing, [], `commands not registered: ${missing.join(', ')}`);
  });

  it('declares every expected command in package.json', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    const contributes = (extension?.packageJSON as { contributes?: { commands?: Array<{ command: string }> } }).contributes;
    const declared = new Set((contributes?.commands ?? []).map((c) => c.command));
    for (const id of EXPECTED_COMMANDS) assert.ok(declared.has(id), `${id} missing from contributes.commands`);
  });
});
