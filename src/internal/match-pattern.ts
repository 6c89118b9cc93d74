/**
 * Chrome's extension match patterns (`<scheme>://<host>[:<port>]<path>`, or
 * `<all_urls>`), parsed with every scheme allowed, as Electron's webRequest
 * filters are. Errors carry Chromium's URLPattern parse messages.
 */
export interface MatchPattern {
  readonly source: string;
  matches(url: URL): boolean;
  /** A `Fetch.RequestPattern` glob that matches at least what this pattern matches. */
  readonly glob: string;
}

const WILDCARD_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:']);
const SCHEME = /^[a-z][a-z0-9+.-]*$/i;

/** Parses `source`; throws Electron's `TypeError('Invalid url pattern <p>: <reason>')`. */
export function parseMatchPattern(source: string): MatchPattern {
  if (source === '<all_urls>') return { source, matches: () => true, glob: '*' };
  const fail = (reason: string): never => {
    throw new TypeError(`Invalid url pattern ${source}: ${reason}`);
  };
  const separator = source.indexOf('://');
  if (separator < 0) fail('Missing scheme separator.');
  const scheme = source.slice(0, separator).toLowerCase();
  if (scheme !== '*' && !SCHEME.test(scheme)) fail('Invalid scheme.');
  const rest = source.slice(separator + 3);
  const slash = rest.indexOf('/');
  if (slash < 0) fail('Empty path.');
  const authority = rest.slice(0, slash);
  const path = rest.slice(slash);
  const [host, port] = splitPort(authority, fail);
  if (!host && scheme !== 'file') fail('Empty host.');
  if (host.includes('*') && host !== '*' && !(host.startsWith('*.') && !host.slice(2).includes('*'))) fail('Invalid host wildcard.');
  const pathMatcher = wildcardRegExp(path);
  const matches = (url: URL): boolean => {
    if (scheme === '*' ? !WILDCARD_SCHEMES.has(url.protocol) : url.protocol !== `${scheme}:`) return false;
    if (!hostMatches(host, url.hostname)) return false;
    if (port !== '*' && effectivePort(url) !== port) return false;
    return pathMatcher.test(url.pathname + url.search);
  };
  return { source, matches, glob: globFor(scheme, host, path) };
}

function splitPort(authority: string, fail: (reason: string) => never): [string, string] {
  // An IPv6 host is bracketed; its colons are not a port separator.
  const colon = authority.startsWith('[') ? authority.indexOf(':', authority.indexOf(']')) : authority.lastIndexOf(':');
  if (colon < 0) return [authority.toLowerCase(), '*'];
  const port = authority.slice(colon + 1);
  if (port !== '*' && !/^\d{1,5}$/.test(port)) fail('Invalid port.');
  if (port !== '*' && Number(port) > 65535) fail('Invalid port.');
  return [authority.slice(0, colon).toLowerCase(), port === '*' ? '*' : String(Number(port))];
}

function hostMatches(pattern: string, hostname: string): boolean {
  if (pattern === '*') return true;
  const host = hostname.toLowerCase();
  if (pattern.startsWith('*.')) {
    const domain = pattern.slice(2);
    return host === domain || host.endsWith(`.${domain}`);
  }
  return host === pattern;
}

function effectivePort(url: URL): string {
  if (url.port) return url.port;
  const defaults: Record<string, string> = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443' };
  return defaults[url.protocol] ?? '';
}

function wildcardRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, 's');
}

/** Fetch globs know `*` and `?` (escaped with a backslash); a superset is enough, matches() decides. */
function globFor(scheme: string, host: string, path: string): string {
  const literal = (text: string): string => text.replace(/[?\\]/g, '\\$&');
  const schemePart = scheme === '*' ? '*' : literal(scheme);
  const hostPart = host === '*' ? '*' : host.startsWith('*.') ? `*${literal(host.slice(2))}` : literal(host);
  const pathPart = path.split('*').map(literal).join('*');
  // Any port, or none: Chrome leaves a default port out of the URL.
  return `${schemePart}://${hostPart}*${pathPart}`;
}
