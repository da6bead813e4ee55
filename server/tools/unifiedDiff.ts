// A small line-based unified diff (LCS), enough to show the model and the user what an edit changed.
export function unifiedDiff(file: string, before: string, after: string, context = 3): string {
  const a = before.split('\n');
  const b = after.split('\n');
  // Trim the common prefix/suffix first: edits are local, so the LCS table stays small.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  const ma = a.slice(start, endA);
  const mb = b.slice(start, endB);
  const lcs: number[][] = Array.from({ length: ma.length + 1 }, () => new Array<number>(mb.length + 1).fill(0));
  for (let i = ma.length - 1; i >= 0; i--) for (let j = mb.length - 1; j >= 0; j--) lcs[i][j] = ma[i] === mb[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const body: string[] = [];
  let i = 0;
  let j = 0;
  while (i < ma.length || j < mb.length) {
    if (i < ma.length && j < mb.length && ma[i] === mb[j]) { body.push(' ' + ma[i]); i++; j++; }
    else if (j < mb.length && (i >= ma.length || lcs[i][j + 1] >= lcs[i + 1][j])) { body.push('+' + mb[j]); j++; }
    else { body.push('-' + ma[i]); i++; }
  }
  const pre = a.slice(Math.max(0, start - context), start).map((l) => ' ' + l);
  const post = a.slice(endA, Math.min(a.length, endA + context)).map((l) => ' ' + l);
  const oldStart = Math.max(0, start - context) + 1;
  const oldLen = pre.length + ma.length + post.length;
  const newLen = pre.length + mb.length + post.length;
  return [`--- a/${file}`, `+++ b/${file}`, `@@ -${oldStart},${oldLen} +${oldStart},${newLen} @@`, ...pre, ...body, ...post].join('\n');
}
