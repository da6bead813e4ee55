// `npm run bench`: every benchmark in one run, printed as one table with medians and ratios against the
// physical limit measured in the same run.
import path from 'node:path';
import { printTable, type Row } from './stats';

async function main(): Promise<void> {
  const only = process.argv[2];
  const rows: Row[] = [];
  if (!only || only === 'stream') rows.push(...(await (await import('./streamBench')).runStreamBench()));
  if (!only || only === 'db') rows.push(...(await import('./dbBench')).runDbBench(path.resolve(__dirname, 'out')));
  if (!only || only === 'activation') rows.push(...(await (await import('./activationBench')).runActivationBench()));
  if (!only || only === 'history') rows.push(...(await import('./historyBench')).runHistoryBench(path.resolve(__dirname, 'out')));
  if (!only || only === 'gate') rows.push(...(await (await import('./gateBench')).runGateBench()));
  if (!only || only === 'api') rows.push(...(await (await import('./apiBench')).runApiBench()));
  if (!only || only === 'usage') rows.push(...(await import('./usageBench')).runUsageBench(path.resolve(__dirname, 'out')));
  if (!only || only === 'git') rows.push(...(await (await import('./gitBench')).runGitBench()));
  if (!only || only === 'computer') rows.push(...(await (await import('./computerBench')).runComputerBench()));
  if (!only || only === 'spawn') rows.push(...(await (await import('./spawnBench')).runSpawnBench()));
  console.log(`\nLocal Agents benchmark — ${new Date().toISOString()} — node ${process.version}, ${process.platform}/${process.arch}\n`);
  printTable(rows);
}

void main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
