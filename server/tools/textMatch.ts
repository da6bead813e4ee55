// Where edit_files' old_text occurs in a file: exactly first, then tolerating what models commonly get wrong
// when they retype text from memory (trailing whitespace, CRLF line ends, indentation).

export interface TextMatch {
  start: number;
  end: number;
  /** The text to put in place of [start, end): new_text, re-indented and with the file's line ends for fuzzy matches. */
  replacement: string;
}

export interface MatchResult {
  matches: TextMatch[];
  fuzzy: boolean;
}

function exactMatches(content: string, oldText: string, newText: string): TextMatch[] {
  const found: TextMatch[] = [];
  for (let i = content.indexOf(oldText); i >= 0; i = content.indexOf(oldText, i + oldText.length)) {
    found.push({ start: i, end: i + oldText.length, replacement: newText });
  }
  return found;
}

const indentOf = (line: string): string => /^[ \t]*/.exec(line)![0];

/**
 * new_text was written with the same (wrong) indentation as old_text; shift it by the difference between
 * old_text and the lines that matched, when that difference is one consistent prefix.
 */
function reindent(newText: string, oldLines: string[], fileLines: string[]): string {
  const pairs = oldLines.map((o, k) => [indentOf(o), indentOf(fileLines[k])] as const).filter((_, k) => oldLines[k].trim() !== '');
  if (pairs.length === 0 || pairs.every(([o, f]) => o === f)) return newText;
  const [firstOld, firstFile] = pairs[0];
  const lines = newText.split('\n');
  if (firstFile.endsWith(firstOld)) {
    const extra = firstFile.slice(0, firstFile.length - firstOld.length);
    if (pairs.every(([o, f]) => f === extra + o)) return lines.map((l) => (l.trim() === '' ? l : extra + l)).join('\n');
  }
  if (firstOld.endsWith(firstFile)) {
    const surplus = firstOld.slice(0, firstOld.length - firstFile.length);
    if (pairs.every(([o, f]) => o === surplus + f)) return lines.map((l) => (l.startsWith(surplus) ? l.slice(surplus.length) : l)).join('\n');
  }
  return newText;
}

/** Line windows of `content` equal to old_text line by line after `normalize`. */
function lineMatches(content: string, oldText: string, newText: string, normalize: (line: string) => string): TextMatch[] {
  const oldLines = oldText.split('\n');
  const takesNewline = oldLines.length > 1 && oldLines[oldLines.length - 1] === '';
  if (takesNewline) oldLines.pop();
  const wanted = oldLines.map(normalize);
  // Blank old_text would match everywhere.
  if (wanted.every((l) => l === '')) return [];

  const lines = content.split('\n');
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  const crlf = lines.some((l) => l.endsWith('\r'));
  const found: TextMatch[] = [];
  for (let i = 0; i + wanted.length <= lines.length; i++) {
    if (!wanted.every((w, k) => normalize(lines[i + k]) === w)) continue;
    const last = i + wanted.length - 1;
    const lastLine = lines[last];
    const end = takesNewline && last < lines.length - 1
      ? starts[last] + lastLine.length + 1
      : starts[last] + lastLine.length - (lastLine.endsWith('\r') ? 1 : 0);
    let replacement = reindent(newText, oldLines, lines.slice(i, last + 1));
    if (crlf) replacement = replacement.replace(/\r?\n/g, '\r\n');
    found.push({ start: starts[i], end, replacement });
    i = last;
  }
  return found;
}

/** Every non-overlapping place old_text occurs: exact matches if there are any, otherwise fuzzy ones. */
export function findMatches(content: string, oldText: string, newText: string): MatchResult {
  const exact = exactMatches(content, oldText, newText);
  if (exact.length > 0) return { matches: exact, fuzzy: false };
  const trailing = lineMatches(content, oldText, newText, (l) => l.trimEnd());
  if (trailing.length > 0) return { matches: trailing, fuzzy: true };
  return { matches: lineMatches(content, oldText, newText, (l) => l.trim()), fuzzy: true };
}

/** Applies matches (non-overlapping, in order) to content. */
export function applyMatches(content: string, matches: TextMatch[]): string {
  let out = '';
  let at = 0;
  for (const m of matches) {
    out += content.slice(at, m.start) + m.replacement;
    at = m.end;
  }
  return out + content.slice(at);
}
