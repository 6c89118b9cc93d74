import test from 'ava';
import { net, session, type Session } from '../../src/index.js';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { backendOf } from '../../src/internal/session-backend.js';
import { HELPER_PATH } from '../../src/internal/request-interceptor.js';
import { freshDir, removeDir, serverAndApp, uniquePartition } from '../helpers/setup.js';

const context = serverAndApp(test, (server) => {
  server.setRoute('/echo', (req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'from-server=1' });
      res.end(JSON.stringify({ method: req.method, body, cookie: req.headers.cookie ?? null, ua: req.headers['user-agent'] }));
    });
  });
  server.setRedirect('/moved', '/echo', 301);
  server.setRoute('/slow', () => undefined);
  server.setRedirect('/to-other-host', `${server.crossOrigin}/echo`);
  server.setRedirect('/to-scheme', 'redirect-scheme://target/', 307);
  server.setRedirect('/to-file', 'file:///etc/hostname');
  // A body that stops half way until the test lets it finish.
  server.setRoute('/stream', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('first-');
    streams.push(() => res.end('last'));
  });
  // A body that never ends: the request is let go only when the client drops it.
  server.setRoute('/endless', (req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('never ends');
    req.socket.once('close', () => endlessEnded());
  });
  server.setRoute('/big', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(BIG);
  });
});
const streams: Array<() => void> = [];
let endlessEnded = (): void => undefined;
const endlessDropped = new Promise<void>((resolve) => (endlessEnded = resolve));
const BIG = Buffer.alloc(5 * 1024 * 1024 + 17, 0).map((_, i) => (i * 7) % 251);

const fresh = (): Session => session.fromPartition(uniquePartition('fetch'));
const url = (path: string): string => `${context.server.prefix}${path}`;

test('Session.fetch() - sent by the session: its cookies go out, Set-Cookie is stored, its user agent is used', async (t) => {
  const ses = fresh();
  ses.setUserAgent('fetch-agent/1.0');
  await ses.cookies.set({ url: url('/'), name: 'wild_cookie', value: 'v1' });
  const response = await ses.fetch(url('/echo'), { method: 'POST', body: 'hello', credentials: 'include' });
  t.true(response.ok);
  t.is(response.status, 200);
  t.deepEqual(await response.json(), { method: 'POST', body: 'hello', cookie: 'wild_cookie=v1', ua: 'fetch-agent/1.0' });
  const names = (await ses.cookies.get({})).map((c) => c.name).sort();
  t.deepEqual(names, ['from-server', 'wild_cookie']);
});

test('Session.fetch() - webRequest listeners apply; a cancel rejects with net::ERR_BLOCKED_BY_CLIENT', async (t) => {
  const ses = fresh();
  const seen: string[] = [];
  ses.webRequest.onBeforeRequest((details, callback) => {
    seen.push(`${details.resourceType} ${details.url}`);
    callback({ cancel: details.url.endsWith('/blocked') });
  });
  t.is((await ses.fetch(url('/echo'))).status, 200);
  await t.throwsAsync(ses.fetch(url('/blocked')), { message: 'net::ERR_BLOCKED_BY_CLIENT' });
  t.deepEqual(seen, [`xhr ${url('/echo')}`, `xhr ${url('/blocked')}`]);
});

test('Session.fetch() - protocol handlers: intercepted https, registered custom schemes, unhandled ones', async (t) => {
  const ses = fresh();
  ses.protocol.handle('https', (request) => new Response(`hello ${request.url}`));
  ses.protocol.handle('test-scheme', (request) => new Response(`custom ${request.url}`));
  t.is(await (await ses.fetch('https://foo')).text(), 'hello https://foo/');
  t.is(await (await ses.fetch('test-scheme://foo/')).text(), 'custom test-scheme://foo/');
  ses.protocol.unhandle('test-scheme');
  await t.throwsAsync(ses.fetch('test-scheme://foo/'), { message: /ERR_UNKNOWN_URL_SCHEME/ });
});

test('Session.fetch() - redirect modes, DNS failures and aborts as in Electron', async (t) => {
  const ses = fresh();
  t.deepEqual(await (await ses.fetch(url('/moved'))).json(), { method: 'GET', body: '', cookie: null, ua: ses.getUserAgent() });
  await t.throwsAsync(ses.fetch(url('/moved'), { redirect: 'error' }), { message: "Attempted to redirect, but redirect policy was 'error'" });
  const manual = await ses.fetch(url('/moved'), { redirect: 'manual' });
  t.is(manual.status, 301);
  t.is(manual.headers.get('location'), '/echo');
  await t.throwsAsync(ses.fetch('http://no-such-host.invalid/'), { message: /ERR_NAME_NOT_RESOLVED/ });
  await t.throwsAsync(ses.fetch(url('/echo'), { signal: AbortSignal.abort() }), { any: true, name: 'AbortError' });
  const controller = new AbortController();
  const pending = ses.fetch(url('/slow'), { signal: controller.signal });
  controller.abort(new Error('stop'));
  await t.throwsAsync(pending, { message: 'stop' });
});

test('Session.fetch() - redirects are followed hop by hop: to another host without CORS (with its cookies), to a registered scheme, never to file:', async (t) => {
  const ses = fresh();
  await ses.cookies.set({ url: context.server.crossOrigin, name: 'other', value: 'host' });
  const crossed = await ses.fetch(url('/to-other-host'), { credentials: 'include' });
  t.is((await crossed.json()).cookie, 'other=host');
  ses.protocol.handle('redirect-scheme', async (request) => new Response(`${request.method} ${await request.text()}`));
  t.is(await (await ses.fetch(url('/to-scheme'), { method: 'POST', body: 'kept' })).text(), 'POST kept');
  await t.throwsAsync(ses.fetch(url('/to-file')), { message: /ERR_UNSAFE_REDIRECT/ });
});

test('Session.fetch() - resolves with the head; the body streams as Chrome receives it, can be aborted half way, and arrives whole when large', async (t) => {
  const ses = fresh();
  const response = await ses.fetch(url('/stream'));
  t.is(response.status, 200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  t.is(decoder.decode((await reader.read()).value), 'first-', 'the first part, while the server still holds the rest');
  streams.shift()!();
  let rest = '';
  for (let next = await reader.read(); !next.done; next = await reader.read()) rest += decoder.decode(next.value);
  t.is(rest, 'last');

  const controller = new AbortController();
  const halfway = await ses.fetch(url('/stream'), { signal: controller.signal });
  const partial = halfway.body!.getReader();
  t.is(decoder.decode((await partial.read()).value), 'first-');
  controller.abort(new Error('enough'));
  await t.throwsAsync(partial.read(), { message: 'enough' });
  streams.shift()!();

  const big = Buffer.from(await (await ses.fetch(url('/big'))).arrayBuffer());
  t.is(big.length, BIG.length);
  t.true(big.equals(BIG));
});

test('Session.fetch() - a response dropped unread lets its request go once it is garbage collected', async (t) => {
  const userData = freshDir('cs-unread-');
  t.teardown(() => removeDir(userData));
  const script = fileURLToPath(new URL('../fixtures/unread-body-child.js', import.meta.url));
  const child = spawn(process.execPath, ['--expose-gc', script, userData, url('/endless')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  // Dropped while the child still collects, before it quits (Chrome's closing would end the request too).
  const dropped = await Promise.race([endlessDropped.then(() => !out.includes('QUIT')), exited.then(() => false)]);
  await exited;
  t.is(out, 'status 200\nQUIT\n');
  t.true(dropped, 'the server saw the request end before the child quit');
});

test('Session.fetch() - when the page it is sent from crashes, the next fetch of that origin is sent from a new one', async (t) => {
  const ses = fresh();
  const url = `${context.server.prefix}/echo`;
  t.is((await ses.fetch(url)).status, 200);
  const helpers = async () => (await backendOf(ses)).targets.records().filter((record) => record.targetInfo.url.endsWith(HELPER_PATH));
  const [helper] = await helpers();
  t.truthy(helper);
  await helper!.client.send('Page.crash').catch(() => undefined);
  const response = await ses.fetch(url);
  t.is(response.status, 200);
  t.false((await helpers()).includes(helper!));
});

test('net.fetch() - the default session; file: URLs', async (t) => {
  t.is((await net.fetch(url('/echo'))).status, 200);
  const text = await (await net.fetch(new URL(import.meta.url).href)).text();
  t.true(text.includes('net.fetch() - the default session'));
});
