// Splits a shell command into the simple commands it would run, so that permission rules are exact about
// compound commands: `;`, `&&`, `||`, pipes, newlines, `$(…)`, `<(…)`, backticks, subshells, `sh -c` and
// `eval` bodies, wrappers (env, xargs, timeout, nice, nohup, sudo, find -exec), and output redirections
// (which count as writes to their target). The grammar is tree-sitter-bash; what it cannot parse, or what
// only the running shell could know (a computed command name, an `eval` of a variable), is reported as
// unparsable and the gate asks.
import path from 'node:path';
import { Language, Parser, type Node } from 'web-tree-sitter';
import { wasmPath } from './wasmFiles';

export interface CommandSegment {
  /** The command's words after assignments and wrappers, unquoted. */
  words: string[];
  /** The words joined by single spaces: what `execute(pattern)` rules match. */
  text: string;
  /** False when an argument is an expansion or substitution: its value is known only when the shell runs. */
  argsKnown: boolean;
}

export interface WriteTarget {
  /** The target as written (unquoted); null when only the running shell could tell (`> "$FILE"`). */
  path: string | null;
  /** How it is written: a redirection operator, `tee`, or a find action. */
  via: string;
}

export type ParsedCommand =
  | { ok: true; segments: CommandSegment[]; writes: WriteTarget[]; /** A `cd`/`pushd`/`popd` runs: relative targets are not where they seem. */ changesDir: boolean }
  | { ok: false; reason: string };

const MAX_DEPTH = 8;
const MAX_SEGMENTS = 256;

let parser: Parser | undefined;
let loading: Promise<void> | undefined;

/** Loads the grammar once per process; parseShellCommand needs it. */
export function initShellParser(): Promise<void> {
  loading ??= (async () => {
    await Parser.init({ locateFile: (name: string) => wasmPath(name) });
    const bash = await Language.load(wasmPath('tree-sitter-bash.wasm'));
    const p = new Parser();
    p.setLanguage(bash);
    parser = p;
  })();
  return loading;
}

export const shellParserReady = (): boolean => parser !== undefined;

class Unparsable extends Error {}

interface Word { text: string; static: boolean }

const OUTPUT_REDIRECTS = new Set(['>', '>>', '&>', '&>>', '>|', '<>', '>&']);
const HARMLESS_TARGETS = /^\/dev\/(null|stdout|stderr|tty|fd\/\d+)$/;
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'mksh']);
const DIR_CHANGERS = new Set(['cd', 'pushd', 'popd']);

/** Backslash escapes of an unquoted word: `a\ b` is `a b`. */
const unescapeWord = (s: string) => s.replace(/\\([\s\S])/g, '$1');
/** Inside double quotes a backslash escapes only `$`, `` ` ``, `"`, `\` and a newline. */
const unescapeDoubleQuoted = (s: string) => s.replace(/\\([$`"\\\n])/g, (_m, c: string) => (c === '\n' ? '' : c));

function ansiC(body: string): string {
  const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"' };
  return body.replace(/\\([ntrabefv\\'"])/g, (_m, c: string) => map[c]);
}

function wordOf(node: Node): Word {
  switch (node.type) {
    case 'word': return { text: unescapeWord(node.text), static: true };
    case 'number': return { text: node.text, static: true };
    case 'raw_string': return { text: node.text.slice(1, -1), static: true };
    case 'ansi_c_string': return { text: ansiC(node.text.slice(2, -1)), static: true };
    case 'string':
    case 'translated_string':
    case 'concatenation': {
      let text = '';
      let isStatic = true;
      for (const child of node.children) {
        if (!child) continue;
        if (child.type === '"' || child.type === '$"') continue;
        if (child.type === 'string_content') text += unescapeDoubleQuoted(child.text);
        else if (!child.isNamed) text += child.text;
        else {
          const w = wordOf(child);
          text += w.text;
          isStatic &&= w.static;
        }
      }
      return { text, static: isStatic };
    }
    default:
      // Expansions, substitutions, brace expressions: their value is known only when the shell runs.
      return { text: node.text, static: false };
  }
}

interface Collector {
  segments: CommandSegment[];
  writes: WriteTarget[];
  changesDir: boolean;
}

function addSegment(out: Collector, words: Word[]): void {
  if (out.segments.length >= MAX_SEGMENTS) throw new Unparsable(`the command has more than ${MAX_SEGMENTS} parts`);
  const texts = words.map((w) => w.text);
  out.segments.push({ words: texts, text: texts.join(' '), argsKnown: words.slice(1).every((w) => w.static) });
  if (DIR_CHANGERS.has(path.basename(texts[0] ?? ''))) out.changesDir = true;
}

const isAssignment = (w: Word) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(w.text);

/** Skips a wrapper's options; `withArg` lists options that take the next word as their value. */
function skipOptions(words: Word[], withArg: Set<string>): Word[] {
  let i = 0;
  while (i < words.length) {
    const t = words[i].text;
    if (t === '--') return words.slice(i + 1);
    if (!t.startsWith('-') || t === '-') break;
    i += withArg.has(t) ? 2 : 1;
  }
  return words.slice(i);
}

const ENV_ARGS = new Set(['-u', '--unset', '-C', '--chdir']);
const XARGS_ARGS = new Set(['-a', '--arg-file', '-d', '--delimiter', '-E', '-e', '-I', '-i', '-L', '-l', '-n', '--max-args', '-P', '--max-procs', '-s', '--max-chars']);
const TIMEOUT_ARGS = new Set(['-k', '--kill-after', '-s', '--signal']);
const NICE_ARGS = new Set(['-n', '--adjustment']);
const SUDO_ARGS = new Set(['-u', '--user', '-g', '--group', '-h', '--host', '-p', '--prompt', '-C', '--close-from', '-D', '--chdir', '-r', '--role', '-t', '--type', '-U', '--other-user', '-T', '--command-timeout']);
const STDBUF_ARGS = new Set(['-i', '-o', '-e', '--input', '--output', '--error']);
const FIND_EXEC = new Set(['-exec', '-execdir', '-ok', '-okdir']);
const FIND_WRITES = new Set(['-fprint', '-fprint0', '-fls', '-fprintf']);

/** The words of one simple command, looked through wrappers, into segments (and writes). */
function expandWords(words: Word[], out: Collector, depth: number): void {
  let w = words;
  while (w.length > 0 && isAssignment(w[0])) w = w.slice(1);
  if (w.length === 0) return;
  const name = w[0];
  if (!name.static) throw new Unparsable(`the command name "${name.text}" is computed when the shell runs`);
  const base = path.basename(name.text);
  const rest = w.slice(1);
  switch (base) {
    case 'env': {
      if (rest.some((x) => x.text === '-S' || x.text.startsWith('--split-string'))) throw new Unparsable('env -S splits a string into a command');
      let inner = skipOptions(rest, ENV_ARGS);
      while (inner.length > 0 && isAssignment(inner[0])) inner = inner.slice(1);
      return inner.length === 0 ? addSegment(out, w) : expandWords(inner, out, depth);
    }
    case 'xargs': {
      const inner = skipOptions(rest, XARGS_ARGS);
      return inner.length === 0 ? addSegment(out, w) : expandWords(inner, out, depth);
    }
    case 'timeout': {
      const inner = skipOptions(rest, TIMEOUT_ARGS).slice(1); // the duration
      return inner.length === 0 ? addSegment(out, w) : expandWords(inner, out, depth);
    }
    case 'nice': {
      const inner = skipOptions(rest, NICE_ARGS);
      return inner.length === 0 ? addSegment(out, w) : expandWords(inner, out, depth);
    }
    case 'nohup':
    case 'time':
    case 'builtin':
    case 'exec':
      return rest.length === 0 ? addSegment(out, w) : expandWords(skipOptions(rest, new Set()), out, depth);
    case 'command': {
      // `command -v x` only looks a name up.
      if (rest[0] && /^-[vV]/.test(rest[0].text)) return addSegment(out, w);
      const inner = skipOptions(rest, new Set());
      return inner.length === 0 ? addSegment(out, w) : expandWords(inner, out, depth);
    }
    case 'stdbuf': {
      const inner = skipOptions(rest, STDBUF_ARGS);
      return inner.length === 0 ? addSegment(out, w) : expandWords(inner, out, depth);
    }
    case 'sudo':
    case 'doas': {
      // Raising privileges is a decision of its own: the sudo segment must be allowed, and so must the command.
      addSegment(out, w);
      const inner = skipOptions(rest, SUDO_ARGS);
      return inner.length === 0 ? undefined : expandWords(inner, out, depth);
    }
    case 'eval': {
      if (rest.some((x) => !x.static)) throw new Unparsable('eval runs text that is known only when the shell runs');
      return collectSource(rest.map((x) => x.text).join(' '), out, depth + 1);
    }
    case 'find':
      return expandFind(w, out, depth);
    case 'tee':
      for (const arg of rest) if (!arg.text.startsWith('-')) out.writes.push({ path: arg.static ? arg.text : null, via: 'tee' });
      return addSegment(out, w);
    default:
      if (SHELLS.has(base)) {
        const body = shellCommandBody(rest);
        if (body === undefined) return addSegment(out, w); // a script file: the command itself is the segment
        if (!body.static) throw new Unparsable(`${base} -c runs text that is known only when the shell runs`);
        return collectSource(body.text, out, depth + 1);
      }
      return addSegment(out, w);
  }
}

/** The `-c` body of `sh -c BODY …`, if any (options may come first: `bash -ec`, `sh -o pipefail -c`). */
function shellCommandBody(args: Word[]): Word | undefined {
  for (let i = 0; i < args.length; i++) {
    const t = args[i].text;
    if (t === '-o' || t === '+o' || t === '-O' || t === '+O' || t === '--rcfile' || t === '--init-file') { i++; continue; }
    if (/^-[A-Za-z]*c[A-Za-z]*$/.test(t)) return args[i + 1] ?? { text: '', static: true };
    if (!t.startsWith('-') && !t.startsWith('+')) return undefined;
  }
  return undefined;
}

/** find's actions: -exec/-execdir/-ok run a command, -delete removes what it finds, -fprint writes a file. */
function expandFind(words: Word[], out: Collector, depth: number): void {
  const kept: Word[] = [words[0]];
  const starts: Word[] = [];
  let inExpression = false;
  for (let i = 1; i < words.length; i++) {
    const t = words[i].text;
    if (!inExpression && !t.startsWith('-') && t !== '(' && t !== '!') { starts.push(words[i]); kept.push(words[i]); continue; }
    inExpression = true;
    if (FIND_EXEC.has(t)) {
      const inner: Word[] = [];
      for (i++; i < words.length && words[i].text !== ';' && words[i].text !== '+'; i++) inner.push(words[i]);
      if (inner.length > 0) expandWords(inner, out, depth);
      continue;
    }
    if (t === '-delete') {
      addSegment(out, [{ text: 'rm', static: true }, ...(starts.length ? starts : [{ text: '.', static: true }])]);
      continue;
    }
    if (FIND_WRITES.has(t)) {
      const target = words[i + 1];
      out.writes.push({ path: target?.static ? target.text : null, via: `find ${t}` });
      i++;
      continue;
    }
    kept.push(words[i]);
  }
  addSegment(out, kept);
}

function redirectTarget(node: Node, out: Collector): void {
  const op = node.children.find((c) => c && !c.isNamed && c.type !== 'file_descriptor')?.type ?? '';
  const dest = node.childForFieldName('destination');
  if (!dest || !OUTPUT_REDIRECTS.has(op)) return;
  const w = wordOf(dest);
  // `2>&1`, `>&2`, `>&-`: a file descriptor, not a file.
  if (op === '>&' && (/^\d+$/.test(w.text) || w.text === '-')) return;
  if (w.static && HARMLESS_TARGETS.test(w.text)) return;
  out.writes.push({ path: w.static ? w.text : null, via: op });
}

/** Every simple command and output redirection anywhere in the tree, nested ones included. */
function walk(node: Node, out: Collector, depth: number): void {
  if (node.type === 'command') {
    const words: Word[] = [];
    for (let i = 0; i < node.childCount; i++) {
      const field = node.fieldNameForChild(i);
      const child = node.child(i);
      if (child && (field === 'name' || field === 'argument')) words.push(field === 'name' ? wordOf(child.firstNamedChild ?? child) : wordOf(child));
    }
    expandWords(words, out, depth);
  } else if (node.type === 'file_redirect') {
    redirectTarget(node, out);
  } else if (node.type === 'declaration_command' || node.type === 'unset_command') {
    // export/declare/local/readonly/unset change the shell's own variables; they are commands to allow too.
    addSegment(out, node.text.split(/\s+/).map((text) => ({ text, static: true })));
  }
  for (const child of node.namedChildren) if (child) walk(child, out, depth);
}

function collectSource(source: string, out: Collector, depth: number): void {
  if (depth > MAX_DEPTH) throw new Unparsable(`shell bodies are nested more than ${MAX_DEPTH} deep`);
  if (!parser) throw new Unparsable('the shell parser is not loaded');
  const tree = parser.parse(source);
  if (!tree) throw new Unparsable('the shell parser gave no result');
  try {
    if (tree.rootNode.hasError) throw new Unparsable('it is not valid shell syntax');
    walk(tree.rootNode, out, depth);
  } finally {
    tree.delete();
  }
}

export function parseShellCommand(command: string): ParsedCommand {
  const out: Collector = { segments: [], writes: [], changesDir: false };
  try {
    collectSource(command, out, 0);
  } catch (err) {
    if (err instanceof Unparsable) return { ok: false, reason: err.message };
    throw err;
  }
  return { ok: true, ...out };
}
