// VS Code settings and mcp.json files are JSONC (comments, trailing commas). jsonc-parser is not a dependency and
// the format is small, so comments and trailing commas are blanked out before JSON.parse.

/** Removes `//` and `/* *\/` comments and trailing commas outside strings; keeps offsets (blanks with spaces). */
export function stripJsonc(text: string): string {
  const out = text.split('');
  let i = 0;
  let lastSignificant = -1;
  const blank = (from: number, to: number) => { for (let k = from; k < to; k++) if (out[k] !== '\n' && out[k] !== '\r') out[k] = ' '; };
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      lastSignificant = j;
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      let j = i;
      while (j < text.length && text[j] !== '\n') j++;
      blank(i, j);
      i = j;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const j = end < 0 ? text.length : end + 2;
      blank(i, j);
      i = j;
    } else if (c === '}' || c === ']') {
      // A comma right before a closing bracket (ignoring blanks and comments already removed) goes.
      if (lastSignificant >= 0 && out[lastSignificant] === ',') out[lastSignificant] = ' ';
      lastSignificant = i;
      i++;
    } else {
      if (!/\s/.test(c)) lastSignificant = i;
      i++;
    }
  }
  return out.join('');
}

export function parseJsonc(text: string): unknown {
  const stripped = stripJsonc(text.replace(/^\uFEFF/, ''));
  return stripped.trim() === '' ? {} : JSON.parse(stripped);
}
