import test from 'ava';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { session, type AuthInfo } from '../../src/index.js';
import { TestProxy, TestSocksProxy } from '../helpers/proxy.js';
import { openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

// The `.test` names below resolve nowhere: only a proxy can answer them, so a page's title says who carried it.
const context = serverAndApp(test, (server) => {
  server.setPage('/origin', '<title>origin</title>');
  // Headers, then a body that never comes.
  server.setRoute('/stall', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
    res.flushHeaders();
  });
  server.setRoute('/echo', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
      res.end(Buffer.concat(chunks));
    });
  });
});
const proxies = {} as { a: TestProxy; b: TestProxy };

test.before(async () => {
  proxies.a = await TestProxy.start('A');
  proxies.b = await TestProxy.start('B');
});
test.after.always(async () => {
  await proxies.a?.stop();
  await proxies.b?.stop();
});

test('setProxy() - a live session switches between two proxies and back to direct; other sessions are untouched', async (t) => {
  const ses = session.fromPartition(uniquePartition('proxy'));
  const other = session.fromPartition(uniquePartition('proxy'));
  await ses.setProxy({ proxyRules: `http=${proxies.a.address}` });
  const win = await openWindow(t, ses, 'http://switch.test/one');
  t.is(win.webContents.getTitle(), 'A http://switch.test/one');

  // The open page's next connections follow the new setting.
  await ses.setProxy({ proxyRules: proxies.b.address });
  await win.loadURL('http://switch.test/two');
  t.is(win.webContents.getTitle(), 'B http://switch.test/two');

  await ses.setProxy({ mode: 'direct' });
  await t.throwsAsync(win.loadURL('http://switch.test/three'), { message: /ERR_NAME_NOT_RESOLVED/ });
  await win.loadURL(`${context.server.prefix}/origin`);
  t.is(win.webContents.getTitle(), 'origin');

  const elsewhere = await openWindow(t, other);
  await t.throwsAsync(elsewhere.loadURL('http://switch.test/other'), { message: /ERR_NAME_NOT_RESOLVED/ });
  t.deepEqual([...proxies.a.seen, ...proxies.b.seen].map((seen) => seen.url).filter((url) => url.startsWith('http://switch.test/') && !url.endsWith('favicon.ico')), [
    'http://switch.test/one',
    'http://switch.test/two',
  ]);
});

test('setProxy() - https goes to the session\'s proxy as a CONNECT tunnel; a refused tunnel fails the load', async (t) => {
  const ses = session.fromPartition(uniquePartition('proxy'));
  await ses.setProxy({ proxyRules: `https=${proxies.a.address}` });
  const win = await openWindow(t, ses);
  await t.throwsAsync(win.loadURL('https://tunnel.test/'), { message: /ERR_TUNNEL_CONNECTION_FAILED/ });
  t.true(proxies.a.requestsFor('tunnel.test:443').some((seen) => seen.method === 'CONNECT'));
});

test('setProxy() - a fail-over list skips a proxy that cannot be reached; socks5 proxies carry requests too', async (t) => {
  const socks = await TestSocksProxy.start(Number(new URL(context.server.prefix).port));
  t.teardown(() => socks.stop());
  const ses = session.fromPartition(uniquePartition('proxy'));
  // Port 1 on loopback refuses connections.
  await ses.setProxy({ proxyRules: `http://127.0.0.1:1,${proxies.b.address}` });
  const win = await openWindow(t, ses, 'http://failover.test/');
  t.is(win.webContents.getTitle(), 'B http://failover.test/');

  await ses.setProxy({ proxyRules: `socks5://127.0.0.1:${socks.port}` });
  await win.loadURL('http://socks.test/origin');
  t.is(win.webContents.getTitle(), 'origin');
  // Chrome may open more than one connection (the favicon, a spare): every one asked for socks.test by name.
  t.deepEqual([...new Set(socks.targets.filter((target) => target.startsWith('socks.test')))], ['socks.test:80']);
});

test('setProxy() - pac_script: the PAC script picks the proxy per URL; forceReloadProxyConfig() fetches it again', async (t) => {
  let target = proxies.a.address;
  const pacServer = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/x-ns-proxy-autoconfig' });
    res.end(`function FindProxyForURL(url, host) {
      if (shExpMatch(host, "*.direct.test")) return "DIRECT";
      return "PROXY ${target}";
    }`);
  });
  await new Promise<void>((resolve) => pacServer.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => pacServer.close(() => resolve())));
  const pacScript = `http://127.0.0.1:${(pacServer.address() as AddressInfo).port}/proxy.pac`;

  const ses = session.fromPartition(uniquePartition('proxy'));
  await ses.setProxy({ pacScript });
  t.is(await ses.resolveProxy('http://pac.test/'), `PROXY ${proxies.a.address}`);
  t.is(await ses.resolveProxy('http://www.direct.test/'), 'DIRECT');
  // The implicit bypass applies to PAC answers: loopback stays direct.
  t.is(await ses.resolveProxy(`${context.server.prefix}/`), 'DIRECT');
  const win = await openWindow(t, ses, 'http://pac.test/page');
  t.is(win.webContents.getTitle(), 'A http://pac.test/page');

  target = proxies.b.address;
  t.is(await ses.resolveProxy('http://pac.test/'), `PROXY ${proxies.a.address}`);
  await ses.forceReloadProxyConfig();
  t.is(await ses.resolveProxy('http://pac.test/'), `PROXY ${proxies.b.address}`);
  await win.loadURL('http://pac.test/again');
  t.is(win.webContents.getTitle(), 'B http://pac.test/again');
});

test('setProxy() - with <-loopback> given before the first window, loopback requests go through the proxy too', async (t) => {
  const ses = session.fromPartition(uniquePartition('proxy'));
  await ses.setProxy({ proxyRules: proxies.a.address, proxyBypassRules: '<-loopback>' });
  const win = await openWindow(t, ses, `${context.server.prefix}/origin`);
  t.is(win.webContents.getTitle(), `A ${context.server.prefix}/origin`);
  t.is(await ses.resolveProxy(`${context.server.prefix}/`), `PROXY ${proxies.a.address}`);
  // Back to Chrome's default: loopback is bypassed again.
  await ses.setProxy({ proxyRules: proxies.a.address });
  await win.loadURL(`${context.server.prefix}/origin`);
  t.is(win.webContents.getTitle(), 'origin');
});

test('closeAllConnections() - a request in flight through the proxy fails; the next one connects anew', async (t) => {
  const ses = session.fromPartition(uniquePartition('proxy'));
  await ses.setProxy({ proxyRules: proxies.a.address });
  const win = await openWindow(t, ses, 'http://close.test/');
  // Headers arrive, the body never does: the request is in flight (Chrome resends no request that got headers).
  t.is(await win.webContents.executeJavaScript("(window.hanging = fetch('/hang')).then((response) => response.status)"), 200);
  await ses.closeAllConnections();
  t.is(await win.webContents.executeJavaScript("window.hanging.then((response) => response.text()).then(() => 'answered', (error) => 'failed: ' + error.name)"), 'failed: TypeError');
  t.is(proxies.a.requestsFor('http://close.test/hang').length, 1);
  await win.loadURL('http://close.test/after');
  t.is(win.webContents.getTitle(), 'A http://close.test/after');
});

test('resolveProxy() - Chrome\'s PAC-format answers for each rule form; the callback forms; errors', async (t) => {
  const ses = session.fromPartition(uniquePartition('proxy'));
  t.is(await ses.resolveProxy('http://example.com/'), 'DIRECT');
  await ses.setProxy({ proxyRules: 'http=foopy:80,socks5://bar:1081,direct://;https=secure:8443;socks=fallback' });
  t.is(await ses.resolveProxy('http://example.com/'), 'PROXY foopy:80;SOCKS5 bar:1081;DIRECT');
  t.is(await ses.resolveProxy('https://example.com/'), 'PROXY secure:8443');
  t.is(await ses.resolveProxy('ftp://example.com/'), 'SOCKS fallback:1080');
  t.is(await ses.resolveProxy('not a url'), '');
  await ses.setProxy({ proxyRules: 'http=myproxy:80', proxyBypassRules: '<local>' });
  t.is(await ses.resolveProxy('http://example/'), 'DIRECT');

  const viaCallback = await new Promise<string>((resolve) => {
    ses.setProxy({ proxyRules: 'cb:1' }, () => ses.resolveProxy('http://a.example/', resolve));
  });
  t.is(viaCallback, 'PROXY cb:1');
  await t.throwsAsync(ses.setProxy({ mode: 'invalid' as 'direct' }), {
    instanceOf: Error,
    message: 'Invalid mode, must be one of direct, auto_detect, pac_script, fixed_servers or system',
  });
  // A rejected configuration leaves the last good one in place.
  t.is(await ses.resolveProxy('http://a.example/'), 'PROXY cb:1');
  await t.notThrowsAsync(ses.setProxy({ mode: 'auto_detect' }));
  await t.notThrowsAsync(ses.setProxy({ mode: 'system' }));
});

// The 'login' event sees challenges from every window: this test runs alone.
test.serial('login - a proxy that asks for credentials goes through the login event with isProxy and its host, port and realm', async (t) => {
  const guarded = await TestProxy.start('G', { credentials: 'user:secret', realm: 'proxy realm' });
  t.teardown(() => guarded.stop());
  const ses = session.fromPartition(uniquePartition('proxy'));
  await ses.setProxy({ proxyRules: guarded.address });
  const win = await openWindow(t, ses);
  const asked: AuthInfo[] = [];
  win.webContents.on('login', (event, _details, authInfo, callback) => {
    event.preventDefault();
    asked.push(authInfo);
    callback('user', 'secret');
  });
  await win.loadURL('http://guarded.test/');
  t.is(win.webContents.getTitle(), 'G http://guarded.test/');
  t.deepEqual(asked[0], { isProxy: true, scheme: 'basic', host: '127.0.0.1', port: guarded.port, realm: 'proxy realm' });
  const carried = guarded.requestsFor('http://guarded.test/').at(-1);
  t.is(carried?.proxyAuthorization, `Basic ${Buffer.from('user:secret').toString('base64')}`);
});

test('setProxy() - the default session and a persistent partition (its own Chrome) follow it too', async (t) => {
  const persistent = session.fromPartition(`persist:${uniquePartition('proxy')}`);
  for (const ses of [session.defaultSession, persistent]) {
    await ses.setProxy({ proxyRules: proxies.b.address });
    const win = await openWindow(t, ses, 'http://profile.test/');
    t.is(win.webContents.getTitle(), 'B http://profile.test/');
    await ses.setProxy({ mode: 'direct' });
    await t.throwsAsync(win.loadURL('http://profile.test/direct'), { message: /ERR_NAME_NOT_RESOLVED/ });
  }
});

test('closeAllConnections() - on the direct path too: headers of a stalled response arrive, the body then fails', async (t) => {
  const ses = session.fromPartition(uniquePartition('proxy'));
  // Made with <-loopback>, the context sends loopback through the forwarder; direct mode then takes the forwarder's own path.
  await ses.setProxy({ proxyRules: proxies.a.address, proxyBypassRules: '<-loopback>' });
  const win = await openWindow(t, ses);
  await ses.setProxy({ mode: 'direct' });
  await win.loadURL(`${context.server.prefix}/origin`);
  t.is(win.webContents.getTitle(), 'origin');
  t.is(await win.webContents.executeJavaScript("(window.stalled = fetch('/stall')).then((response) => response.status)"), 200);
  await ses.closeAllConnections();
  t.is(await win.webContents.executeJavaScript("window.stalled.then((response) => response.text()).then(() => 'answered', (error) => 'failed: ' + error.name)"), 'failed: TypeError');
});

test('setProxy() - plain requests pass the forwarder as they are: bodies reach the proxy and the origin intact, a refused origin fails as Chrome would', async (t) => {
  const ses = session.fromPartition(uniquePartition('proxy'));
  // With <-loopback>, the loopback server is reached through the forwarder's direct path too.
  await ses.setProxy({ proxyRules: proxies.a.address, proxyBypassRules: '<-loopback>' });
  const win = await openWindow(t, ses, 'http://lane.test/');
  const body = `${'0123456789'.repeat(30_000)}end`;
  const post = (url: string): Promise<unknown> =>
    win.webContents.executeJavaScript(`Promise.all([1, 2, 3].map(() => fetch(${JSON.stringify(url)}, { method: 'POST', body: ${JSON.stringify(body)} }).then((r) => r.text()))).then((texts) => texts.every((text) => text === ${JSON.stringify(body)}) ? 'intact' : texts.map((text) => text.length).join())`);
  t.is(await post('http://lane.test/echo'), 'intact');
  t.is(proxies.a.requestsFor('http://lane.test/echo').length, 3);

  await ses.setProxy({ mode: 'direct' });
  await win.loadURL(`${context.server.prefix}/origin`);
  t.is(await post(`${context.server.prefix}/echo`), 'intact');
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  await t.throwsAsync(win.loadURL(`http://127.0.0.1:${port}/`), { message: /ERR_CONNECTION_REFUSED/ });
  t.is(proxies.a.requestsFor('http://lane.test/echo').length, 3);
});
