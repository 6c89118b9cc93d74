import test from 'ava';
import fc from 'fast-check';
import type { Protocol } from '../../protocol/cdp-types.js';
import { filterCookies, toCookieParam, toElectronCookie } from '../../src/internal/cookie-convert.js';
import { parseMatchPattern } from '../../src/internal/match-pattern.js';
import { escapePartitionName } from '../../src/internal/partition-path.js';
import { headerEntries } from '../../src/internal/request-details.js';

/** What Chrome's Fetch glob matching does: `*` any run, `?` one character, backslash escapes. */
function globMatches(glob: string, url: string): boolean {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\') source += (glob[++i] ?? '').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else source += c.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's').test(url);
}

// Labels start with a letter: an all-digit last label would make the host an IPv4 number.
// No hyphens at positions 3 and 4: URL parsing takes `xn--` and the like for punycode and refuses them.
const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/).filter((text) => text.slice(2, 4) !== '--');
const host = fc.array(label, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('.'));
const pathSegment = fc.stringMatching(/^[a-zA-Z0-9._~-]{0,6}$/);
const url = fc
  .record({ scheme: fc.constantFrom('http', 'https', 'ws', 'wss', 'ftp', 'custom'), host, port: fc.option(fc.integer({ min: 1, max: 65535 })), path: fc.array(pathSegment, { maxLength: 3 }), query: fc.option(pathSegment) })
  .map(({ scheme, host: h, port, path, query }) => new URL(`${scheme}://${h}${port ? `:${port}` : ''}/${path.join('/')}${query ? `?${query}` : ''}`));
const pattern = fc
  .record({
    scheme: fc.constantFrom('*', 'http', 'https', 'ws', 'custom'),
    host: fc.oneof(fc.constant('*'), host, host.map((h) => `*.${h}`)),
    port: fc.option(fc.oneof(fc.constant('*'), fc.integer({ min: 1, max: 65535 }).map(String))),
    path: fc.array(fc.oneof(pathSegment, fc.constant('*')), { maxLength: 3 }).map((parts) => `/${parts.join('/')}`),
  })
  .map(({ scheme, host: h, port, path }) => `${scheme}://${h}${port ? `:${port}` : ''}${path}`);

test('match patterns - every valid pattern parses, and its Fetch glob pauses whatever it matches', (t) => {
  fc.assert(
    fc.property(pattern, fc.array(url, { minLength: 1, maxLength: 8 }), (source, urls) => {
      const parsed = parseMatchPattern(source);
      return urls.every((candidate) => !parsed.matches(candidate) || globMatches(parsed.glob, candidate.href));
    }),
  );
  t.pass();
});

test('match patterns - a pattern built from a URL matches that URL', (t) => {
  fc.assert(
    fc.property(url, (candidate) => {
      const source = `${candidate.protocol}//${candidate.hostname}${candidate.pathname}${candidate.search ? '*' : ''}`;
      return parseMatchPattern(source).matches(candidate);
    }),
  );
  t.pass();
});

test('match patterns - garbage never throws anything but Electron\'s TypeError', (t) => {
  fc.assert(
    fc.property(fc.string(), (source) => {
      try {
        parseMatchPattern(source);
      } catch (error) {
        return error instanceof TypeError && error.message.startsWith(`Invalid url pattern ${source}: `);
      }
      return true;
    }),
  );
  t.pass();
});

test('partition names - escaping is lower-case, safe for a path segment and one-to-one on lower-case names', (t) => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
      const escaped = escapePartitionName(a);
      if (/[A-Z]/.test(escaped.replace(/%[0-9A-F]{2}/g, ''))) return false;
      if (/[\u0000-\u001f\u007f-\uffff :?"<>|\\]/.test(escaped)) return false;
      return a.toLowerCase() === b.toLowerCase() || escapePartitionName(b) !== escaped;
    }),
  );
  t.pass();
});

test('header entries - never a name Chrome would refuse nor a value that splits a header', (t) => {
  fc.assert(
    fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.array(fc.string()))), (headers) =>
      headerEntries(headers).every(({ name, value }) => /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) && !/[\r\n]/.test(value)),
    ),
  );
  t.pass();
});

const cookie = fc.record({
  name: fc.stringMatching(/^[a-z]{1,5}$/),
  value: fc.stringMatching(/^[a-z0-9]{0,5}$/),
  domain: fc.constantFrom('example.com', '.example.com', 'a.example.com', '.a.example.com', 'other.org', '127.0.0.1', 'localhost'),
  path: fc.constantFrom('/', '/a', '/a/b'),
  secure: fc.boolean(),
  httpOnly: fc.boolean(),
  session: fc.boolean(),
});

test('cookies - filters only ever narrow, and every result satisfies the exact filters', (t) => {
  fc.assert(
    fc.property(fc.array(cookie, { maxLength: 12 }), cookie, fc.boolean(), (list, probe, useUrl) => {
      const cdp = list.map((c) => ({ ...c, expires: c.session ? -1 : 2e9, size: 1, priority: 'Medium', sameParty: false, sourceScheme: 'Secure', sourcePort: 443 }) as unknown as Protocol.Network.Cookie);
      const filter = { name: probe.name, path: probe.path, secure: probe.secure, ...(useUrl ? { url: `https://${probe.domain.replace(/^\./, '')}${probe.path}` } : {}) };
      const found = filterCookies(cdp, filter);
      return found.every((c) => cdp.includes(c) && c.name === filter.name && c.path === filter.path && c.secure === filter.secure);
    }),
  );
  t.pass();
});

test('cookies - set() details accepted for a URL come back in Electron\'s shape', (t) => {
  fc.assert(
    fc.property(cookie, (c) => {
      const host = c.domain.replace(/^\./, '');
      const param = toCookieParam({ url: `https://${host}${c.path}`, name: c.name, value: c.value, path: c.path, secure: c.secure, httpOnly: c.httpOnly });
      const back = toElectronCookie({ ...param, domain: host, path: c.path, expires: -1, session: true, size: 1, secure: param.secure ?? false, httpOnly: param.httpOnly ?? false } as unknown as Protocol.Network.Cookie);
      return back.name === c.name && back.value === c.value && back.session && back.expirationDate === undefined && back.hostOnly;
    }),
  );
  t.pass();
});
