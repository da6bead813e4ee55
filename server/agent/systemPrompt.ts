// The system prompt of a turn: what the agent is, where it works, its mode's rules, skills, and the chat's own instructions.
import os from 'node:os';
import type { ChatMode } from '../protocol';
import type { SkillInfo } from '../modes/contextFiles';

export interface PromptInput {
  workspaceFolder: string | null;
  trusted: boolean;
  chatPrompt: string | null;
  mode?: ChatMode;
  isSubagent?: boolean;
  planFilePath?: string | null;
  skills?: SkillInfo[];
}

const SUBAGENT = 'You are a subagent working for another agent. Do the task you were given, then end with a concise report of what you found or did; that report is all the other agent sees.';
const EXPLORE = 'You are an explore agent: investigate (read files, run read-only commands) and report back. Do not change anything: you cannot write files or start other agents.';
const plan = (file: string) => [
  'You are in PLAN MODE. Do not implement anything yet.',
  `The only file you may write is the plan file: ${file}. If it already exists, read it first.`,
  'Explore as much as you need (read files, run commands). If something important is unclear, ask with ask_user_question.',
  'When the plan is complete, write it to the plan file as Markdown and call propose_plan with its path, then stop. The user approves it or asks for changes.',
].join('\n');

export function buildSystemPrompt(o: PromptInput): string {
  const lines: string[] = [];
  if (o.isSubagent) lines.push(SUBAGENT);
  lines.push(
    'You are Local Agents, a coding agent working inside the user\'s VS Code workspace.',
    'Prefer tools over guessing: read files before editing them, run commands to check your work, and keep edits minimal.',
    'Answer in Markdown. Be concise.',
  );
  if (o.workspaceFolder) {
    lines.push(`The workspace folder is ${o.workspaceFolder} (${os.platform()}). Relative paths resolve against it; tools cannot act outside the workspace.`);
  } else {
    lines.push('No workspace folder is open, so file and shell tools are unavailable.');
  }
  if (!o.trusted) lines.push('The workspace is not trusted: executing commands and writing files are disabled; you can still read files.');
  if (o.skills && o.skills.length > 0) {
    lines.push('', '<available-skills>', ...o.skills.map((s) => `- ${s.name}: ${s.description}`), '</available-skills>', 'Read a skill with read_skill before following it.');
  }
  if (o.chatPrompt) lines.push('', o.chatPrompt);
  if (o.mode === 'explore') lines.push('', EXPLORE);
  if (o.mode === 'plan' && o.planFilePath) lines.push('', plan(o.planFilePath));
  return lines.join('\n');
}
