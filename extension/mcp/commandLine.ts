// Args typed on one line in the Add MCP Server flow: split on spaces, with '…' and "…" quoting and
// backslash escapes, the way a shell would for the plain cases people type.

export function splitCommandLine(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let inArg = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) current += line[++i];
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inArg = true;
    } else if (c === '\\' && i + 1 < line.length) {
      current += line[++i];
      inArg = true;
    } else if (/\s/.test(c)) {
      if (inArg) args.push(current);
      current = '';
      inArg = false;
    } else {
      current += c;
      inArg = true;
    }
  }
  if (quote) throw new Error(`Unclosed ${quote} quote in "${line}".`);
  if (inArg) args.push(current);
  return args;
}

/** The inverse, for showing stored args back in an input box. */
export function joinCommandLine(args: string[]): string {
  return args.map((a) => (a !== '' && /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/**
 * Env entries separated by newlines or `;`: `NAME=value` sets a value, a bare `NAME` keeps the value already
 * stored (the box never shows values: they are secrets).
 */
export function parseEnvEntries(text: string): { names: string[]; values: Record<string, string> } {
  const names: string[] = [];
  const values: Record<string, string> = {};
  for (const raw of text.split(/[;\n]/)) {
    const entry = raw.trim();
    if (!entry) continue;
    const eq = entry.indexOf('=');
    const name = (eq < 0 ? entry : entry.slice(0, eq)).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`"${name}" is not a variable name.`);
    if (!names.includes(name)) names.push(name);
    if (eq >= 0) values[name] = entry.slice(eq + 1);
  }
  return { names, values };
}
