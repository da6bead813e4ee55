// The `local-agents` CLI: headless chats over the same capabilities and database as the extension.
import { parseArgs } from 'node:util';
import path from 'node:path';
import { createApp, type App } from '../app';
import { AppError, toAppError } from '../errors';
import { callerFor, type Caller } from '../handlers';
import { setLogLevel } from '../logger';
import { ensureModelConfig, ensureProvider, envSettings, OPENAI_BASE_URL } from '../models/envPreset';
import { NO_DEFAULT_MODEL } from '../models/modelConfigs';
import type { Chat, ChatMessage, ChatStreamEvent } from '../protocol';
import { defaultDbPath } from '../util/dataDir';
import { readFileSync, realpathSync } from 'node:fs';
import { continueChatHere, createChat } from '../chats/lifecycle';
import { compileRule } from '../permissions/rules';
import { compiledPermissions } from '../permissions/settings';
import { CreateChatParams } from '../protocol/requests';
import { readHeadlessSettings } from '../settings/settingsFile';
import { formatChatDiff, formatChatLine, formatMessage } from './format';
import { runMcpCli } from './mcp';
import { runModelsCli } from './models';
import { runUsageCli } from './usage';
import { callRequest, DEFAULT_API_PORT, parseListenAddress, runApiCommand, serveHttp } from './serve';
import { explainAbiMismatch, runOnBuiltRuntime } from './runtime';

const USAGE = `Usage:
  local-agents chat [--chat CHAT_ID] [--mode plan|default] [--mcp SLUG]... [--db FILE] [--workspace DIR] [--base-url URL | --provider NAME] [--model ID]
        [--allow RULE]... [--approve-all] [--json] MESSAGE      (--chat continues an existing chat; without --base-url:
        the default model, or the configured --model [of --provider])
  local-agents chats create [--label key=value]... [--mode plan] [--mcp SLUG]... [--tools FILE] [--json] MESSAGE
        (created here, run by the server of the folder: a VS Code window or \`serve\`; --tools: dynamic tools JSON)
  local-agents chats list [--db FILE] [--workspace DIR | --all-workspaces] [--archived] [--unread] [--label key:value]... [--q TEXT] [--limit N] [--json]
  local-agents chats show CHAT_ID [--db FILE] [--json]
  local-agents chats diff CHAT_ID [--refresh] [--db FILE] [--json]   (branch, changed files +/-, pull request; --refresh: read git and GitHub now)
  local-agents chats pin CHAT_ID [--order N] [--db FILE]
  local-agents chats unpin CHAT_ID [--db FILE]
  local-agents chats archive CHAT_ID [--undo] [--db FILE]
  local-agents chats label CHAT_ID key=value... | --clear [--db FILE]
  local-agents mcp probe|list|add|remove … (local-agents mcp --help)
  local-agents providers list|add|remove …   (named providers; add --key-env VAR names the variable holding the key)
  local-agents models list|add|default|remove …   (model configs with prices; local-agents models --help)
  local-agents usage [--by day|model|chat] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json|--csv]   (spend and tokens)
  local-agents requests list [--chat ID] [--model ID] [--outcome ok|error|retried] [--limit N] [--json]   (the request log)
  local-agents context add CHAT_ID [DIR] [--db FILE]   (instruction files and skills of DIR, default the chat's folder)
  local-agents context clear CHAT_ID [--db FILE]       (the next turn re-reads the defaults)
  local-agents checkpoints list CHAT_ID [--db FILE] [--json]   (the files the agent changed, per message)
  local-agents checkpoints restore CHAT_ID MESSAGE_ID [--dry-run] [--db FILE] [--json]
        (the files changed after MESSAGE_ID go back; files changed since by you are skipped)
  local-agents checkpoints undo CHAT_ID RESTORE_ID [--db FILE]  (undoes a restore)
  local-agents serve --http 127.0.0.1:PORT [--workspace DIR] [--db FILE] [--allow RULE]...
        (the HTTP API without VS Code: loopback only, bearer token, docs at /api/experimental/openapi.json)
  local-agents api token [--rotate] | api servers [--json]    (the API token; the servers with the API on)
  local-agents tool-results CHAT_ID FILE    (results of a chat's client tool calls: {"results": [{tool_call_id, output, is_error}]})
  local-agents call REQUEST [JSON]          (any request of the API by name, e.g. call GetChat '{"chat_id":"…"}')

Chat commands act on the chats of one workspace: --workspace DIR (default: the current folder), or every
workspace with --all-workspaces.

Approvals: \`chat\` runs what the permission rules allow (the read-only commands out of the box, plus
<data dir>/settings.json and the workspace's .vscode/settings.json, same keys as VS Code's settings) and
refuses anything that would ask, telling the model why. --allow RULE (repeatable, e.g. 'execute(npm test*)',
'write_file(src/**)') allows more for this chat; --approve-all allows everything but deny rules.

Environment: OPENAI_BASE_URL, OPENAI_API_KEY, OPENAI_MODEL (defaults for --base-url, the key, --model); GH_TOKEN or
GITHUB_TOKEN (pull request lookups, else \`gh auth token\`); the
variables providers were added with (--key-env); LOCAL_AGENTS_DATA_DIR (default data folder; --db defaults to <data dir>/chats.db).`;

const options = {
  db: { type: 'string' },
  workspace: { type: 'string' },
  'base-url': { type: 'string' },
  model: { type: 'string' },
  provider: { type: 'string' },
  json: { type: 'boolean' },
  archived: { type: 'boolean' },
  unread: { type: 'boolean' },
  label: { type: 'string', multiple: true },
  limit: { type: 'string' },
  order: { type: 'string' },
  undo: { type: 'boolean' },
  clear: { type: 'boolean' },
  allow: { type: 'string', multiple: true },
  'approve-all': { type: 'boolean' },
  'all-workspaces': { type: 'boolean' },
  chat: { type: 'string' },
  mode: { type: 'string' },
  mcp: { type: 'string', multiple: true },
  q: { type: 'string' },
  tools: { type: 'string' },
  http: { type: 'string' },
  rotate: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  refresh: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  verbose: { type: 'boolean', short: 'v' },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

function usageError(message: string): never {
  throw new AppError(2, `${message}\n\n${USAGE}`);
}

function intFlag(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) usageError(`--${name} must be an integer, got "${value}".`);
  return n;
}

/** `serve`: a server like a VS Code window's (approvals wait for a decision, every pending chat of the folder is run). */
async function withApp<T>(flags: Flags, runTurns: boolean, fn: (app: App, call: Caller) => Promise<T>, serve = false): Promise<T> {
  const workspace = realFolder(flags.workspace ?? process.cwd());
  const env = envSettings();
  const dbPath = flags.db ?? defaultDbPath();
  // Headless: the settings VS Code would hand over come from the data dir's settings.json.
  const headless = readHeadlessSettings(path.dirname(path.resolve(dbPath)), workspace);
  for (const w of headless.warnings) process.stderr.write(`warning: ${w}\n`);
  const app = await createApp({
    dbPath,
    workspace,
    workspaceFolders: [workspace],
    runTurns,
    env: { ...env, baseUrl: flags['base-url'] ?? env.baseUrl, model: flags.model ?? env.model },
    settings: serve ? { ...headless.settings, permissions: { ...headless.settings.permissions, sessionAllow: allowRules(flags) } } : headless.settings,
    settingsOwner: { kind: 'file', path: headless.file },
    // Nobody can answer an approval here: a call that would ask is refused, and the model reads why.
    onAsk: serve ? 'suspend' : 'deny',
    scope: flags['all-workspaces'] ? 'all' : 'workspace',
    // The CLI runs its own chat (and its subagents), never another pending chat of the folder.
    worker: { onlyReserved: !serve },
  });
  for (const e of compiledPermissions(app.ctx.settings.permissions).errors) process.stderr.write(`warning: ${headless.file}: ${e}\n`);
  try {
    return await fn(app, callerFor(app));
  } finally {
    await app.close();
  }
}

function realFolder(dir: string): string {
  const abs = path.resolve(dir);
  try { return realpathSync(abs); } catch { return abs; }
}

/** --allow rules are checked before anything runs: a bad one is a usage error naming it. */
function allowRules(flags: Flags): string[] {
  const rules = flags.allow ?? [];
  for (const r of rules) {
    try {
      compileRule(r, 'allow', 'cli');
    } catch (err) {
      usageError(`--allow: ${(err as Error).message}`);
    }
  }
  return rules;
}

/** --mcp SLUG (repeatable): the ids of those servers; an unknown slug is a usage error naming it. */
async function mcpServerIds(flags: Flags, call: Caller): Promise<string[] | undefined> {
  if (!flags.mcp?.length) return undefined;
  const servers = await call('ListMcpServers', {});
  return flags.mcp.map((slug) => servers.find((s) => s.slug.toLowerCase() === slug.toLowerCase() || s.id === slug)?.id
    ?? usageError(`--mcp ${slug}: no MCP server with that slug (local-agents mcp list).`));
}

function modeFlag(flags: Flags): 'plan' | 'default' | undefined {
  if (flags.mode === undefined) return undefined;
  if (flags.mode !== 'plan' && flags.mode !== 'default') usageError(`--mode must be "plan" or "default", got "${flags.mode}".`);
  return flags.mode;
}

/** The provider at this URL (made when missing) and its model --model or OPENAI_MODEL, made when missing. */
function modelAtUrl(app: App, baseUrl: string, model: string | undefined): string {
  const { ctx } = app;
  const env = envSettings();
  const provider = ensureProvider(ctx, baseUrl, 'env_preset');
  if (env.apiKey && !ctx.keys.has(provider.id)) ctx.keys.set(provider.id, env.apiKey, 'centralized');
  if (!model) usageError('--model (or OPENAI_MODEL) is required with --base-url when the provider has no model configured.');
  return ensureModelConfig(ctx, provider.id, model).id;
}

/**
 * The model config of a `chat` run: --base-url names a provider by URL; --model [--provider] a configured model
 * (else, when OPENAI_BASE_URL or OPENAI_API_KEY is set, that model at the environment's provider); neither:
 * undefined, the default model config.
 */
async function chatModel(app: App, call: Caller, flags: Flags): Promise<string | undefined> {
  const env = envSettings();
  if (flags['base-url']) {
    if (flags.provider) usageError('--provider and --base-url are exclusive: --provider names a configured provider, --base-url any URL.');
    return modelAtUrl(app, flags['base-url'], flags.model ?? env.model);
  }
  if (!flags.model && !flags.provider) return undefined;
  const providers = await call('ListProviders', {});
  const provider = flags.provider === undefined ? undefined
    : providers.find((p) => p.provider_name === flags.provider || p.id === flags.provider)
      ?? usageError(`--provider ${flags.provider}: no provider with that name or id (local-agents providers list).`);
  const configs = (await call('ListModelConfigs', {})).filter((m) => m.enabled && (!provider || m.provider_id === provider.id));
  if (!flags.model) {
    return (configs.find((m) => m.is_default) ?? configs[0])?.id
      ?? usageError(`--provider ${flags.provider}: it has no models (local-agents models add --provider ${flags.provider} --model ID).`);
  }
  const matches = configs.filter((m) => m.model === flags.model || m.id === flags.model);
  if (matches.length === 1) return matches[0].id;
  if (matches.length > 1) {
    const names = matches.map((m) => providers.find((p) => p.id === m.provider_id)?.provider_name ?? m.provider_id);
    return matches.find((m) => m.is_default)?.id ?? usageError(`--model ${flags.model}: providers ${names.join(', ')} have it; choose one with --provider NAME.`);
  }
  if (!provider && (env.baseUrl || env.apiKey)) return modelAtUrl(app, env.baseUrl ?? OPENAI_BASE_URL, flags.model);
  return usageError(`--model ${flags.model}: no configured model${provider ? ` of provider "${provider.provider_name}"` : ''} has that id (local-agents models list); `
    + 'add it with local-agents models add, or give --base-url.');
}

/** No model at all: say how to configure one from here. */
function withSetupHint<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof AppError) || err.message !== NO_DEFAULT_MODEL) throw err;
    throw new AppError(err.status, NO_DEFAULT_MODEL, 'Add a provider and a model: local-agents providers add --name NAME --type openai|openai-compat|azure '
      + '--base-url URL --key-env VAR, then local-agents models add --provider NAME --model ID (or run with --base-url URL --model ID).', err.field);
  }
}

async function runChat(flags: Flags, words: string[]): Promise<number> {
  const text = words.join(' ').trim();
  if (!text) usageError('MESSAGE is required.');
  const rules = allowRules(flags);
  const mode = modeFlag(flags);
  return withApp(flags, true, async (app, call) => {
    const { ctx } = app;
    const modelConfigId = await chatModel(app, call, flags);
    const mcp = await mcpServerIds(flags, call);
    let chatId = flags.chat ?? '';
    let finalStatus: Chat['status'] | undefined;
    let lastError: string | undefined;
    let sawRun = false;
    const done = new Promise<void>((resolve) => {
      ctx.events.onStream((id, events: ChatStreamEvent[]) => {
        if (id !== chatId) return;
        for (const ev of events) {
          if (flags.json) process.stdout.write(JSON.stringify({ chat_id: id, ...ev }) + '\n');
          else if (ev.type === 'message_part' && ev.part.type === 'text') process.stdout.write(ev.part.text);
          else if (ev.type === 'message' && ev.message.role === 'assistant') printToolCalls(ev.message);
          else if (ev.type === 'retry') process.stderr.write(`\n[retry ${ev.attempt} in ${ev.delay_ms} ms: ${ev.error}]\n`);
          if (ev.type === 'error') lastError = ev.error.message + (ev.error.detail ? ` (${ev.error.detail})` : '');
          if (ev.type === 'status') {
            if (ev.status === 'running') sawRun = true;
            if (sawRun && ['waiting', 'error', 'requires_action', 'completed'].includes(ev.status)) {
              finalStatus = ev.status;
              resolve();
            }
          }
        }
      });
    });
    const content = [{ type: 'text' as const, text }];
    if (flags.chat) {
      // An existing chat: this process runs its turn (it must be idle), with the --allow rules added to it.
      continueChatHere(ctx, flags.chat, { reservedBy: ctx.workerId, rules });
      await call('SendMessage', { chat_id: flags.chat, content, model_config_id: modelConfigId, mode, mcp_server_ids: mcp });
    } else {
      const params = CreateChatParams.parse({ content, client_type: 'api', model_config_id: modelConfigId, mode, mcp_server_ids: mcp, permission_mode: flags['approve-all'] ? 'bypass' : undefined });
      // Created reserved for this process, so another window's server on the same folder does not take it.
      chatId = withSetupHint(() => createChat(ctx, params, { reservedBy: ctx.workerId, rules }).id);
    }
    const onSigint = () => void call('InterruptChat', { chat_id: chatId });
    process.on('SIGINT', onSigint);
    await done;
    process.off('SIGINT', onSigint);
    if (!flags.json) process.stdout.write('\n');
    if (finalStatus === 'error') {
      process.stderr.write(`error: ${lastError ?? 'the turn failed'}\n`);
      return 1;
    }
    if (finalStatus === 'requires_action' && !flags.json) {
      process.stderr.write(`chat ${chatId} waits for client tool results: local-agents tool-results ${chatId} FILE\n`);
      return 0;
    }
    if (!flags.json) process.stderr.write(`chat ${chatId}\n`);
    return 0;
  });
}

function readJsonFile(file: string, flag: string): unknown {
  try {
    return JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8'));
  } catch (err) {
    return usageError(`${flag} ${file}: ${(err as Error).message}`);
  }
}

function printToolCalls(message: ChatMessage): void {
  for (const part of message.content) {
    if (part.type === 'tool-call') process.stdout.write(`\n[${part.model_intent ?? part.tool_name} ${part.args}]\n`);
  }
}

async function runChats(flags: Flags, args: string[]): Promise<number> {
  const [sub, id, ...rest] = args;
  const needId = () => id ?? usageError(`chats ${sub}: CHAT_ID is required.`);
  return withApp(flags, false, async (_app, call) => {
    const print = (value: unknown, human: () => string) => process.stdout.write((flags.json ? JSON.stringify(value, null, 2) : human()) + '\n');
    switch (sub) {
      case 'list': {
        const page = await call('ListChats', {
          workspace: flags['all-workspaces'] && flags.workspace ? realFolder(flags.workspace) : undefined,
          archived: flags.archived ?? false,
          has_unread: flags.unread ? true : undefined,
          label: flags.label,
          q: flags.q,
          limit: intFlag(flags.limit, 'limit'),
        });
        print(page, () => page.chats.map(formatChatLine).join('\n') || '(no chats)');
        return 0;
      }
      case 'create': {
        // The chat is created here and run by whichever server serves this folder (a VS Code window, `serve`).
        const text = [id, ...rest].filter(Boolean).join(' ').trim();
        if (!text) usageError('chats create: MESSAGE is required.');
        const labels: Record<string, string> = {};
        for (const kv of flags.label ?? []) {
          const i = kv.indexOf('=');
          if (i <= 0) usageError(`--label "${kv}" is not key=value.`);
          labels[kv.slice(0, i)] = kv.slice(i + 1);
        }
        const chat = await call('CreateChat', {
          content: [{ type: 'text', text }], labels, mode: modeFlag(flags), mcp_server_ids: await mcpServerIds(flags, call),
          unsafe_dynamic_tools: flags.tools ? readJsonFile(flags.tools, '--tools') as never : undefined,
        });
        print(chat, () => `${formatChatLine(chat)}${chat.warnings?.length ? `\n${chat.warnings.map((w) => `warning: ${w}`).join('\n')}` : ''}`);
        return 0;
      }
      case 'show': {
        const chat = await call('GetChat', { chat_id: needId() });
        const page = await call('GetMessages', { chat_id: chat.id, limit: 200 });
        print({ chat, ...page }, () => [formatChatLine(chat), '', ...page.messages.map(formatMessage)].join('\n'));
        return 0;
      }
      case 'pin':
      case 'unpin': {
        const order = sub === 'unpin' ? 0 : (intFlag(flags.order, 'order') ?? 1_000_000);
        const chat = await call('UpdateChat', { chat_id: needId(), pin_order: order });
        print(chat, () => formatChatLine(chat));
        return 0;
      }
      case 'archive': {
        const chat = await call('UpdateChat', { chat_id: needId(), archived: !flags.undo });
        print(chat, () => formatChatLine(chat));
        return 0;
      }
      case 'label': {
        if (!flags.clear && rest.length === 0) usageError('chats label: give key=value pairs or --clear.');
        const labels: Record<string, string> = {};
        for (const kv of rest) {
          const i = kv.indexOf('=');
          if (i < 0) usageError(`chats label: "${kv}" is not key=value.`);
          labels[kv.slice(0, i)] = kv.slice(i + 1);
        }
        const chat = await call('UpdateChat', { chat_id: needId(), labels: flags.clear ? {} : labels });
        print(chat, () => formatChatLine(chat));
        return 0;
      }
      case 'diff': {
        const diff = await call(flags.refresh ? 'RefreshChatDiff' : 'GetChatDiff', { chat_id: needId() });
        print(diff, () => formatChatDiff(diff));
        return 0;
      }
      default:
        return usageError(`unknown chats command "${sub ?? ''}".`);
    }
  });
}

async function runContext(flags: Flags, args: string[]): Promise<number> {
  const [sub, id, dir] = args;
  if (!id) usageError(`context ${sub ?? ''}: CHAT_ID is required.`);
  return withApp(flags, false, async (app, call) => {
    const chat = await call('GetChat', { chat_id: id });
    // The chat's own workspace, so DIR is checked against the folders its tools may use.
    app.setWorkspace({ workspace: chat.workspace, folders: [chat.workspace_folder ?? chat.workspace] });
    if (sub === 'add') {
      const meta = await call('AddChatContext', { chat_id: id, dir: dir ? path.resolve(dir) : undefined });
      process.stdout.write(flags.json ? JSON.stringify(meta, null, 2) + '\n' : [...meta.files.map((f) => `file  ${f.path}${f.truncated ? ' (truncated)' : ''}`), ...meta.skills.map((s) => `skill ${s.name}: ${s.description}`)].join('\n') + '\n');
      return 0;
    }
    if (sub === 'clear') {
      const r = await call('ClearChatContext', { chat_id: id });
      process.stdout.write(`cleared ${r.deleted_message_ids.length} context message(s)\n`);
      return 0;
    }
    return usageError(`unknown context command "${sub ?? ''}".`);
  });
}

async function runCheckpoints(flags: Flags, args: string[]): Promise<number> {
  const [sub, id, n] = args;
  if (!id) usageError(`checkpoints ${sub ?? ''}: CHAT_ID is required.`);
  const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return withApp(flags, false, async (app, call) => {
    const chat = await call('GetChat', { chat_id: id });
    // Restores write only inside the chat's own folders.
    app.setWorkspace({ workspace: chat.workspace, folders: [chat.workspace_folder ?? chat.workspace] });
    if (sub === 'list') {
      const changes = await call('ListFileChanges', { chat_id: id });
      if (flags.json) return out(JSON.stringify(changes, null, 2)), 0;
      out(changes.length === 0 ? 'no file changes' : changes.map((c) => `${String(c.id).padStart(5)}  msg ${String(c.message_id ?? '-').padStart(5)}  ${c.state.padEnd(7)} ${c.source.padEnd(10)} +${c.added} -${c.removed}  ${c.relative_path}${c.restore_id ? `  (restore ${c.restore_id})` : ''}`).join('\n'));
      return 0;
    }
    const number = Number(n);
    if (!n || !Number.isInteger(number) || number <= 0) usageError(`checkpoints ${sub}: ${sub === 'undo' ? 'RESTORE_ID' : 'MESSAGE_ID'} must be a positive integer.`);
    const result = sub === 'restore' ? await call('RestoreCheckpoint', { chat_id: id, message_id: number, dry_run: flags['dry-run'] ?? false })
      : sub === 'undo' ? await call('UndoRestore', { chat_id: id, restore_id: number })
        : usageError(`unknown checkpoints command "${sub ?? ''}".`);
    if (flags.json) return out(JSON.stringify(result, null, 2)), 0;
    const verb = result.dry_run ? 'would restore' : 'restored';
    out([...result.restored.map((r) => `${verb} ${r.path} (${r.action})`), ...result.skipped.map((s) => `skipped ${s.path}: ${s.reason}`),
      result.restore_id ? `restore ${result.restore_id} (undo: local-agents checkpoints undo ${id} ${result.restore_id})` : result.restored.length === 0 && result.skipped.length === 0 ? 'nothing to restore' : ''].filter(Boolean).join('\n'));
    return result.skipped.length > 0 ? 3 : 0;
  });
}

/** Usage errors exit 2, everything else 1, with the message, detail and field. */
function reportCliError(err: unknown): number {
  const abi = explainAbiMismatch(err);
  if (abi) {
    process.stderr.write(`error: ${abi}\n`);
    return 1;
  }
  const e = toAppError(err);
  if (e.status === 2) {
    process.stderr.write(`${e.message}\n`);
    return 2;
  }
  process.stderr.write(`error: ${e.message}${e.detail ? `\n  ${e.detail}` : ''}${e.field ? `\n  field: ${e.field}` : ''}\n`);
  return 1;
}

export async function runCli(argv: string[]): Promise<number> {
  // These have their own flags (cli/mcp.ts, cli/models.ts, cli/usage.ts).
  if (argv[0] === 'mcp' || argv[0] === 'providers' || argv[0] === 'models' || argv[0] === 'usage' || argv[0] === 'requests') {
    try {
      if (argv[0] === 'mcp') return await runMcpCli(argv.slice(1));
      if (argv[0] === 'usage' || argv[0] === 'requests') return await runUsageCli(argv);
      return await runModelsCli(argv);
    } catch (err) {
      return reportCliError(err);
    }
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values: flags, positionals } = parsed;
  setLogLevel(flags.verbose ? 'debug' : 'warn');
  if (flags.help || positionals.length === 0) {
    process.stdout.write(USAGE + '\n');
    return flags.help ? 0 : 2;
  }
  const [command, ...rest] = positionals;
  try {
    if (command === 'chat') return await runChat(flags, rest);
    if (command === 'chats') return await runChats(flags, rest);
    if (command === 'context') return await runContext(flags, rest);
    if (command === 'checkpoints') return await runCheckpoints(flags, rest);
    if (command === 'serve') {
      if (!flags.http) usageError(`serve: --http HOST:PORT is required (for example --http 127.0.0.1:${DEFAULT_API_PORT}).`);
      const listen = parseListenAddress(flags.http);
      return await withApp(flags, true, (app) => serveHttp(app, listen, (l) => process.stdout.write(`${l}\n`)), true);
    }
    if (command === 'api') return runApiCommand(rest[0], path.dirname(path.resolve(flags.db ?? defaultDbPath())), flags, (l) => process.stdout.write(`${l}\n`));
    if (command === 'tool-results') {
      const [chatId, file] = rest;
      if (!chatId || !file) usageError('tool-results: CHAT_ID and FILE are required (FILE: {"results": [...]} or a list of results; - for stdin).');
      const body = readJsonFile(file, 'tool-results');
      const results = Array.isArray(body) ? body : (body as { results?: unknown }).results;
      return await withApp(flags, false, async (_app, call) => {
        await call('SubmitToolResults', { chat_id: chatId, results: results as never });
        process.stdout.write(`submitted ${Array.isArray(results) ? results.length : 0} result(s); chat ${chatId} resumes\n`);
        return 0;
      });
    }
    if (command === 'call') {
      return await withApp(flags, false, async (app) => {
        process.stdout.write(`${JSON.stringify(await callRequest(app, rest[0], rest[1]), null, 2)}\n`);
        return 0;
      });
    }
    return usageError(`unknown command "${command}".`);
  } catch (err) {
    return reportCliError(err);
  }
}

if (require.main === module) {
  const reexecuted = runOnBuiltRuntime(process.argv.slice(2));
  if (reexecuted !== undefined) process.exit(reexecuted);
  else void runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
