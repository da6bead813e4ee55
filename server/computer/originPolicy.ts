// Which URLs the computer-use browser may reach without asking: loopback (the app the agent built) and
// in-page schemes. Everything else needs an allow rule `computer(<url pattern>)`, an approved navigate, or
// the bypass mode; a deny rule blocks even loopback. Enforced on every request the page makes, since
// clicks, redirects and scripts leave loopback as easily as `navigate` does.
import { findRule, type PermissionPolicy } from '../permissions/rules';

/** Schemes that never leave the page: nothing to guard. */
const IN_PAGE_SCHEMES = new Set(['data:', 'blob:', 'about:']);

/** A host of 127.0.0.0/8, `localhost` (and its subdomains), or [::1]. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return !!m && m.slice(1).every((n) => Number(n) <= 255);
}

export function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** Loopback http(s)/ws(s) URLs, and in-page schemes. */
export function isLocalUrl(url: string): boolean {
  const u = parseUrl(url);
  if (!u) return false;
  if (IN_PAGE_SCHEMES.has(u.protocol)) return true;
  return /^(https?|wss?):$/.test(u.protocol) && isLoopbackHost(u.hostname);
}

/** The rule "Always allow" offers for a URL: its whole origin. */
export function originRule(url: string): string {
  const u = parseUrl(url);
  return u && /^https?:$/.test(u.protocol) ? `computer(${u.origin}/*)` : `computer(${url.replace(/[*\\]/g, '\\$&')})`;
}

export type RequestVerdict = { allowed: true } | { allowed: false; why: string };

/**
 * Whether the page may make this request. `approvedOrigins` are origins the user let a navigate reach
 * (Allow once): their own subresources may load too.
 */
export function requestVerdict(url: string, policy: PermissionPolicy, approvedOrigins: ReadonlySet<string>): RequestVerdict {
  const deny = findRule(policy.rules.deny, 'computer', url);
  if (deny) return { allowed: false, why: `denied by the rule ${deny.text}` };
  const u = parseUrl(url);
  if (u && IN_PAGE_SCHEMES.has(u.protocol)) return { allowed: true };
  if (!u || !/^(https?|wss?):$/.test(u.protocol)) return { allowed: false, why: `the scheme ${u?.protocol ?? '(invalid URL)'} is not allowed` };
  if (isLoopbackHost(u.hostname)) return { allowed: true };
  if (approvedOrigins.has(httpOrigin(u))) return { allowed: true };
  if (findRule(policy.rules.allow, 'computer', url)) return { allowed: true };
  if (policy.mode === 'bypass') return { allowed: true };
  return { allowed: false, why: 'no allow rule covers this origin' };
}

/**
 * A tunnel (HTTPS, secure WebSockets) to host:port, judged by origin since its paths are inside TLS: a deny
 * rule covering the origin blocks; loopback, an approved origin, bypass, or an allow rule for any URL of
 * that origin lets the tunnel open (page.route still judges each request in it by URL).
 */
export function tunnelVerdict(host: string, port: number, policy: PermissionPolicy, approvedOrigins: ReadonlySet<string>): RequestVerdict {
  const origin = `https://${host.includes(':') ? `[${host}]` : host}${port === 443 ? '' : `:${port}`}`;
  const root = `${origin}/`;
  const deny = findRule(policy.rules.deny, 'computer', root);
  if (deny) return { allowed: false, why: `denied by the rule ${deny.text}` };
  if (isLoopbackHost(host) || approvedOrigins.has(origin) || policy.mode === 'bypass') return { allowed: true };
  const plain = `http://${host.includes(':') ? `[${host}]` : host}${port === 80 ? '' : `:${port}`}`;
  if (approvedOrigins.has(plain)) return { allowed: true };
  const allowed = policy.rules.allow.some((r) => r.matchesTool('computer') && (r.pattern === null || r.matchesSubject(root) || r.pattern.startsWith(root)));
  return allowed ? { allowed: true } : { allowed: false, why: 'no allow rule covers this origin' };
}

/** ws(s) shares its origin with http(s) for approvals. */
function httpOrigin(u: URL): string {
  return `${u.protocol.replace(/^ws/, 'http')}//${u.host}`;
}

export const originOf = (url: string): string | null => {
  const u = parseUrl(url);
  return u ? httpOrigin(u) : null;
};
