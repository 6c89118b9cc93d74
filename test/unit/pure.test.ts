import test from 'ava';
import { escapePartitionName } from '../../src/internal/partition-path.js';
import { filterCookies, toCookieParam, toElectronCookie } from '../../src/internal/cookie-convert.js';
import { netError, loadError } from '../../src/internal/net-errors.js';
import { parseExtraHeaders, referrerParams } from '../../src/internal/navigation.js';
import type { Protocol } from '../../protocol/cdp-types.js';
import { mergeFeatureSwitches } from '../../launcher/chrome-args.js';
import { headerBlock } from '../../src/internal/fetch-wire.js';
import { useNetwork } from '../../src/internal/network-domain.js';
import type { CdpSession } from '../../protocol/cdp-session.js';

test('escapePartitionName() - lower-cases and percent-encodes as Electron does', (t) => {
  t.is(escapePartitionName('My App'), 'my%20app');
  t.is(escapePartitionName('a:b?c#d'), 'a%3Ab%3Fc%23d');
  t.is(escapePartitionName('back`tick'), 'back%60tick');
  t.is(escapePartitionName('é'), '%C3%A9');
  t.is(escapePartitionName('nested/dir'), 'nested/dir');
  // Ours: never out of Partitions/, never onto another partition's folder.
  t.is(escapePartitionName('../../etc'), '%2E%2E%2F%2E%2E%2Fetc');
  t.is(escapePartitionName('/'), '%2F');
  t.is(escapePartitionName('a//b.c'), 'a%2F%2Fb%2Ec');
});

function cdpCookie(overrides: Partial<Protocol.Network.Cookie>): Protocol.Network.Cookie {
  return {
    name: 'n',
    value: 'v',
    domain: 'example.com',
    path: '/',
    expires: -1,
    size: 2,
    httpOnly: false,
    secure: false,
    session: true,
    priority: 'Medium',
    sameParty: false,
    sourceScheme: 'NonSecure',
    sourcePort: 80,
    ...overrides,
  } as Protocol.Network.Cookie;
}

test('toElectronCookie() - session cookies have no expirationDate; hostOnly from the leading dot', (t) => {
  t.deepEqual(toElectronCookie(cdpCookie({ domain: '127.0.0.1' })), {
    name: 'n',
    value: 'v',
    domain: '127.0.0.1',
    hostOnly: true,
    path: '/',
    secure: false,
    httpOnly: false,
    session: true,
    sameSite: 'unspecified',
  });
  const persistent = toElectronCookie(cdpCookie({ domain: '.example.com', session: false, expires: 2e9, sameSite: 'None' }));
  t.is(persistent.expirationDate, 2e9);
  t.false(persistent.hostOnly);
  t.is(persistent.sameSite, 'no_restriction');
});

test('filterCookies() - domain filter follows Electron 37+ (filter host within a domain cookie)', (t) => {
  const cookies = [cdpCookie({ name: 'dot', domain: '.example.com' }), cdpCookie({ name: 'host', domain: 'example.com' })];
  const names = (domain: string) => filterCookies(cookies, { domain }).map((c) => c.name);
  t.deepEqual(names('example.com'), ['dot', 'host']);
  t.deepEqual(names('a.b.example.com'), ['dot']);
  t.deepEqual(names('.example.com'), ['dot']);
  t.deepEqual(names('otherexample.com'), []);
});

test('filterCookies() - url filter applies domain, path and secure rules', (t) => {
  const cookies = [
    cdpCookie({ name: 'root', domain: 'a.test' }),
    cdpCookie({ name: 'deep', domain: 'a.test', path: '/x' }),
    cdpCookie({ name: 'secure', domain: 'a.test', secure: true }),
    cdpCookie({ name: 'other', domain: 'b.test' }),
  ];
  t.deepEqual(filterCookies(cookies, { url: 'http://a.test/' }).map((c) => c.name), ['root']);
  t.deepEqual(filterCookies(cookies, { url: 'https://a.test/x/y' }).map((c) => c.name), ['root', 'deep', 'secure']);
});

test('filterCookies() - name, path, secure, session and httpOnly are exact', (t) => {
  const cookies = [cdpCookie({ name: 'a', httpOnly: true }), cdpCookie({ name: 'b', session: false, expires: 2e9 })];
  t.deepEqual(filterCookies(cookies, { httpOnly: true }).map((c) => c.name), ['a']);
  t.deepEqual(filterCookies(cookies, { session: false }).map((c) => c.name), ['b']);
  t.deepEqual(filterCookies(cookies, { name: 'B' }), []);
});

test('toCookieParam() - Electron defaults: sameSite lax, secure only for no_restriction', (t) => {
  t.like(toCookieParam({ url: 'http://a.test/dir/page', value: 'v' }), { name: '', value: 'v', sameSite: 'Lax', secure: false, path: '/dir' });
  t.like(toCookieParam({ url: 'https://a.test/', name: 'n', sameSite: 'no_restriction' }), { sameSite: 'None', secure: true });
  t.like(toCookieParam({ url: 'http://a.test/', name: 'n', domain: 'A.test' }), { domain: '.a.test' });
});

test('toCookieParam() - rejects as Electron does', (t) => {
  t.throws(() => toCookieParam({} as never), { message: "Missing required option 'url'" });
  t.throws(() => toCookieParam({ url: 'asdf' }), { message: /^Failed to set cookie - The cookie was set with an invalid Domain attribute/ });
  t.throws(() => toCookieParam({ url: 'https://electronjs.org', domain: 'wssss.iamabaddomain.fun' }), {
    message: /The cookie was set with an invalid Domain attribute/,
  });
  t.throws(() => toCookieParam({ url: 'http://a.test/', value: 'test;test' }), {
    message: 'Failed to set cookie - The cookie contains ASCII control characters',
  });
  // Chromium's reasons that CDP does not apply (it would store these, or drop them without a word).
  const refused = (details: Parameters<typeof toCookieParam>[0], reason: string) =>
    t.throws(() => toCookieParam(details), { message: `Failed to set cookie - ${reason}` });
  refused({ url: 'http://a.test/' }, 'The cookie contains no content or only whitespace.');
  refused({ url: 'http://a.test/', name: 'n', value: 'x'.repeat(4096) }, 'The cookie exceeded the name/value pair size limit.');
  refused({ url: 'http://a.test/', name: 'n', path: `/${'p'.repeat(1024)}` }, 'Cookie exceeded the attribute size limit.');
  refused({ url: 'https://a.test/', name: '__Host-n' }, 'The cookie was set with an invalid __Host- or __Secure- prefix.');
  refused({ url: 'https://a.test/', name: '__host-n', secure: true, domain: 'a.test' }, 'The cookie was set with an invalid __Host- or __Secure- prefix.');
  refused({ url: 'http://a.test/', name: '__Secure-n', secure: true }, 'The cookie was set with an invalid __Host- or __Secure- prefix.');
  refused({ url: 'http://a.test/', name: 'n', secure: true }, 'The cookie was Secure, but the URL was not allowed to access Secure cookies.');
  refused({ url: 'https://a.test/', name: 'n', sameSite: 'no_restriction', secure: false }, 'The cookie specified SameSite=None, but it was not Secure.');
  t.like(toCookieParam({ url: 'http://localhost:8080/', name: '__Host-n', secure: true }), { secure: true, path: '/' });
  t.like(toCookieParam({ url: 'http://127.0.0.1/', name: 'n', secure: true }), { secure: true });
  t.throws(() => toCookieParam({ url: 'http://a.test/', sameSite: 'bogus' as never }), {
    message: "Failed to convert 'bogus' to an appropriate cookie same site value",
  });
});

test('netError() / loadError() - Electron codes and wording', (t) => {
  t.deepEqual(netError('net::ERR_CONNECTION_REFUSED'), { errorCode: -102, errorDescription: 'ERR_CONNECTION_REFUSED' });
  t.deepEqual(netError('something odd'), { errorCode: -2, errorDescription: 'ERR_FAILED' });
  const error = loadError(-105, 'ERR_NAME_NOT_RESOLVED', 'http://x.invalid/');
  t.is(error.message, "ERR_NAME_NOT_RESOLVED (-105) loading 'http://x.invalid/'");
  t.like(error, { code: 'ERR_NAME_NOT_RESOLVED', errno: -105, url: 'http://x.invalid/' });
});

test('parseExtraHeaders() / referrerParams() - Electron option shapes', (t) => {
  t.deepEqual(parseExtraHeaders('X-A: 1\nX-B:two\n'), { 'X-A': '1', 'X-B': 'two' });
  t.deepEqual(referrerParams('http://r/'), { referrer: 'http://r/' });
  t.deepEqual(referrerParams({ url: 'http://r/', policy: 'no-referrer' }), { referrer: 'http://r/', referrerPolicy: 'noReferrer' });
});

test('mergeFeatureSwitches() - one --disable-features holding ours and the user\'s', (t) => {
  t.deepEqual(mergeFeatureSwitches(['--a', '--disable-features=X,Y', '--b', '--disable-features=Y,Z', '--enable-features=E']), [
    '--a',
    '--b',
    '--disable-features=X,Y,Z',
    '--enable-features=E',
  ]);
});

test('masked() - debug logs never show passwords, credentials or cookie values', async (t) => {
  const { masked } = await import('../../protocol/debug.js');
  const params = {
    cookies: [{ name: 'sid', value: 'secret-session', domain: 'example.com' }],
    headers: [{ name: 'Authorization', value: 'Basic dXNlcjpwYXNz' }, { name: 'Accept', value: 'text/html' }],
    extra: { Cookie: 'a=b', 'X-Other': 'kept' },
    authChallengeResponse: { response: 'ProvideCredentials', username: 'user', password: 'pass' },
    url: 'http://user:pass@example.com/path',
  };
  t.deepEqual(masked(params), {
    cookies: [{ name: 'sid', value: '***', domain: 'example.com' }],
    headers: [{ name: 'Authorization', value: '***' }, { name: 'Accept', value: 'text/html' }],
    extra: { Cookie: '***', 'X-Other': 'kept' },
    authChallengeResponse: { response: 'ProvideCredentials', username: 'user', password: '***' },
    url: 'http://user:***@example.com/path',
  });
});

test('redactUrl() / redactText() - errors show no password, and no query value of a browser endpoint', async (t) => {
  const { redactUrl, redactText } = await import('../../protocol/errors.js');
  t.is(redactUrl('https://user:s3cret@example.com/a?b=c'), 'https://user:***@example.com/a?b=c');
  t.is(redactUrl('https://example.com/a?b=c'), 'https://example.com/a?b=c');
  t.is(redactUrl('wss://gw.example/chrome?token=s3cret&x=1', { query: true }), 'wss://gw.example/chrome?token=***&x=***');
  t.is(redactUrl('https://user:key@hub.example/wd/hub', { query: true }), 'https://user:***@hub.example/wd/hub');
  t.is(redactUrl('not a url user:x@y'), 'not a url user:x@y');
  t.is(redactText('Cannot reach http://me:s3cret@10.0.0.1:9222/ and ws://a:b@c/'), 'Cannot reach http://me:***@10.0.0.1:9222/ and ws://a:***@c/');
});

test('headerBlock() - the header lines of a raw HTTP/1 head, in order, the status line left out', (t) => {
  t.deepEqual(headerBlock('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Twice: a\r\nx-twice:  b:c \r\n\r\n'), [
    ['Content-Type', 'text/html'],
    ['X-Twice', 'a'],
    ['x-twice', 'b:c'],
  ]);
  t.is(headerBlock('HTTP/1.1 204 No Content\r\n\r\n'), undefined);
});

test('useNetwork() - users are counted per client; an enable that fails counts nobody, so the next user enables again', async (t) => {
  const sent: string[] = [];
  let refuse = true;
  const client = {
    send: async (method: string) => {
      sent.push(method);
      if (refuse && method === 'Network.enable') throw new Error('refused');
      return {};
    },
  } as unknown as CdpSession;
  await t.throwsAsync(useNetwork(client), { message: 'refused' });
  refuse = false;
  const first = await useNetwork(client);
  const second = await useNetwork(client);
  first();
  first();
  t.deepEqual(sent, ['Network.enable', 'Network.enable']);
  second();
  t.deepEqual(sent, ['Network.enable', 'Network.enable', 'Network.disable']);
});
