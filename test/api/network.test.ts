import test from 'ava';
import { session, net } from '../../src/index.js';
import { openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

const context = serverAndApp(test);

test('enableNetworkEmulation() - offline and latency on open and new pages of the session only; disable restores', async (t) => {
  const ses = session.fromPartition(uniquePartition('emulation'));
  const other = session.fromPartition(uniquePartition('emulation'));
  const open = await openWindow(t, ses, `${context.server.prefix}/before`);
  ses.enableNetworkEmulation({ offline: true });
  await t.throwsAsync(open.loadURL(`${context.server.prefix}/offline`), { message: /ERR_INTERNET_DISCONNECTED/ });
  const fresh = await openWindow(t, ses);
  await t.throwsAsync(fresh.loadURL(`${context.server.prefix}/offline`), { message: /ERR_INTERNET_DISCONNECTED/ });
  const elsewhere = await openWindow(t, other, `${context.server.prefix}/online`);
  t.is(elsewhere.webContents.getTitle(), '/online');

  ses.enableNetworkEmulation({ latency: 600 });
  const started = performance.now();
  await open.loadURL(`${context.server.prefix}/slow`);
  // A lower bound, not a speed goal: emulated latency cannot make a load faster.
  t.true(performance.now() - started >= 500);
  ses.disableNetworkEmulation();
  await open.loadURL(`${context.server.prefix}/after`);
  t.is(open.webContents.getTitle(), '/after');
});

test('resolveHost() - Electron\'s ResolvedHost; unknown names reject with net::ERR_NAME_NOT_RESOLVED', async (t) => {
  const ses = session.fromPartition(uniquePartition('dns'));
  const { endpoints } = await ses.resolveHost('localhost', { queryType: 'A' });
  t.deepEqual(endpoints, [{ address: '127.0.0.1', family: 'ipv4' }]);
  await t.throwsAsync(ses.resolveHost('no-such-host.invalid'), { message: 'net::ERR_NAME_NOT_RESOLVED' });
  t.true((await net.resolveHost('127.0.0.1')).endpoints.some((e) => e.address === '127.0.0.1'));
});

test('resolveHost({ source }) - localOnly answers from literals, localhost and the hosts file only; mdns and dns find no made-up name', async (t) => {
  const ses = session.fromPartition(uniquePartition('dns'));
  t.deepEqual((await ses.resolveHost('::1', { source: 'localOnly' })).endpoints, [{ address: '::1', family: 'ipv6' }]);
  t.deepEqual((await ses.resolveHost('app.localhost', { source: 'localOnly', queryType: 'A' })).endpoints, [{ address: '127.0.0.1', family: 'ipv4' }]);
  // /etc/hosts names localhost on every machine this runs on.
  t.true((await ses.resolveHost('LOCALHOST', { source: 'localOnly', cacheUsage: 'disallowed' })).endpoints.some((e) => e.address === '127.0.0.1'));
  await t.throwsAsync(ses.resolveHost('shop.example', { source: 'localOnly' }), { message: 'net::ERR_DNS_CACHE_MISS' });
  await t.throwsAsync(ses.resolveHost('printer.local', { source: 'mdns' }), { message: 'net::ERR_NAME_NOT_RESOLVED' });
  await t.throwsAsync(ses.resolveHost('no-such-host.invalid', { source: 'dns' }), { message: 'net::ERR_NAME_NOT_RESOLVED' });
  // Values Electron does not know are ignored.
  t.true((await ses.resolveHost('localhost', { source: 'nonsense' as never })).endpoints.length > 0);
});
