import { domainMatch, getPublicSuffix, pathMatch } from 'tough-cookie';
import type { Protocol } from '../../protocol/cdp-types.js';
import type { Cookie, CookiesGetFilter, CookiesSetDetails } from '../structures.js';

const SAME_SITE_TO_CDP = { no_restriction: 'None', lax: 'Lax', strict: 'Strict' } as const;
const SAME_SITE_FROM_CDP = { None: 'no_restriction', Lax: 'lax', Strict: 'strict' } as const;
const SAME_SITE_VALUES = new Set(['unspecified', 'no_restriction', 'lax', 'strict']);

/** Chrome's cookie → Electron's Cookie (units, sameSite names, hostOnly from the leading dot). */
export function toElectronCookie(cookie: Protocol.Network.Cookie): Cookie {
  const result: Cookie = {
    name: cookie.name,
    value: cookie.value,
    domain: cookie.domain,
    hostOnly: !cookie.domain.startsWith('.'),
    path: cookie.path,
    secure: cookie.secure,
    httpOnly: cookie.httpOnly,
    session: cookie.session,
    sameSite: cookie.sameSite ? SAME_SITE_FROM_CDP[cookie.sameSite] : 'unspecified',
  };
  if (!cookie.session) result.expirationDate = cookie.expires;
  return result;
}

/** Electron's domain filter (v37+): the filter host equals the domain, or lies within a domain cookie's domain. */
function domainFilterMatches(filter: string, cookieDomain: string): boolean {
  if (filter === cookieDomain) return true;
  if (!cookieDomain.startsWith('.')) return false;
  const base = cookieDomain.slice(1);
  const host = filter.startsWith('.') ? filter.slice(1) : filter;
  return host === base || host.endsWith(`.${base}`);
}

/** Would a request to `url` carry this cookie (RFC 6265 domain, path and secure rules)? */
function appliesToUrl(cookie: Protocol.Network.Cookie, url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const domain = cookie.domain.startsWith('.') ? cookie.domain.slice(1) : cookie.domain.replace(/^\[|\]$/g, '');
  const domainOk = cookie.domain.startsWith('.') ? domainMatch(host, domain, true) === true : host === domain;
  if (!domainOk) return false;
  if (!pathMatch(url.pathname || '/', cookie.path)) return false;
  return !cookie.secure || secureOrigin(url);
}

export function filterCookies(cookies: Protocol.Network.Cookie[], filter: CookiesGetFilter): Protocol.Network.Cookie[] {
  let url: URL | undefined;
  if (filter.url) {
    try {
      url = new URL(filter.url);
    } catch {
      return [];
    }
  }
  return cookies.filter(
    (cookie) =>
      (!url || appliesToUrl(cookie, url)) &&
      (filter.name === undefined || cookie.name === filter.name) &&
      (filter.domain === undefined || domainFilterMatches(filter.domain, cookie.domain)) &&
      (filter.path === undefined || cookie.path === filter.path) &&
      (filter.secure === undefined || cookie.secure === filter.secure) &&
      (filter.httpOnly === undefined || cookie.httpOnly === filter.httpOnly) &&
      (filter.session === undefined || cookie.session === filter.session),
  );
}

export const INVALID_DOMAIN = 'Failed to set cookie - The cookie was set with an invalid Domain attribute.';
// Chromium refuses control characters (and ';', which would end the pair) in names and values.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000a-\u001f\u007f;]/;

/** Potentially trustworthy for Chromium's Secure cookies: https/wss, or localhost and loopback addresses. */
function secureOrigin(url: URL): boolean {
  const host = url.hostname;
  return url.protocol === 'https:' || url.protocol === 'wss:' || host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '[::1]';
}

/**
 * The inclusion reason Chromium gives for a cookie it will not set (in its
 * wording, the one Electron uses), for the rules CDP does not apply itself.
 */
function refusal(url: URL, param: Protocol.Network.CookieParam, sameSite: string): string | undefined {
  if (param.name.length + param.value.length > 4096) return 'The cookie exceeded the name/value pair size limit.';
  if (!param.name && !param.value.trim()) return 'The cookie contains no content or only whitespace.';
  if ((param.domain?.length ?? 0) > 1024 || (param.path?.length ?? 0) > 1024) return 'Cookie exceeded the attribute size limit.';
  const lower = param.name.toLowerCase();
  const hostPrefix = lower.startsWith('__host-');
  if ((hostPrefix || lower.startsWith('__secure-')) && (!param.secure || !secureOrigin(url) || (hostPrefix && (param.domain || param.path !== '/')))) {
    return 'The cookie was set with an invalid __Host- or __Secure- prefix.';
  }
  if (param.secure && !secureOrigin(url)) return 'The cookie was Secure, but the URL was not allowed to access Secure cookies.';
  if (sameSite === 'no_restriction' && !param.secure) return 'The cookie specified SameSite=None, but it was not Secure.';
  return undefined;
}

/**
 * Validates `cookies.set()` details as Electron does and builds Chrome's
 * CookieParam. Throws the Error Electron rejects with.
 */
export function toCookieParam(details: CookiesSetDetails): Protocol.Network.CookieParam {
  if (!details || typeof details !== 'object' || !('url' in details)) throw new Error("Missing required option 'url'");
  let url: URL;
  try {
    url = new URL(String(details.url));
  } catch {
    throw new Error(INVALID_DOMAIN);
  }
  if (!url.hostname) throw new Error(INVALID_DOMAIN);
  const name = details.name === undefined ? '' : String(details.name);
  const value = details.value === undefined ? '' : String(details.value);
  if (CONTROL_CHARACTERS.test(name) || CONTROL_CHARACTERS.test(value)) {
    throw new Error('Failed to set cookie - The cookie contains ASCII control characters');
  }
  const sameSite = details.sameSite ?? 'lax';
  if (!SAME_SITE_VALUES.has(sameSite)) {
    throw new Error(`Failed to convert '${String(sameSite)}' to an appropriate cookie same site value`);
  }
  const param: Protocol.Network.CookieParam = { name, value, url: url.href };
  if (details.domain) {
    const domain = details.domain.toLowerCase();
    const bare = domain.startsWith('.') ? domain.slice(1) : domain;
    if (url.hostname !== bare && !url.hostname.endsWith(`.${bare}`)) throw new Error(INVALID_DOMAIN);
    param.domain = `.${bare}`;
  }
  // As Electron (Chromium's CanonPathWithString): no path is the URL's default path; CDP alone would use '/'.
  param.path = details.path !== undefined && String(details.path).startsWith('/') ? String(details.path) : defaultPath(url);
  param.secure = details.secure ?? sameSite === 'no_restriction';
  // What Chromium refuses and CDP would store anyway (or drop without a word).
  const refused = refusal(url, param, sameSite);
  if (refused) throw new Error(`Failed to set cookie - ${refused}`);
  if (details.httpOnly !== undefined) param.httpOnly = Boolean(details.httpOnly);
  if (sameSite !== 'unspecified') param.sameSite = SAME_SITE_TO_CDP[sameSite];
  if (details.expirationDate !== undefined) param.expires = Number(details.expirationDate);
  return param;
}

/** The CookieParam that deletes `cookie`: the same identity, already expired. */
export function expiredCopy(cookie: Protocol.Network.Cookie, url: string): Protocol.Network.CookieParam {
  const param: Protocol.Network.CookieParam = {
    name: cookie.name,
    value: '',
    path: cookie.path,
    secure: cookie.secure,
    httpOnly: cookie.httpOnly,
    expires: 1,
  };
  if (cookie.sameSite) param.sameSite = cookie.sameSite;
  if (cookie.partitionKey) param.partitionKey = cookie.partitionKey;
  // A host-only cookie is named by its URL; a domain cookie by its domain.
  if (cookie.domain.startsWith('.')) param.domain = cookie.domain;
  else param.url = `${cookie.secure ? 'https' : new URL(url).protocol.replace(':', '')}://${cookie.domain}${cookie.path}`;
  return param;
}

/** A host's registrable domain (eTLD+1, by the public suffix list): how Chrome groups cookies for its limits and clearData its origins. */
export function siteOf(host: string): string {
  const bare = host.replace(/^\./, '');
  try {
    return getPublicSuffix(bare) ?? bare;
  } catch {
    // Special-use names (localhost, *.test, ...) make tough-cookie throw: the host is its own site.
    return bare;
  }
}

/**
 * Where Chrome stores the cookie a CookieParam from `toCookieParam` sets: its
 * domain (the URL's host, or `.domain`) and path.
 */
export function storedIdentity(param: Protocol.Network.CookieParam): { name: string; domain: string; path: string } {
  return { name: param.name, domain: param.domain ?? new URL(param.url ?? 'http://invalid/').hostname, path: param.path ?? '/' };
}

/** RFC 6265 5.1.4's default path: the URL's path up to (not including) its last '/', or '/'. */
function defaultPath(url: URL): string {
  const last = url.pathname.lastIndexOf('/');
  return url.pathname.startsWith('/') && last > 0 ? url.pathname.slice(0, last) : '/';
}
