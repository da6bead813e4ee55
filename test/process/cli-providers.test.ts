// Headless setup from the CLI: named providers whose key comes from an environment variable, model configs
// with prices, a chat on the default model, and what usage and the request log say about it. Real CLI
// processes on a real database against the OpenAI fake.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/fakeOpenAI';
import { CLI_JS } from '../support/serverProcess';
import { setupEnv, type Env } from './helpers';
import type { CostSummaryResult, ModelConfig, ModelRequestsPage, Provider } from '../../server/protocol';

// Distinctive, so that it can be looked for in the database file.
const KEY = 'sk-cli-provider-key-7Q2x';

let env: Env;
let fake: FakeOpenAI;
beforeEach(async () => {
  env = await setupEnv();
  fake = await startFakeOpenAI({ apiKey: KEY });
});
afterEach(async () => {
  await fake.close();
  await env.cleanup();
});

interface Run { code: number | null; stdout: string; stderr: string }

/** No OPENAI_* in the environment: every provider and model here comes from the commands. */
function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_JS, ...args], {
      env: { ...process.env, OPENAI_BASE_URL: '', OPENAI_API_KEY: '', OPENAI_MODEL: '', LOCAL_AGENTS_DATA_DIR: path.join(env.dir, 'data'), ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function ok(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  const r = await cli(args, extraEnv);
  assert.equal(r.code, 0, `${args.join(' ')}\n${r.stderr}`);
  return r;
}

const json = async <T>(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<T> => JSON.parse((await ok([...args, '--json'], extraEnv)).stdout) as T;
const db = () => ['--db', env.dbPath];
const chatArgs = () => ['chat', '--db', env.dbPath, '--workspace', env.workspace];

function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

test('a provider added with --key-env answers a chat with the key from that variable; its prices cost the usage and the request log', async () => {
  const added = await ok(['providers', 'add', '--name', 'fake-a', '--type', 'openai-compat', '--base-url', fake.url, '--key-env', 'CLI_FAKE_KEY', ...db()]);
  assert.match(added.stdout, /fake-a\s+openai-compat/);
  assert.match(added.stderr, /CLI_FAKE_KEY is not set here/);
  await ok(['models', 'add', '--provider', 'fake-a', '--model', 'fake-model', '--price-input', '2.50', '--price-output', '10',
    '--price-cache-read', '0.25', '--images', 'no', '--context-limit', '64000', ...db()]);

  const [withVar] = await json<Provider[]>(['providers', 'list', ...db()], { CLI_FAKE_KEY: KEY });
  assert.deepEqual([withVar.provider_name, withVar.key_env, withVar.key_source, withVar.base_url], ['fake-a', 'CLI_FAKE_KEY', 'centralized', fake.url]);
  assert.equal((await json<Provider[]>(['providers', 'list', ...db()]))[0].key_source, 'none', 'without the variable this run holds no key');
  const [model] = await json<ModelConfig[]>(['models', 'list', ...db()]);
  assert.equal(model.is_default, true, 'the first model is the default');
  assert.deepEqual([model.context_limit, model.options.image_input, model.options.cost],
    [64000, 'no', { input_price_per_million_tokens: '2.50', output_price_per_million_tokens: '10', cache_read_price_per_million_tokens: '0.25' }]);

  fake.enqueue({ kind: 'text', text: 'Answered with the env key.', usage: { prompt_tokens: 1000, completion_tokens: 200, cached_tokens: 400 } });
  // No --base-url and no --model: the default model config.
  const run = await cli([...chatArgs(), 'hello'], { CLI_FAKE_KEY: KEY });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /Answered with the env key\./);
  const turn = fake.requests.find((r) => r.stream);
  assert.ok(turn, 'the fake got the turn');
  assert.equal(turn.model, 'fake-model');
  assert.equal(turn.headers.authorization, `Bearer ${KEY}`, 'the key came from CLI_FAKE_KEY (OPENAI_API_KEY is empty)');

  const page = await json<ModelRequestsPage>(['requests', 'list', ...db()]);
  const row = page.requests.find((r) => r.kind === 'chat');
  assert.ok(row, JSON.stringify(page));
  assert.equal(row.provider_name, 'fake-a');
  assert.equal(row.model, 'fake-model');
  assert.equal(row.outcome, 'ok');
  assert.equal(row.credential_kind, 'centralized');
  assert.equal(row.credential_hint, `…${KEY.slice(-4)}`, 'at most the last 4 characters');
  const expected = Math.ceil((row.input_tokens ?? 0) * 2.5 + (row.output_tokens ?? 0) * 10 + (row.cache_read_input_tokens ?? 0) * 0.25);
  assert.ok(expected > 0);
  assert.equal(row.cost_micros, expected);
  const filtered = await json<ModelRequestsPage>(['requests', 'list', '--outcome', 'error', ...db()]);
  assert.equal(filtered.requests.length, 0, 'no request failed');
  const table = await ok(['requests', 'list', ...db()]);
  assert.match(table.stdout, new RegExp(`fake-a\\s+fake-model.*\\$0\\.\\d{4}.*centralized …${KEY.slice(-4)}`));

  const usage = await json<CostSummaryResult>(['usage', '--by', 'model', ...db()]);
  const byModel = usage.rows.find((r) => r.key === 'fake-model');
  assert.equal(byModel?.label, 'fake-a');
  const allCosts = page.requests.reduce((sum, r) => sum + (r.cost_micros ?? 0), 0);
  assert.equal(usage.total.total_cost_micros, allCosts, 'usage sums what the log priced');
  assert.equal(usage.total.requests, page.requests.length);

  const csv = (await ok(['usage', '--csv', ...db()])).stdout.trim().split('\n');
  assert.equal(csv[0], 'day,requests,priced_requests,unpriced_requests,input_tokens,output_tokens,reasoning_tokens,cache_read_tokens,cache_write_tokens,cost_usd');
  const today = csv.find((l) => l.startsWith(`${localToday()},`))?.split(',');
  assert.ok(today, csv.join('\n'));
  assert.equal(Number(today[1]), page.requests.length);
  assert.equal(today[9], (allCosts / 1e6).toFixed(6));
  const human = await ok(['usage', ...db()]);
  assert.match(human.stdout, new RegExp(`${localToday()}\\s+${page.requests.length}\\s`));
  assert.match(human.stdout, /TOTAL\s+.*\$0\.\d{4}/);

  for (const file of [env.dbPath, `${env.dbPath}-wal`]) {
    if (existsSync(file)) assert.ok(!readFileSync(file).includes(KEY), `${path.basename(file)} holds no key`);
  }
});

test('two providers on one base URL; removing one removes its models and promotes the default', async () => {
  for (const [name, variable] of [['alpha', 'ALPHA_KEY'], ['beta', 'BETA_KEY']]) {
    await ok(['providers', 'add', '--name', name, '--type', 'openai-compat', '--base-url', fake.url, '--key-env', variable, ...db()]);
  }
  const providers = await json<Provider[]>(['providers', 'list', ...db()]);
  assert.deepEqual(providers.map((p) => [p.provider_name, p.base_url]).sort(), [['alpha', fake.url], ['beta', fake.url]]);
  await ok(['models', 'add', '--provider', 'alpha', '--model', 'fake-model', ...db()]);
  await ok(['models', 'add', '--provider', 'beta', '--model', 'fake-model-large', ...db()]);
  await ok(['models', 'add', '--provider', 'beta', '--model', 'fake-model', '--display-name', 'Beta fake', ...db()]);
  const dup = await cli(['providers', 'add', '--name', 'beta', '--type', 'openai-compat', '--base-url', fake.url, ...db()]);
  assert.equal(dup.code, 1);
  assert.match(dup.stderr, /A provider named "beta" is already configured/);

  // Each instance is its own provider: --provider picks beta's model at the same URL, with beta's variable.
  const run = await cli([...chatArgs(), '--provider', 'beta', '--model', 'fake-model', 'hi beta'], { BETA_KEY: KEY });
  assert.equal(run.code, 0, run.stderr);
  const [latest] = (await json<ModelRequestsPage>(['requests', 'list', '--kind', 'chat', ...db()])).requests;
  assert.equal(latest.provider_name, 'beta');
  assert.equal(latest.cost_micros, null, 'beta\'s model has no price');
  assert.match((await ok(['usage', '--by', 'model', ...db()])).stdout, /fake-model\s+beta\s+.*unpriced/);

  const removed = await ok(['providers', 'remove', 'alpha', ...db()]);
  assert.match(removed.stdout, /removed alpha and its 1 model\(s\); default: beta fake-model/);
  const models = await json<Array<ModelConfig & { provider_name: string }>>(['models', 'list', ...db()]);
  assert.deepEqual(models.map((m) => [m.provider_name, m.model, m.is_default]).sort(),
    [['beta', 'fake-model', true], ['beta', 'fake-model-large', false]], 'alpha\'s model is gone; the first by provider, model is the default');

  // A chat with neither --base-url nor --model runs on the promoted default.
  fake.requests.length = 0;
  const onDefault = await cli([...chatArgs(), 'on the default'], { BETA_KEY: KEY });
  assert.equal(onDefault.code, 0, onDefault.stderr);
  assert.equal(fake.requests.find((r) => r.stream)?.model, 'fake-model');

  await ok(['models', 'default', '--provider', 'beta', '--model', 'fake-model-large', ...db()]);
  const id = models.find((m) => m.model === 'fake-model-large')?.id ?? '';
  assert.match((await ok(['models', 'remove', id, ...db()])).stdout, /removed beta fake-model-large; default: beta fake-model/);
  assert.equal((await json<ModelConfig[]>(['models', 'list', ...db()])).length, 1);
});

test('no model at all, an unset key variable, and bad flags: errors that say what to do and name the flag', async () => {
  const none = await cli([...chatArgs(), 'hi']);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /no default chat model config is available/);
  assert.match(none.stderr, /local-agents providers add .* local-agents models add/);

  await ok(['providers', 'add', '--name', 'keyless', '--type', 'openai-compat', '--base-url', fake.url, '--key-env', 'CLI_UNSET_KEY', ...db()]);
  await ok(['models', 'add', '--provider', 'keyless', '--model', 'fake-model', ...db()]);
  const unset = await cli([...chatArgs(), 'hi']);
  assert.equal(unset.code, 1);
  assert.match(unset.stderr, /No API key for provider "keyless"\./);
  assert.match(unset.stderr, /CLI_UNSET_KEY/);
  assert.equal(fake.requests.filter((r) => r.stream).length, 0, 'nothing was sent without the key');

  const unknownModel = await cli([...chatArgs(), '--model', 'not-configured', 'hi']);
  assert.equal(unknownModel.code, 2);
  assert.match(unknownModel.stderr, /^--model not-configured: no configured model/);

  const url = fake.url;
  const cases: Array<[string[], RegExp]> = [
    [['providers', 'add', '--name', 'x', '--type', 'bogus', '--base-url', url], /^--type: Provider must be one of: openai, openai-compat, azure/],
    [['providers', 'add', '--name', 'x', '--type', 'openai-compat', '--base-url', 'not a url'], /^--base-url: /],
    [['providers', 'add', '--name', 'x', '--type', 'openai-compat', '--base-url', url, '--key-env', 'my-key'], /^--key-env: must be an environment variable name/],
    [['providers', 'add', '--name', 'x', '--type', 'openai-compat', '--base-url', url, '--key', 'sk-do-not-echo'], /^--key: the CLI never takes a key.*--key-env VAR/],
    [['providers', 'add', '--name', 'x', '--type', 'openai', '--api-key', 'sk-do-not-echo'], /^--api-key: the CLI never takes a key.*--key-env VAR/],
    [['providers', 'add', '--type', 'openai'], /^providers add: --name is required/],
    [['providers', 'remove', 'nobody'], /^providers remove nobody: no provider/],
    [['models', 'add', '--provider', 'keyless', '--model', 'm2', '--price-input', 'abc'], /^--price-input: must be a non-negative decimal/],
    [['models', 'add', '--provider', 'keyless', '--model', 'm2', '--price-cache-write=-1'], /^--price-cache-write: must be a non-negative decimal/],
    [['models', 'add', '--provider', 'keyless', '--model', 'm2', '--context-limit', '0'], /^--context-limit: must be greater than zero/],
    [['models', 'add', '--provider', 'keyless', '--model', 'm2', '--context-limit', '1.5'], /^--context-limit: must be a whole number/],
    [['models', 'add', '--provider', 'keyless', '--model', 'm2', '--images', 'maybe'], /^--images: must be yes, no or unknown/],
    [['models', 'add', '--provider', 'nobody', '--model', 'm2'], /^--provider nobody: no provider/],
    [['models', 'remove', '--provider', 'keyless', '--model', 'm2'], /^--model m2: provider "keyless" has no such model/],
    [['usage', '--by', 'week'], /^--by: must be chat, model or day/],
    [['usage', '--from', '2026-13-01'], /^--from: not a real date/],
    [['usage', '--to', 'yesterday'], /^--to: must be a date like/],
    [['usage', '--json', '--csv'], /--json and --csv are exclusive/],
    [['requests', 'list', '--outcome', 'maybe'], /^--outcome: must be ok, error or retried/],
    [['requests', 'list', '--limit', '0'], /^--limit: must be at least 1/],
    [['requests', 'list', '--limit', 'ten'], /^--limit: must be a whole number/],
    [['requests', 'list', '--nope'], /Unknown option '--nope'/],
  ];
  for (const [args, message] of cases) {
    const r = await cli([...args, ...db()]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.ok(!r.stderr.includes('sk-do-not-echo'), 'a key given on the command line is not repeated');
  }
  const providers = await json<Provider[]>(['providers', 'list', ...db()]);
  assert.deepEqual(providers.map((p) => p.provider_name), ['keyless'], 'no bad command added anything');
  assert.deepEqual((await json<ModelConfig[]>(['models', 'list', ...db()])).map((m) => m.model), ['fake-model']);

  const help = await ok(['providers', '--help']);
  assert.match(help.stdout, /providers add --name NAME --type openai\|openai-compat\|azure/);
  assert.match((await ok(['usage', '--help'])).stdout, /--by day\|model\|chat/);
  const top = await ok(['--help']);
  for (const command of ['providers list|add|remove', 'models list|add', 'usage [--by', 'requests list']) assert.ok(top.stdout.includes(`local-agents ${command}`), command);
});
