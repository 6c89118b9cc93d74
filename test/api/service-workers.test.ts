import test from 'ava';
import { once } from 'node:events';
import { session } from '../../src/index.js';
import { openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

const context = serverAndApp(test, (server) => {
  server.setPage('/sw-page', '<title>sw</title>');
  server.setRoute('/sw.js', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
    res.end(`
      self.addEventListener('install', () => self.skipWaiting());
      self.addEventListener('message', (event) => {
        console.log('sw got', event.data);
        console.warn('careful');
        event.source.postMessage('logged');
      });`);
  });
});

test('serviceWorkers - registration-completed, running-status-changed, getAllRunning/getInfoFromVersionID, console-message levels', async (t) => {
  const ses = session.fromPartition(uniquePartition('sw'));
  const { serviceWorkers } = ses;
  const win = await openWindow(t, ses, `${context.server.prefix}/sw-page`);
  t.deepEqual(serviceWorkers.getAllRunning(), {});
  const statuses: string[] = [];
  const running = new Promise<number>((resolve) => {
    serviceWorkers.on('running-status-changed', (event) => {
      statuses.push(event.runningStatus);
      if (event.runningStatus === 'running') resolve(event.versionId);
    });
  });
  const completed = once(serviceWorkers, 'registration-completed');
  await win.webContents.executeJavaScript("navigator.serviceWorker.register('/sw.js').then(() => true)");
  const [, { scope }] = (await completed) as [unknown, { scope: string }];
  t.is(scope, `${context.server.prefix}/`);
  const versionId = await running;
  t.true(statuses.includes('starting'));

  const all = serviceWorkers.getAllRunning();
  t.deepEqual(Object.keys(all), [String(versionId)]);
  const expected = { scriptUrl: `${context.server.prefix}/sw.js`, scope: `${context.server.prefix}/`, renderProcessId: 0, versionId };
  t.deepEqual(all[versionId], expected);
  t.deepEqual(serviceWorkers.getInfoFromVersionID(versionId), expected);
  t.deepEqual(serviceWorkers.getFromVersionID(versionId), expected);
  t.throws(() => serviceWorkers.getInfoFromVersionID(987654), { message: 'Could not find service worker with that version_id' });

  const messages: Array<{ message: string; level: number; versionId: number; source: string }> = [];
  const both = new Promise<void>((resolve) => {
    serviceWorkers.on('console-message', (_event, details) => {
      messages.push(details);
      if (messages.length === 2) resolve();
    });
  });
  t.is(
    await win.webContents.executeJavaScript(`new Promise(async (resolve) => {
      navigator.serviceWorker.onmessage = (event) => resolve(event.data);
      (await navigator.serviceWorker.ready).active.postMessage('ping');
    })`),
    'logged',
  );
  await both;
  t.like(messages, [
    { message: 'sw got ping', level: 1, versionId, source: 'console-api' },
    { message: 'careful', level: 2, versionId, source: 'console-api' },
  ]);
});

test('serviceWorkers - another session sees none of them', async (t) => {
  const ses = session.fromPartition(uniquePartition('sw'));
  const other = session.fromPartition(uniquePartition('sw'));
  const win = await openWindow(t, ses, `${context.server.prefix}/sw-page`);
  await openWindow(t, other, `${context.server.prefix}/sw-page`);
  const running = new Promise<void>((resolve) => ses.serviceWorkers.on('running-status-changed', (event) => event.runningStatus === 'running' && resolve()));
  await win.webContents.executeJavaScript("navigator.serviceWorker.register('/sw.js').then(() => true)");
  await running;
  t.is(Object.keys(ses.serviceWorkers.getAllRunning()).length, 1);
  t.deepEqual(other.serviceWorkers.getAllRunning(), {});
});
