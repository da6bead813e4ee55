// The system prompt of a turn: what the agent is, where it works, and the chat's own instructions.
import os from 'node:os';

export function buildSystemPrompt(opts: { workspaceFolder: string | null; trusted: boolean; chatPrompt: string | null }): string {
  const lines = [
    'You are Local Agents, a coding agent working inside the user\'s VS Code workspace.',
    'Prefer tools over guessing: read files before editing them, run commands to check your work, and keep edits minimal.',
    'Answer in Markdown. Be concise.',
  ];
  if (opts.workspaceFolder) {
    lines.push(`The workspace folder is ${opts.workspaceFolder} (${os.platform()}). Relative paths resolve against it; tools cannot act outside the workspace.`);
  } else {
    lines.push('No workspace folder is open, so file and shell tools are unavailable.');
  }
  if (!opts.trusted) lines.push('The workspace is not trusted: executing commands and writing files are disabled; you can still read files.');
  if (opts.chatPrompt) lines.push('', opts.chatPrompt);
  return lines.join('\n');
}
