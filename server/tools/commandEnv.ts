// The environment a command runs with (anchor: Codex's shell_environment_policy). By default a command does
// not get variables whose names look secret (KEY, SECRET, TOKEN, PASSWORD, CREDENTIAL, any case) nor the
// server's own; settings name variables to pass through anyway (GITHUB_TOKEN for gh) and more to drop.
// Nothing can make a command wait for input, page its output or colour it.

export interface CommandEnvSettings {
  /** Names passed through although they look secret. */
  passThrough: string[];
  /** Further names to drop. */
  drop: string[];
}

export const defaultCommandEnvSettings = (): CommandEnvSettings => ({ passThrough: [], drop: [] });

const SECRET_LOOKING = /KEY|SECRET|TOKEN|PASSWORD|CREDENTIAL/i;
/** The server's own: provider keys it holds and its configuration; never a command's business. */
const SERVER_OWN = /^(OPENAI_API_KEY|LOCAL_AGENTS_.+)$/;

const NON_INTERACTIVE: NodeJS.ProcessEnv = {
  GIT_EDITOR: 'true', GIT_SEQUENCE_EDITOR: 'true', EDITOR: 'true', VISUAL: 'true', GIT_TERMINAL_PROMPT: '0',
  NO_COLOR: '1', TERM: 'dumb', PAGER: 'cat', GIT_PAGER: 'cat', LOCAL_AGENTS_AGENT: 'true',
};

export function isDroppedVariable(name: string, policy: CommandEnvSettings): boolean {
  if (SERVER_OWN.test(name)) return true;
  if (policy.drop.includes(name)) return true;
  return SECRET_LOOKING.test(name) && !policy.passThrough.includes(name);
}

export function commandEnv(policy: CommandEnvSettings, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) if (!isDroppedVariable(name, policy)) env[name] = value;
  return { ...env, ...NON_INTERACTIVE };
}
