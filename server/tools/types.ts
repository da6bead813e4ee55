// The contract of a built-in tool: a zod schema for its arguments (the JSON Schema the model sees is
// derived from it), and a run function that acts inside the chat's workspace folder only.
import type { CheckpointRecorder } from '../checkpoints/recorder';
import type { z } from 'zod';
import type { CommandEnvSettings } from './commandEnv';
import type { CommandSecrets } from '../secrets/commandSecrets';
import type { ProcessRegistry } from './processRegistry';
import type { BrowserSession } from '../computer/browserSession';

export interface ToolContext {
  chatId: string;
  /** The model's id for this call (absent for plain tool runs). */
  toolCallId?: string;
  /** Absolute, real path of the folder the chat is bound to; relative paths resolve against it. */
  workspaceFolder: string;
  /** Absolute, real paths no tool may read or write outside of (the workspace's folders). */
  allowedRoots: string[];
  /** Workspace Trust: false disables execute and every write. */
  trusted: boolean;
  signal: AbortSignal;
  processes: ProcessRegistry;
  /** Which environment variables commands get (secret-looking ones are dropped). */
  envPolicy: CommandEnvSettings;
  /** The user's secrets enabled for this chat: env vars and files commands get on top of the policy. */
  secrets?: CommandSecrets;
  /** Live output of a running tool (execute), shown while the call runs. */
  onOutput?: (delta: string) => void;
  /** The chat-level capabilities of plan mode and subagents; absent for plain tool runs (tests, probes). */
  agent?: AgentHost;
  /** Keeps each file's content before the tool changes it (undo); absent for plain tool runs. */
  checkpoints?: CheckpointRecorder;
}

export type ChildType = 'general' | 'explore' | 'computer_use';
export interface ChildSummary { chat_id: string; title: string; status: string; type: ChildType }
export interface ChildWaitResult extends ChildSummary { timed_out: boolean; report: string; last_error?: string }

/** What plan-mode and subagent tools may ask of the running chat. Implemented in agent/agentHost.ts. */
export interface AgentHost {
  chatId: string;
  /** Absolute path of this chat's plan file (plan mode writes only there). */
  planFilePath: string;
  linkPlanFile(absPath: string): { file_id: string };
  spawnChild(opts: { type: ChildType; prompt: string; title?: string; modelConfigId?: string; toolCallId?: string }): ChildSummary;
  waitChild(chatId: string, timeoutMs: number, signal: AbortSignal): Promise<ChildWaitResult>;
  messageChild(chatId: string, message: string, interrupt: boolean): ChildSummary;
  listChildren(limit: number, offset: number): ChildSummary[];
  readSkill(name: string): { name: string; dir: string; body: string; files: string[] };
  /** Computer use: this chat's browser, opened on first use (closed when the turn ends). */
  browser(): Promise<BrowserSession>;
  /** Computer use: the model config a computer-use child would run on, or why it cannot (a model without image input). */
  computerUseModel(): { id: string; problem?: string };
}

export interface Tool<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  schema: S;
  run(args: z.infer<S>, ctx: ToolContext): Promise<unknown>;
}

export interface ToolOutcome { result: unknown; is_error: boolean }
