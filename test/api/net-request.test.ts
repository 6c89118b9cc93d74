import test from 'ava';
import { createHash } from 'node:crypto';
import { createServer, type default as http } from 'node:http';
import type { AddressInfo } from 'node:net';
import { app, net, session, ClientRequest, type IncomingMessage, type Session } from '../../src/index.js';
import { nextEvent, serverAndApp, uniquePartition } from '../helpers/setup.js';

const DIGEST_NONCE = 'dcd98b7102dd2f0e8b11d0f600bfb0c093';

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => resolve(body));
  });
}

const context = serverAndApp(test, (server) => {
  server.setRoute('/echo', (req, res) => {
    void readBody(req).then((body) => {
      res.writeHead(200, [
        ['Content-Type', 'application/json'],
        ['Set-Cookie', 'from-server=1'],
        ['X-Twice', 'first'],
        ['X-Twice', 'second'],
        ['Last-Modified', 'yesterday'],
        ['Last-Modified', 'today'],
      ].flat());
      const { cookie = null, referer = null, 'x-custom': custom = null } = req.headers;
      res.end(JSON.stringify({ method: req.method, body, cookie, referer, custom }));
    });
  });
  server.setRedirect('/302', '/echo', 302, { 'x-hop': 'one' });
  server.setRedirect('/307', '/echo', 307);
  server.setRedirect('/to-other-host', `${server.crossOrigin}/echo`);
  server.setRoute('/auth', (req, res) => {
    if (req.headers.authorization === `Basic ${Buffer.from('user:pass').toString('base64')}`) {
      res.end('authenticated');
      return;
    }
    res.writeHead(401, { 'www-authenticate': 'Basic realm="Foo"' });
    res.end('unauthenticated');
  });
  // Digest (RFC 7616, MD5, qop=auth) offered beside Basic; the server checks the answer itself.
  server.setRoute('/digest', (req, res) => {
    const fields = Object.fromEntries([...String(req.headers.authorization ?? '').matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)].map((m) => [m[1], m[2] ?? m[3]]));
    const md5 = (text: string) => createHash('md5').update(text).digest('hex');
    const ha1 = md5(`user:Digest place:pass`);
    const expected = md5(`${ha1}:${DIGEST_NONCE}:${fields.nc}:${fields.cnonce}:auth:${md5(`${req.method}:${fields.uri}`)}`);
    if (String(req.headers.authorization).startsWith('Digest ') && fields.uri === req.url && fields.response === expected && fields.opaque === 'op') {
      res.end(`digest ok ${req.method}`);
      return;
    }
    res.writeHead(401, { 'www-authenticate': [`Basic realm="Basic place"`, `Digest realm="Digest place", qop="auth", nonce="${DIGEST_NONCE}", opaque="op", algorithm=MD5`] });
    res.end('unauthenticated');
  });
  server.setRoute('/hang', () => undefined);
  // A body that stops half way until the test lets it finish.
  server.setRoute('/stream', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('first-');
    finishStream = () => res.end('last');
  });
});
let finishStream = (): void => undefined;

const url = (path: string): string => `${context.server.prefix}${path}`;
const fresh = (): Session => session.fromPartition(uniquePartition('net-request'));

/** Sends `request` (with `body`) and reads the whole response. */
async function send(request: ClientRequest, body?: string | Buffer): Promise<{ response: IncomingMessage; text: string }> {
  const responded = nextEvent<[IncomingMessage]>(request, 'response');
  request.end(body);
  const [response] = await responded;
  let text = '';
  response.on('data', (chunk: Buffer) => (text += chunk.toString()));
  await nextEvent(response, 'end');
  return { response, text };
}

test('net.request - a GET: the response, its headers shaped as Node does, data, end, then close on the request', async (t) => {
  const request = net.request({ url: url('/echo'), session: fresh() });
  const events: string[] = [];
  for (const name of ['finish', 'close', 'abort', 'error']) request.on(name, () => events.push(name));
  const closed = nextEvent(request, 'close');
  const { response, text } = await send(request);
  await closed;
  t.is(response.statusCode, 200);
  t.is(response.statusMessage, 'OK');
  t.is(response.httpVersion, '1.1');
  t.is(response.httpVersionMajor, 1);
  t.is(response.headers['content-type'], 'application/json');
  t.deepEqual(response.headers['set-cookie'], ['from-server=1']);
  t.is(response.headers['x-twice'], 'first, second');
  t.is(response.headers['last-modified'], 'yesterday');
  // As the server sent them: its order and case, each value apart (Node's own headers follow).
  t.deepEqual(response.rawHeaders.slice(0, 12), [
    'Content-Type', 'application/json', 'Set-Cookie', 'from-server=1', 'X-Twice', 'first', 'X-Twice', 'second',
    'Last-Modified', 'yesterday', 'Last-Modified', 'today',
  ]);
  t.throws(() => response.trailers, { message: 'HTTP trailers are not supported' });
  t.deepEqual(JSON.parse(text), { method: 'GET', body: '', cookie: null, referer: null, custom: null });
  t.deepEqual(events, ['finish', 'close']);
});

test('net.request - a body written in pieces, headers set before the first write, none after', async (t) => {
  const request = net.request({ method: 'post', url: url('/echo'), session: fresh(), headers: { 'X-Custom': 'given' } });
  t.is(request.getHeader('x-CUSTOM'), 'given');
  request.setHeader('X-Custom', 'replaced');
  request.write('hello ');
  t.throws(() => request.setHeader('X-Late', '1'), { message: "Can't set headers after they are sent" });
  t.throws(() => request.removeHeader('X-Custom'), { message: "Can't remove headers after they are sent" });
  const { text } = await send(request, Buffer.from('world'));
  t.deepEqual(JSON.parse(text), { method: 'POST', body: 'hello world', cookie: null, referer: null, custom: 'replaced' });
  t.deepEqual(request.getUploadProgress(), { active: true, started: true, current: 11, total: 11 });
});

test('net.request - the session\'s cookies only with useSessionCookies or credentials include, as in Electron', async (t) => {
  const ses = fresh();
  await ses.cookies.set({ url: url('/'), name: 'stored', value: 'v' });
  const plain = JSON.parse((await send(net.request({ url: url('/echo'), session: ses }))).text);
  t.is(plain.cookie, null);
  t.deepEqual((await ses.cookies.get({})).map((c) => c.name), ['stored'], 'the default stores no Set-Cookie either');
  const withCookies = JSON.parse((await send(net.request({ url: url('/echo'), session: ses, useSessionCookies: true }))).text);
  t.is(withCookies.cookie, 'stored=v');
  const names = (await ses.cookies.get({})).map((c) => c.name).sort();
  t.deepEqual(names, ['from-server', 'stored']);
  const partition = uniquePartition('net-request');
  await session.fromPartition(partition).cookies.set({ url: url('/'), name: 'partitioned', value: '1' });
  const byPartition = JSON.parse((await send(net.request({ url: url('/echo'), partition, credentials: 'include' }))).text);
  t.is(byPartition.cookie, 'partitioned=1');
});

test('net.request - redirects: followed with a redirect event, POST becomes GET on 302 and stays on 307; error and manual policies', async (t) => {
  const ses = fresh();
  const followed = net.request({ method: 'POST', url: url('/302'), session: ses });
  const redirects: unknown[] = [];
  followed.on('redirect', (statusCode, method, redirectUrl, headers) => redirects.push([statusCode, method, redirectUrl, headers['x-hop']]));
  t.deepEqual(JSON.parse((await send(followed, 'dropped')).text).method, 'GET');
  t.deepEqual(redirects, [[302, 'GET', url('/echo'), ['one']]]);
  t.deepEqual(JSON.parse((await send(net.request({ method: 'POST', url: url('/307'), session: ses }), 'kept')).text).body, 'kept');

  const refused = net.request({ url: url('/302'), session: ses, redirect: 'error' });
  const [[error]] = await Promise.all([nextEvent<[Error]>(refused, 'error'), refused.end()]);
  t.is(error.message, "Attempted to redirect, but redirect policy was 'error'");

  const manual = net.request({ url: url('/302'), session: ses, redirect: 'manual' });
  manual.on('redirect', () => manual.followRedirect());
  t.is((await send(manual)).response.statusCode, 200);
  const ignored = net.request({ url: url('/302'), session: ses, redirect: 'manual' });
  ignored.on('redirect', () => undefined);
  const [[cancelled]] = await Promise.all([nextEvent<[Error]>(ignored, 'error'), ignored.end()]);
  t.is(cancelled.message, 'Redirect was cancelled');
  t.throws(() => ignored.followRedirect(), { message: 'followRedirect() called, but was not waiting for a redirect' });
});

test('net.request - a redirect to another host needs no CORS, and carries that host\'s cookies', async (t) => {
  const ses = fresh();
  await ses.cookies.set({ url: context.server.crossOrigin, name: 'other', value: 'host' });
  const { text } = await send(net.request({ url: url('/to-other-host'), session: ses, useSessionCookies: true }));
  t.is(JSON.parse(text).cookie, 'other=host');
});

test('net.request - login: a Digest challenge (offered beside Basic, so chosen, as by Chrome) asks with scheme digest; the answer is computed for the request', async (t) => {
  const ses = fresh();
  const asked: unknown[] = [];
  for (const method of ['GET', 'POST']) {
    const request = net.request({ url: url('/digest?x=1'), method, session: ses });
    request.on('login', (authInfo, callback) => {
      asked.push(authInfo);
      callback('user', 'pass');
    });
    const { response, text } = await send(request);
    t.is(response.statusCode, 200);
    t.is(text, `digest ok ${method}`);
  }
  t.is(asked.length, 2);
  t.like(asked[0], { isProxy: false, scheme: 'digest', realm: 'Digest place', host: '127.0.0.1' });
  const wrong = net.request({ url: url('/digest'), session: ses });
  let tries = 0;
  wrong.on('login', (_authInfo, callback) => (tries++ ? callback() : callback('user', 'wrong')));
  t.is((await send(wrong)).response.statusCode, 401);
  t.is(tries, 2);
});

test('net.request - login: a Basic challenge asks, credentials answer it, no answer gives the 401; omit never asks; app is not asked', async (t) => {
  const ses = fresh();
  // With someone listening on app, Chrome hands every challenge to us: the request's are still the request's.
  let appAsked = 0;
  const onApp = (): number => appAsked++;
  app.on('login', onApp);
  t.teardown(() => app.off('login', onApp));
  const answered = net.request({ url: url('/auth'), session: ses, credentials: 'include' });
  answered.on('login', (authInfo, callback) => {
    t.like(authInfo, { isProxy: false, scheme: 'basic', realm: 'Foo', host: '127.0.0.1' });
    callback('user', 'pass');
  });
  t.is((await send(answered)).text, 'authenticated');
  const cancelled = net.request({ url: url('/auth'), session: ses });
  cancelled.on('login', (_authInfo, callback) => callback());
  const { response, text } = await send(cancelled);
  t.is(response.statusCode, 401);
  t.is(text, 'unauthenticated');
  const omitted = net.request({ url: url('/auth'), session: ses, credentials: 'omit' });
  let asked = 0;
  omitted.on('login', () => asked++);
  const result = await send(omitted);
  t.is(result.response.statusCode, 401);
  t.is(result.response.headers['www-authenticate'], 'Basic realm="Foo"');
  t.is(asked, 0);
  t.is(appAsked, 0);
});

test('net.request - webRequest listeners of the session see it; a cancel and a refused connection are errors', async (t) => {
  const ses = fresh();
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: details.url.endsWith('/blocked') }));
  const blocked = net.request({ url: url('/blocked'), session: ses });
  const [[error]] = await Promise.all([nextEvent<[Error]>(blocked, 'error'), blocked.end()]);
  t.is(error.message, 'net::ERR_BLOCKED_BY_CLIENT');
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise((resolve) => closed.close(resolve));
  const refused = net.request({ url: `http://127.0.0.1:${port}/`, session: ses });
  const [[failure]] = await Promise.all([nextEvent<[Error]>(refused, 'error'), refused.end()]);
  t.is(failure.message, 'net::ERR_CONNECTION_REFUSED');
});

test('net.request - abort: before end, while waiting, and in the response handler', async (t) => {
  const ses = fresh();
  const early = net.request({ url: url('/echo'), session: ses });
  const events: string[] = [];
  for (const name of ['response', 'finish', 'abort', 'close', 'error']) early.on(name, () => events.push(name));
  early.write('x');
  early.abort();
  early.abort();
  await nextEvent(early, 'close');
  t.deepEqual(events, ['abort', 'close']);

  const waiting = net.request({ url: url('/hang'), session: ses });
  waiting.on('response', () => t.fail('no response'));
  const arrived = context.server.waitForRequest('/hang');
  waiting.end();
  await arrived;
  const aborted = nextEvent(waiting, 'abort');
  waiting.abort();
  await aborted;

  const inResponse = net.request({ url: url('/echo'), session: ses });
  const responseEvents: string[] = [];
  inResponse.on('response', (response: IncomingMessage) => {
    response.on('end', () => responseEvents.push('end'));
    response.on('close', () => responseEvents.push('close'));
    inResponse.abort();
  });
  const endEvents = Promise.all([nextEvent(inResponse, 'abort'), nextEvent(inResponse, 'close')]);
  inResponse.end();
  await endEvents;
  t.deepEqual(responseEvents, ['close']);
});

test('net.request - the response comes with its head and its body flows as Chrome receives it', async (t) => {
  const request = net.request({ url: url('/stream'), session: fresh() });
  const responded = nextEvent<[IncomingMessage]>(request, 'response');
  request.end();
  const [response] = await responded;
  t.is(response.statusCode, 200);
  const [first] = await nextEvent<[Buffer]>(response, 'data');
  t.is(first.toString(), 'first-', 'the first part, while the server still holds the rest');
  let rest = '';
  response.on('data', (chunk: Buffer) => (rest += chunk.toString()));
  const ended = nextEvent(response, 'end');
  finishStream();
  await ended;
  t.is(rest, 'last');
});

test('net.request - Electron\'s errors for bad options', (t) => {
  t.throws(() => net.request('file://bar'), { message: 'ClientRequest only supports http: and https: protocols' });
  t.throws(() => net.request({ url: 'file://bar' }), { message: 'ClientRequest only supports http: and https: protocols' });
  t.throws(() => net.request({ url: url('/'), session: 1 as unknown as Session }), { instanceOf: TypeError, message: '`session` should be an instance of the Session class' });
  t.throws(() => net.request({ url: url('/'), partition: 1 as unknown as string }), { instanceOf: TypeError, message: '`partition` should be a string' });
  t.throws(() => net.request({ url: url('/'), headers: { foo: undefined as unknown as string } }), { message: '`value` required in setHeader("foo", value)' });
  t.throws(() => net.request({ url: url('/'), redirect: 'sideways' as 'follow' }), { message: 'redirect mode should be one of follow, error or manual' });
  t.throws(() => net.request({ path: '/a b' }), { instanceOf: TypeError, message: 'Request path contains unescaped characters' });
  t.throws(() => net.request({ url: url('/'), credentials: 'same-origin' }), { message: 'credentials: same-origin requires origin to be set' });
  const request = net.request({ hostname: '127.0.0.1', port: Number(new URL(context.server.prefix).port), path: '/x?y=1' });
  t.true(request instanceof ClientRequest);
  t.throws(() => request.getHeader(undefined as unknown as string), { message: '`name` is required for getHeader(name)' });
  t.throws(() => request.setHeader('bad name', 'v'), { message: "Invalid header name: 'bad name'" });
  request.chunkedEncoding = true;
  t.throws(() => (request.chunkedEncoding = false), { message: 'chunkedEncoding can only be set once' });
  request.abort();
});
