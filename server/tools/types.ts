// The contract of a built-in tool: a zod schema for its arguments (the JSON Schema the model sees is
// derived from it), and a run function that acts inside the chat's workspace folder only.
import type { z } from 'zod';
import type { ProcessRegistry } from './processRegistry';

export interface ToolContext {
  chatId: string;
  /** Absolute, real path of the folder the chat is bound to; relative paths resolve against it. */
  workspaceFolder: string;
  /** Absolute, real paths no tool may read or write outside of (the workspace's folders). */
  allowedRoots: string[];
  /** Workspace Trust: false disables execute and every write. */
  trusted: boolean;
  signal: AbortSignal;
  processes: ProcessRegistry;
  /** Live output of a running tool (execute), shown while the call runs. */
  onOutput?: (delta: string) => void;
}

export interface Tool<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  schema: S;
  run(args: z.infer<S>, ctx: ToolContext): Promise<unknown>;
}

export interface ToolOutcome { result: unknown; is_error: boolean }
