import { isIP } from 'node:net';
import { DEFAULT_PORTS, DIRECT, type ProxyScheme, type ProxyServer } from './proxy-server.js';

/**
 * `proxyRules` as Chromium's ProxyConfig::ProxyRules parses them:
 * `[<url-scheme>=]<proxy-uri>[,<proxy-uri>...][;...]`.
 * - The first entry without `=` makes one list for every scheme, and the rest of the string is ignored;
 *   one after scheme entries is ignored.
 * - `http=`, `https=`, `ftp=` lists per URL scheme; `socks=` is the list for every scheme without one
 *   (its proxies are SOCKS4 unless they say otherwise); other URL schemes are ignored.
 * - Proxies that do not parse are dropped from their list.
 */
export type ProxyRules =
  | { readonly type: 'empty' }
  | { readonly type: 'list'; readonly proxies: readonly ProxyServer[] }
  | {
      readonly type: 'per-scheme';
      readonly http: readonly ProxyServer[];
      readonly https: readonly ProxyServer[];
      readonly ftp: readonly ProxyServer[];
      readonly fallback: readonly ProxyServer[];
    };

const URI_SCHEMES: Readonly<Record<string, ProxyScheme>> = {
  http: 'http',
  https: 'https',
  socks4: 'socks4',
  // In a URI, `socks://` is SOCKS5 (only a bare `socks=` entry means SOCKS4).
  socks: 'socks5',
  socks5: 'socks5',
  direct: 'direct',
};

export function parseProxyRules(text: string): ProxyRules {
  const perScheme = { http: [] as ProxyServer[], https: [] as ProxyServer[], ftp: [] as ProxyServer[], fallback: [] as ProxyServer[] };
  let sawScheme = false;
  for (const entry of text.split(';')) {
    if (!entry.trim()) continue;
    const equals = entry.indexOf('=');
    if (equals < 0) {
      if (sawScheme) continue;
      return { type: 'list', proxies: parseUriList(entry, 'http') };
    }
    sawScheme = true;
    // Compared as written: `HTTP=` is an unknown scheme, ignored (but the rules are still per scheme).
    const urlScheme = entry.slice(0, equals).trim();
    const uris = entry.slice(equals + 1);
    if (urlScheme === 'socks') perScheme.fallback.push(...parseUriList(uris, 'socks4'));
    else if (urlScheme === 'http' || urlScheme === 'https' || urlScheme === 'ftp') perScheme[urlScheme].push(...parseUriList(uris, 'http'));
  }
  return sawScheme ? { type: 'per-scheme', ...perScheme } : { type: 'empty' };
}

/**
 * The list the rules give a URL, as MapUrlSchemeToProxyList picks it: the URL scheme's own list,
 * else (ws and wss) the `socks=` list, the https list, the http list, else (others) the `socks=`
 * list; `[DIRECT]` when none.
 */
export function proxiesFor(rules: ProxyRules, url: URL): readonly ProxyServer[] {
  if (rules.type === 'empty') return [DIRECT];
  if (rules.type === 'list') return rules.proxies.length ? rules.proxies : [DIRECT];
  const scheme = url.protocol.slice(0, -1);
  const own = scheme === 'http' || scheme === 'https' || scheme === 'ftp' ? rules[scheme] : [];
  const order = scheme === 'ws' || scheme === 'wss' ? [rules.fallback, rules.https, rules.http] : [rules.fallback];
  return [own, ...order].find((list) => list.length) ?? [DIRECT];
}

function parseUriList(text: string, defaultScheme: ProxyScheme): ProxyServer[] {
  const list: ProxyServer[] = [];
  for (const uri of text.split(',')) {
    const server = parseProxyUri(uri, defaultScheme);
    if (server) list.push(server);
  }
  return list;
}

/** `[<scheme>://]<host>[:<port>]` (IPv6 in brackets), or `direct://`; `undefined` when it does not parse. */
export function parseProxyUri(text: string, defaultScheme: ProxyScheme): ProxyServer | undefined {
  let rest = text.trim();
  let scheme = defaultScheme;
  const separator = rest.indexOf('://');
  if (separator >= 0) {
    const named = URI_SCHEMES[rest.slice(0, separator).toLowerCase()];
    if (!named) return undefined;
    scheme = named;
    rest = rest.slice(separator + 3);
  }
  if (scheme === 'direct') return rest === '' ? DIRECT : undefined;
  return parseHostPort(rest, scheme);
}

/** `host[:port]` for a proxy of `scheme`, the scheme's default port when none is given. */
export function parseHostPort(text: string, scheme: Exclude<ProxyScheme, 'direct'>): ProxyServer | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]/@\s]+))(?::(\d{1,5}))?$/.exec(text);
  if (!match) return undefined;
  const host = match[1] ?? match[2]!.toLowerCase();
  if (match[1] !== undefined && isIP(host) !== 6) return undefined;
  const port = match[3] === undefined ? DEFAULT_PORTS[scheme] : Number(match[3]);
  if (port > 65_535) return undefined;
  return { scheme, host, port };
}

const PAC_TYPES: Readonly<Record<string, ProxyScheme>> = {
  direct: 'direct',
  proxy: 'http',
  https: 'https',
  socks: 'socks4',
  socks4: 'socks4',
  socks5: 'socks5',
};

/**
 * A PAC script's answer (`PROXY a:80; SOCKS5 b; DIRECT`), as Chromium reads it:
 * keywords in any case, default ports, unknown or malformed elements dropped,
 * and DIRECT when nothing usable is left.
 */
export function parsePacResult(text: string): ProxyServer[] {
  const list: ProxyServer[] = [];
  for (const element of String(text).split(';')) {
    const [keyword, address, extra] = element.trim().split(/\s+/);
    const scheme = keyword ? PAC_TYPES[keyword.toLowerCase()] : undefined;
    if (!scheme || extra !== undefined) continue;
    if (scheme === 'direct') {
      if (address === undefined) list.push(DIRECT);
      continue;
    }
    const server = address === undefined ? undefined : parseHostPort(address, scheme);
    if (server) list.push(server);
  }
  return list.length ? list : [DIRECT];
}
