// `local-agents providers …` and `models …`: headless setup of named providers and their model configs through
// the table's requests. A provider added here names the environment variable holding its key (like Codex's
// env_key): a key given on a command line would stay in the shell history and the process list.
import { parseArgs } from 'node:util';
import type { Caller } from '../handlers';
import { setLogLevel } from '../logger';
import { DEFAULT_CONTEXT_LIMIT, OPENAI_BASE_URL } from '../models/envPreset';
import type { ModelConfig, ModelOptions, Pricing, Provider } from '../protocol';
import { namingFlags, usageErrorWith, wholeNumber, withCaller, type UsageError } from './flags';
import { formatTable } from './format';

export const MODELS_USAGE = `Usage:
  local-agents providers list [--db FILE] [--json]
  local-agents providers add --name NAME --type openai|openai-compat|azure [--base-url URL] [--key-env VAR] [--api-version V] [--db FILE] [--json]
        (--key-env VAR: the environment variable that holds the key, read by every run; the CLI never takes a
         key itself. In VS Code a key stored with "Manage Providers and Models" wins over it. --base-url defaults
         to ${OPENAI_BASE_URL} for openai; azure: the resource endpoint and --api-version)
  local-agents providers remove NAME|ID [--db FILE]     (its models go too; the default moves to another model)
  local-agents models list [--db FILE] [--json]
  local-agents models add --provider NAME --model ID [--display-name S] [--context-limit N] [--images yes|no|unknown]
        [--price-input $/M] [--price-output $/M] [--price-cache-read $/M] [--price-cache-write $/M]
        [--deployment D] [--default] [--db FILE] [--json]
        (prices: dollars per million tokens, e.g. 2.50; without prices its usage shows as unpriced;
         --context-limit defaults to ${DEFAULT_CONTEXT_LIMIT}; --deployment: the Azure deployment serving the model)
  local-agents models default ID | --provider NAME --model ID [--db FILE]   (new chats use it)
  local-agents models remove ID | --provider NAME --model ID [--db FILE]`;

const options = {
  db: { type: 'string' },
  json: { type: 'boolean' },
  name: { type: 'string' },
  type: { type: 'string' },
  'base-url': { type: 'string' },
  'key-env': { type: 'string' },
  'api-version': { type: 'string' },
  // Taken only to refuse them with the reason (an unknown flag would just be "unknown").
  key: { type: 'string' },
  'api-key': { type: 'string' },
  provider: { type: 'string' },
  model: { type: 'string' },
  'display-name': { type: 'string' },
  'context-limit': { type: 'string' },
  images: { type: 'string' },
  'price-input': { type: 'string' },
  'price-output': { type: 'string' },
  'price-cache-read': { type: 'string' },
  'price-cache-write': { type: 'string' },
  deployment: { type: 'string' },
  default: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

const usageError: UsageError = usageErrorWith(MODELS_USAGE);

/** The request fields these flags fill. */
const PROVIDER_FIELDS = { provider: 'type', provider_name: 'name', base_url: 'base-url', key_env: 'key-env', api_version: 'api-version' };
const MODEL_FIELDS = {
  model: 'model', display_name: 'display-name', context_limit: 'context-limit', image_input: 'images', deployment: 'deployment',
  input_price_per_million_tokens: 'price-input', output_price_per_million_tokens: 'price-output',
  cache_read_price_per_million_tokens: 'price-cache-read', cache_write_price_per_million_tokens: 'price-cache-write',
};

function providerRows(list: Provider[]): string {
  if (list.length === 0) return '(no providers: local-agents providers add --name NAME --type TYPE --base-url URL --key-env VAR)';
  return formatTable([['NAME', 'TYPE', 'BASE URL', 'KEY', 'KEY ENV', 'ID'],
    ...list.map((p) => [p.provider_name, p.provider, p.base_url + (p.options.api_version ? ` (api-version ${p.options.api_version})` : ''), p.key_source, p.key_env ?? '-', p.id])]);
}

function pricesLabel(cost: Pricing | undefined): string {
  const parts = ([['in', cost?.input_price_per_million_tokens], ['out', cost?.output_price_per_million_tokens],
    ['cache read', cost?.cache_read_price_per_million_tokens], ['cache write', cost?.cache_write_price_per_million_tokens]] as const)
    .filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${v}`);
  return parts.length ? `${parts.join(', ')} $/M` : 'unpriced';
}

type NamedConfig = ModelConfig & { provider_name: string };

function modelRows(list: NamedConfig[]): string {
  if (list.length === 0) return '(no models: local-agents models add --provider NAME --model ID)';
  return formatTable([['DEFAULT', 'PROVIDER', 'MODEL', 'CONTEXT', 'IMAGES', 'PRICES', 'ID'],
    ...list.map((m) => [m.is_default ? '*' : '', m.provider_name, m.model + (m.display_name !== m.model ? ` (${m.display_name})` : '') + (m.enabled ? '' : ' [disabled]'),
      String(m.context_limit), m.options.image_input ?? 'unknown', pricesLabel(m.options.cost), m.id])]);
}

async function namedConfigs(call: Caller): Promise<NamedConfig[]> {
  const names = new Map((await call('ListProviders', {})).map((p) => [p.id, p.provider_name]));
  return (await call('ListModelConfigs', {})).map((m) => ({ ...m, provider_name: names.get(m.provider_id) ?? m.provider_id }));
}

/** By provider_name or id; a name may differ in case when only one provider matches. */
async function findProvider(call: Caller, target: string, flag: string): Promise<Provider> {
  const list = await call('ListProviders', {});
  const exact = list.find((p) => p.provider_name === target || p.id === target);
  const folded = list.filter((p) => p.provider_name.toLowerCase() === target.toLowerCase());
  return exact ?? (folded.length === 1 ? folded[0] : undefined)
    ?? usageError(`${flag} ${target}: no provider with that name or id (local-agents providers list).`);
}

/** `ID` or `--provider NAME --model ID`. */
async function findModel(call: Caller, flags: Flags, id: string | undefined, sub: string): Promise<NamedConfig> {
  const configs = await namedConfigs(call);
  if (id) return configs.find((m) => m.id === id) ?? usageError(`models ${sub} ${id}: no model config with that id (local-agents models list).`);
  if (!flags.provider || !flags.model) usageError(`models ${sub}: give the model config's ID, or --provider NAME and --model ID.`);
  const provider = await findProvider(call, flags.provider, '--provider');
  return configs.find((m) => m.provider_id === provider.id && m.model === flags.model)
    ?? usageError(`--model ${flags.model}: provider "${provider.provider_name}" has no such model (local-agents models list).`);
}

const defaultLine = (configs: NamedConfig[]) => {
  const d = configs.find((m) => m.is_default);
  return d ? `default: ${d.provider_name} ${d.model}` : 'no default model left: local-agents models add --provider NAME --model ID';
};

/** "2.50" or "$2.50": the schema checks the decimal. */
const price = (value: string | undefined) => value?.trim().replace(/^\$/, '');

async function runProviders(sub: string | undefined, flags: Flags, rest: string[], call: Caller, out: (s: string) => void): Promise<number> {
  if (sub === 'list') {
    const list = await call('ListProviders', {});
    out(flags.json ? JSON.stringify(list, null, 2) : providerRows(list));
    return 0;
  }
  if (sub === 'add') {
    if (!flags.name) usageError('providers add: --name is required (the name CLI flags, usage and the request log use).');
    if (!flags.type) usageError('providers add: --type is required (openai, openai-compat or azure).');
    const baseUrl = flags['base-url'] ?? (flags.type === 'openai' ? OPENAI_BASE_URL : usageError('providers add: --base-url is required.'));
    const created = await namingFlags(PROVIDER_FIELDS, usageError, () => call('CreateProvider', {
      provider: flags.type as Provider['provider'], provider_name: flags.name, base_url: baseUrl, key_env: flags['key-env'],
      options: flags['api-version'] !== undefined ? { api_version: flags['api-version'] } : undefined,
    }));
    out(flags.json ? JSON.stringify(created, null, 2) : providerRows([created]));
    if (created.key_env && created.key_source === 'none') process.stderr.write(`note: ${created.key_env} is not set here; each run reads the key from its own environment.\n`);
    if (!created.key_env && created.provider !== 'openai-compat') process.stderr.write(`note: no --key-env: runs outside VS Code will have no key for "${created.provider_name}".\n`);
    return 0;
  }
  if (sub === 'remove') {
    const target = rest[0] ?? usageError('providers remove: NAME or ID is required.');
    const provider = await findProvider(call, target, 'providers remove');
    const gone = (await call('ListModelConfigs', {})).filter((m) => m.provider_id === provider.id).length;
    await call('DeleteProvider', { provider_id: provider.id });
    const left = await namedConfigs(call);
    out(flags.json ? JSON.stringify({ deleted: provider.id, models_deleted: gone, default_model_config_id: left.find((m) => m.is_default)?.id ?? null }, null, 2)
      : `removed ${provider.provider_name} and its ${gone} model(s); ${defaultLine(left)}`);
    return 0;
  }
  return usageError(`unknown providers command "${sub ?? ''}".`);
}

async function runModels(sub: string | undefined, flags: Flags, rest: string[], call: Caller, out: (s: string) => void): Promise<number> {
  if (sub === 'list') {
    const list = await namedConfigs(call);
    out(flags.json ? JSON.stringify(list, null, 2) : modelRows(list));
    return 0;
  }
  if (sub === 'add') {
    if (!flags.provider) usageError('models add: --provider NAME is required (local-agents providers list).');
    if (!flags.model) usageError('models add: --model ID is required (the id the provider knows the model by).');
    const provider = await findProvider(call, flags.provider, '--provider');
    const cost: Pricing = {
      input_price_per_million_tokens: price(flags['price-input']),
      output_price_per_million_tokens: price(flags['price-output']),
      cache_read_price_per_million_tokens: price(flags['price-cache-read']),
      cache_write_price_per_million_tokens: price(flags['price-cache-write']),
    };
    const opts: ModelOptions = {
      cost: Object.values(cost).some((v) => v !== undefined) ? cost : undefined,
      image_input: flags.images as ModelOptions['image_input'],
      deployment: flags.deployment,
    };
    const created = await namingFlags(MODEL_FIELDS, usageError, () => call('CreateModelConfig', {
      provider_id: provider.id, model: flags.model ?? '', display_name: flags['display-name'],
      context_limit: wholeNumber(flags['context-limit'], 'context-limit', usageError) ?? DEFAULT_CONTEXT_LIMIT,
      is_default: flags.default, options: opts,
    }));
    const named = { ...created, provider_name: provider.provider_name };
    out(flags.json ? JSON.stringify(named, null, 2) : modelRows([named]));
    return 0;
  }
  if (sub === 'default' || sub === 'remove') {
    const config = await findModel(call, flags, rest[0], sub);
    if (sub === 'default') await call('UpdateModelConfig', { model_config_id: config.id, is_default: true });
    else await call('DeleteModelConfig', { model_config_id: config.id });
    const left = await namedConfigs(call);
    out(flags.json ? JSON.stringify({ [sub === 'remove' ? 'deleted' : 'default']: config.id, default_model_config_id: left.find((m) => m.is_default)?.id ?? null }, null, 2)
      : `${sub === 'remove' ? `removed ${config.provider_name} ${config.model}; ` : ''}${defaultLine(left)}`);
    return 0;
  }
  return usageError(`unknown models command "${sub ?? ''}".`);
}

/** Entry point from cli/main.ts: argv from `providers` or `models` on. Throws AppError (status 2 = usage). */
export async function runModelsCli(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    return usageError((err as Error).message);
  }
  const { values: flags, positionals } = parsed;
  setLogLevel(flags.verbose ? 'debug' : 'warn');
  const [group, sub, ...rest] = positionals;
  if (flags.help || !sub) {
    process.stdout.write(MODELS_USAGE + '\n');
    return flags.help ? 0 : 2;
  }
  for (const flag of ['key', 'api-key'] as const) {
    // The value is not repeated: it is a secret.
    if (flags[flag] !== undefined) usageError(`--${flag}: the CLI never takes a key (it would stay in the shell history and the process list). Put it in an environment variable and give its name: --key-env VAR.`);
  }
  const out = (s: string) => process.stdout.write(`${s}\n`);
  return withCaller(flags.db, (call) => (group === 'providers' ? runProviders(sub, flags, rest, call, out) : runModels(sub, flags, rest, call, out)));
}
