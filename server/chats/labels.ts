// Label rules (SPEC §2): at most 50; key 1–64 bytes matching KEY_RE; value 1–256 bytes.
import { badRequest } from '../errors';

const KEY_RE = /^[a-zA-Z0-9][a-zA-Z0-9._/-]*$/;
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

export function labelProblem(labels: Record<string, string>): string | undefined {
  const entries = Object.entries(labels);
  if (entries.length > 50) return `too many labels (${entries.length}); maximum is 50`;
  for (const [key, value] of entries) {
    if (key.length === 0) return 'label key must not be empty';
    if (bytes(key) > 64) return `label key "${key}" exceeds maximum length of 64 bytes`;
    if (!KEY_RE.test(key)) return `label key "${key}" contains invalid characters; must match ${KEY_RE.source}`;
    if (value.length === 0) return `label value for key "${key}" must not be empty`;
    if (bytes(value) > 256) return `label value for key "${key}" exceeds maximum length of 256 bytes`;
  }
  return undefined;
}

export function validateLabels(labels: Record<string, string>): void {
  const problem = labelProblem(labels);
  if (problem) throw badRequest(`Invalid labels: ${problem}.`, problem, 'labels');
}

/** Parses `key:value` filters; both sides must be non-empty. */
export function parseLabelFilters(filters: string[] | undefined): Array<[string, string]> {
  return (filters ?? []).map((f) => {
    const i = f.indexOf(':');
    const key = i > 0 ? f.slice(0, i) : '';
    const value = i > 0 ? f.slice(i + 1) : '';
    if (!key || !value) throw badRequest(`Invalid label filter: "${f}" (expected format key:value, both must be non-empty)`, undefined, 'label');
    return [key, value];
  });
}
