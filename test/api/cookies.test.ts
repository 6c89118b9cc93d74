import test from 'ava';
import { app, session, BrowserWindow, type Cookie } from '../../src/index.js';
import { TestServer } from '../helpers/server.js';
import { readyApp, uniquePartition } from '../helpers/setup.js';

let server: TestServer;

test.before(async () => {
  server = await TestServer.start();
  server.setPage('/set', '<p>set</p>', { 'set-cookie': 'foo=bar' });
  server.setPage('/echo', '<p>echo</p>');
  await readyApp();
});

test.after.always(async () => {
  await app.quit();
  await server?.stop();
});

const fresh = () => session.fromPartition(uniquePartition('cookies'));

test('Cookies.get() - a cookie set by a server has Electron\'s exact shape', async (t) => {
  const ses = fresh();
  const win = new BrowserWindow({ show: false, webPreferences: { session: ses } });
  t.teardown(() => win.destroy());
  await win.loadURL(`${server.prefix}/set`);
  const cookies = await ses.cookies.get({ url: server.prefix });
  t.deepEqual(cookies, [
    { name: 'foo', value: 'bar', domain: '127.0.0.1', hostOnly: true, path: '/', secure: false, httpOnly: false, session: true, sameSite: 'unspecified' },
  ]);
});

test('Cookies.set() - a set cookie is sent by pages and read back', async (t) => {
  const ses = fresh();
  await ses.cookies.set({ url: server.prefix, name: 'token', value: 'abc' });
  const win = new BrowserWindow({ show: false, webPreferences: { session: ses } });
  t.teardown(() => win.destroy());
  const request = server.waitForRequest('/echo');
  await win.loadURL(`${server.prefix}/echo`);
  t.is((await request).headers.cookie, 'token=abc');
  t.is(await win.webContents.executeJavaScript('document.cookie'), 'token=abc');
  const [cookie] = await ses.cookies.get({ name: 'token' });
  t.like(cookie, { value: 'abc', sameSite: 'lax', session: true, hostOnly: true });
});

test('Cookies.set() - expirationDate makes a persistent cookie; same name overwrites', async (t) => {
  const ses = fresh();
  const expirationDate = Math.floor(Date.now() / 1000) + 3600;
  await ses.cookies.set({ url: server.prefix, name: 'p', value: '1', expirationDate });
  await ses.cookies.set({ url: server.prefix, name: 'p', value: '2', expirationDate });
  const cookies = await ses.cookies.get({});
  t.is(cookies.length, 1);
  t.like(cookies[0], { value: '2', session: false });
  t.is(Math.round(cookies[0]!.expirationDate!), expirationDate);
});

test('Cookies.set() - 150 concurrent calls all land, and the last write of a name wins', async (t) => {
  const ses = fresh();
  await Promise.all([
    ...Array.from({ length: 150 }, (_, i) => ses.cookies.set({ url: server.prefix, name: `c${i}`, value: String(i) })),
    ses.cookies.set({ url: server.prefix, name: 'c0', value: 'last' }),
  ]);
  const cookies = await ses.cookies.get({});
  t.is(cookies.length, 150);
  t.is(cookies.find((c) => c.name === 'c0')?.value, 'last');
  await ses.clearStorageData({ storages: ['cookies'] });
  t.deepEqual(await ses.cookies.get({}), []);
});

test('Cookies.set() - each sameSite value round-trips', async (t) => {
  const ses = fresh();
  for (const sameSite of ['unspecified', 'no_restriction', 'lax', 'strict'] as const) {
    await ses.cookies.set({ url: 'https://example.test/', name: sameSite, value: '1', sameSite, secure: true });
  }
  const cookies = await ses.cookies.get({});
  t.deepEqual(
    Object.fromEntries(cookies.map((c) => [c.name, c.sameSite])),
    { unspecified: 'unspecified', no_restriction: 'no_restriction', lax: 'lax', strict: 'strict' },
  );
});

test('Cookies.set() - rejects bad input with Electron\'s messages', async (t) => {
  const ses = fresh();
  await t.throwsAsync(ses.cookies.set({} as never), { message: "Missing required option 'url'" });
  await t.throwsAsync(ses.cookies.set({ url: '', name: 'a', value: 'b' }), {
    message: /^Failed to set cookie - The cookie was set with an invalid Domain attribute/,
  });
  await t.throwsAsync(ses.cookies.set({ url: 'https://electronjs.org', domain: 'wssss.iamabaddomain.fun', name: 'a' }), {
    message: /The cookie was set with an invalid Domain attribute/,
  });
  const refused = await t.throwsAsync(ses.cookies.set({ url: server.prefix, name: 'a', value: 's3cret;test' }), {
    message: /^Failed to set cookie - The cookie contains ASCII control characters/,
  });
  // The reason, never the value (nor in a cause below it).
  for (let at: unknown = refused; at instanceof Error; at = at.cause) t.notRegex(at.message, /s3cret/);
});

test('Cookies.set() - Chromium\'s other refusals reject with its reason and store nothing', async (t) => {
  const ses = fresh();
  const refusals: Array<[Parameters<typeof ses.cookies.set>[0], string]> = [
    [{ url: 'https://a.test/', name: 'n', sameSite: 'no_restriction', secure: false }, 'The cookie specified SameSite=None, but it was not Secure.'],
    [{ url: 'http://a.test/', name: 'n', secure: true }, 'The cookie was Secure, but the URL was not allowed to access Secure cookies.'],
    [{ url: 'https://a.test/', name: '__Host-n', secure: true, path: '/sub' }, 'The cookie was set with an invalid __Host- or __Secure- prefix.'],
    [{ url: 'http://a.test/', name: '__Secure-n' }, 'The cookie was set with an invalid __Host- or __Secure- prefix.'],
    [{ url: 'http://a.test/', name: 'n', value: 'x'.repeat(4096) }, 'The cookie exceeded the name/value pair size limit.'],
    [{ url: 'http://a.test/' }, 'The cookie contains no content or only whitespace.'],
  ];
  for (const [details, reason] of refusals) {
    await t.throwsAsync(ses.cookies.set(details), { message: `Failed to set cookie - ${reason}` });
  }
  t.deepEqual(await ses.cookies.get({}), []);
});

test('Cookies.set() - IP hosts, IPv6 and localhost get host-only cookies; Secure is allowed on localhost; no path is the URL\'s default path', async (t) => {
  const ses = fresh();
  await ses.cookies.set({ url: 'http://10.1.2.3:81/', name: 'ip', value: '1' });
  await ses.cookies.set({ url: 'http://[::1]:81/', name: 'ip6', value: '1' });
  await ses.cookies.set({ url: 'http://localhost/app/index.html', name: 'local', value: '1', secure: true });
  const shape = (cookies: Cookie[]) => cookies.map(({ name, domain, hostOnly, path, secure }) => ({ name, domain, hostOnly, path, secure }));
  t.deepEqual(shape(await ses.cookies.get({ url: 'http://10.1.2.3:81/' })), [{ name: 'ip', domain: '10.1.2.3', hostOnly: true, path: '/', secure: false }]);
  t.deepEqual(shape(await ses.cookies.get({ url: 'http://[::1]:81/' })), [{ name: 'ip6', domain: '[::1]', hostOnly: true, path: '/', secure: false }]);
  t.deepEqual(shape(await ses.cookies.get({ url: 'http://localhost/app/other' })), [{ name: 'local', domain: 'localhost', hostOnly: true, path: '/app', secure: true }]);
  t.deepEqual(await ses.cookies.get({ url: 'http://localhost/elsewhere' }), []);
});

test('Cookies.get() - domain filter matches domain cookies from subdomains', async (t) => {
  const ses = fresh();
  await ses.cookies.set({ url: 'http://example.test/', domain: 'example.test', name: 'd', value: '1' });
  await ses.cookies.set({ url: 'http://other.test/', name: 'o', value: '1' });
  t.deepEqual((await ses.cookies.get({ domain: 'a.b.example.test' })).map((c) => c.name), ['d']);
  t.is((await ses.cookies.get({})).length, 2);
});

test('Cookies.remove() - removes by url and name, and resolves when nothing matched', async (t) => {
  const ses = fresh();
  await ses.cookies.set({ url: server.prefix, name: 'a', value: '1' });
  await ses.cookies.set({ url: server.prefix, name: 'b', value: '2' });
  await ses.cookies.remove(server.prefix, 'a');
  await ses.cookies.remove(server.prefix, 'missing');
  t.deepEqual((await ses.cookies.get({})).map((c) => c.name), ['b']);
});

test('Cookies - partitions are isolated from each other and from the default session', async (t) => {
  const a = fresh();
  const b = fresh();
  await a.cookies.set({ url: server.prefix, name: 'who', value: 'a' });
  await b.cookies.set({ url: server.prefix, name: 'who', value: 'b' });
  t.deepEqual((await a.cookies.get({})).map((c) => c.value), ['a']);
  t.deepEqual((await b.cookies.get({})).map((c) => c.value), ['b']);
  t.false((await session.defaultSession.cookies.get({ name: 'who' })).some((c) => c.value === 'a' || c.value === 'b'));
});

test('Cookies - the callback forms of the 1.x docs', async (t) => {
  const ses = fresh();
  const setError = await new Promise<Error | null>((resolve) => {
    t.is(ses.cookies.set({ url: server.prefix, name: 'cb', value: '1' }, (error) => resolve(error)), undefined);
  });
  t.is(setError, null);
  const [getError, cookies] = await new Promise<[Error | null, Cookie[] | undefined]>((resolve) =>
    ses.cookies.get({ name: 'cb' }, (error, result) => resolve([error, result])),
  );
  t.is(getError, null);
  t.is(cookies?.[0]?.value, '1');
  const badError = await new Promise<Error | null>((resolve) => ses.cookies.set({ url: 'asdf' }, (error) => resolve(error)));
  t.regex(badError?.message ?? '', /invalid Domain attribute/);
  await new Promise<void>((resolve, reject) => ses.cookies.remove(server.prefix, 'cb', (error) => (error ? reject(error) : resolve())));
  await new Promise<void>((resolve) => ses.cookies.flushStore(() => resolve()));
  t.deepEqual(await ses.cookies.get({ name: 'cb' }), []);
});
