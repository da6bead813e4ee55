// Extension activation cost of the bundle as shipped (a production build into bench/out/prod): loading
// extension.js and running activate() in a plain node process (bench/activationProbe.cjs), as the
// extension host does: no tsx loader, no source-map support. The floor is loading an empty module.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { median, fmt, type Row } from './stats';

export async function runActivationBench(): Promise<Row[]> {
  const root = path.resolve(__dirname, '..');
  const outdir = path.join(root, 'bench/out/prod');
  execFileSync(process.execPath, ['esbuild.mjs', '--production', `--outdir=${outdir}`], { cwd: root, stdio: 'inherit' });
  const out = execFileSync(process.execPath, [path.join(__dirname, 'activationProbe.cjs'), path.join(outdir, 'extension.js'), '15'], { encoding: 'utf8' });
  const { times, floor } = JSON.parse(out) as { times: number[]; floor: number[] };
  const m = median(times);
  return [{ metric: 'activation: load extension.js (production) + activate()', value: fmt(m), limit: `empty module ${fmt(median(floor))}`, ratio: '-', goal: '≤ 50 ms', ok: m <= 50 }];
}
