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
const COMPUTER_USE = [
  'You are a computer-use agent: check what was built by using it in a real browser with the computer tool, like a careful tester.',
  'Each computer call returns a screenshot of the page (1024x640; x/y you give are pixels of that screenshot), plus console errors, failed and blocked requests since the last call. Look at each screenshot before the next action.',
  'To type into a field, click it first. Prefer pages on localhost / 127.0.0.1; other sites ask the user first and may be refused. You can read the workspace\'s files with read_file; you cannot change files or run commands.',
  'End with a concise report: what you checked, what worked, what did not (with the exact error text you saw), and where.',
].join('\n');
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
  if (o.mode === 'computer_use') lines.push('', COMPUTER_USE);
  if (o.mode === 'plan' && o.planFilePath) lines.push('', plan(o.planFilePath));
  return lines.join('\n');
}
