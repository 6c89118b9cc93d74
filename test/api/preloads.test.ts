import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { session } from '../../src/index.js';
import { freshDir, openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

const context = serverAndApp(test, (server) => {
  // The page's first script fires a DOM event a preload may listen to (DOM events cross worlds), and looks for the preload's global.
  server.setPage('/check', `<script>document.dispatchEvent(new Event('probe')); document.title = (document.title || 'none') + ' ' + typeof window.preloadGlobal</script>`);
  // Frames of the page's origin and of another site report what their first script saw.
  server.setPage('/report', `<script>document.dispatchEvent(new Event('probe')); parent.postMessage(location.host + ' ' + (document.title || 'none'), '*')</script>`);
  server.setPage('/framed', `<script>window.seen = new Promise((resolve) => { const all = []; addEventListener('message', (e) => { all.push(e.data); if (all.length === 2) resolve(all.sort()); }); });</script>
    <iframe src="/report"></iframe><iframe src="${server.crossOrigin}/report"></iframe>`);
  // A service worker telling what its first line saw of the preload.
  server.setRoute('/preloaded-sw.js', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    res.end(`const seen = String(self.preloaded);
      self.addEventListener('install', () => self.skipWaiting());
      self.addEventListener('message', (event) => event.source.postMessage(seen));`);
  });
});

const script = (name: string, body: string): string => {
  const path = join(freshDir('cs-preload-'), name);
  writeFileSync(path, body);
  return path;
};

test('registerPreloadScript() - runs before the page\'s scripts, in an isolated world, in new and open windows; Electron\'s errors', async (t) => {
  const ses = session.fromPartition(uniquePartition('preload'));
  const open = await openWindow(t, ses, `${context.server.prefix}/check`);
  t.is(open.webContents.getTitle(), 'none undefined');
  const filePath = script('preload.js', "document.addEventListener('probe', () => { document.title = 'ran'; }); window.preloadGlobal = 1;");
  const id = ses.registerPreloadScript({ type: 'frame', id: 'p1', filePath });
  t.is(id, 'p1');
  t.deepEqual(ses.getPreloadScripts(), [{ type: 'frame', id: 'p1', filePath }]);
  t.throws(() => ses.registerPreloadScript({ type: 'frame', id: 'p1', filePath }), { message: "Cannot register preload script with existing ID 'p1'" });
  t.throws(() => ses.registerPreloadScript({ type: 'frame', filePath: 'relative.js' }), { message: 'Preload script must have absolute path: relative.js' });
  t.throws(() => ses.unregisterPreloadScript('nope'), { message: "Cannot unregister preload script with non-existing ID 'nope'" });

  const fresh = await openWindow(t, ses, `${context.server.prefix}/check`);
  t.is(fresh.webContents.getTitle(), 'ran undefined');
  await open.loadURL(`${context.server.prefix}/check`);
  t.is(open.webContents.getTitle(), 'ran undefined');

  ses.unregisterPreloadScript('p1');
  t.deepEqual(ses.getPreloadScripts(), []);
  const after = await openWindow(t, ses, `${context.server.prefix}/check`);
  t.is(after.webContents.getTitle(), 'none undefined');
});

test('setPreloads() / getPreloads() - the deprecated form, replacing its own set', async (t) => {
  const ses = session.fromPartition(uniquePartition('preload'));
  const first = script('a.js', "document.addEventListener('probe', () => { document.title = 'a'; });");
  const second = script('b.js', "document.addEventListener('probe', () => { document.title = 'b'; });");
  ses.setPreloads([first]);
  ses.setPreloads([second]);
  t.deepEqual(ses.getPreloads(), [second]);
  const win = await openWindow(t, ses, `${context.server.prefix}/check`);
  t.is(win.webContents.getTitle(), 'b undefined');
});

test('registerPreloadScript() - runs in same-origin and cross-site frames too, before their scripts', async (t) => {
  const ses = session.fromPartition(uniquePartition('preload'));
  ses.registerPreloadScript({ type: 'frame', filePath: script('frames.js', "document.addEventListener('probe', () => { document.title = 'ran'; });") });
  const win = await openWindow(t, ses, `${context.server.prefix}/framed`);
  const hosts = [new URL(context.server.prefix).host, new URL(context.server.crossOrigin).host];
  t.deepEqual(await win.webContents.executeJavaScript('window.seen'), hosts.map((host) => `${host} ran`).sort());
});

test('registerPreloadScript({ type: service-worker }) - runs in the worker\'s own scope before its script, and again when it is started anew; frame preloads do not', async (t) => {
  const ses = session.fromPartition(uniquePartition('preload'));
  ses.registerPreloadScript({ type: 'service-worker', filePath: script('sw-preload.js', "self.preloaded = typeof self.registration + ' ' + self.isSecureContext;") });
  ses.registerPreloadScript({ type: 'frame', filePath: script('frame-preload.js', "self.preloaded = 'frame';") });
  const win = await openWindow(t, ses, `${context.server.prefix}/check`);
  const seen = await win.webContents.executeJavaScript(`new Promise(async (resolve) => {
    navigator.serviceWorker.onmessage = (event) => resolve(event.data);
    await navigator.serviceWorker.register('/preloaded-sw.js');
    (await navigator.serviceWorker.ready).active.postMessage('tell');
  })`);
  t.is(seen, 'object true');
  // Stopped and started again (as Chrome does with idle workers), it runs its preload again.
  const worker = Object.values(ses.serviceWorkers.getAllRunning())[0]!;
  await ses.serviceWorkers._stopAllWorkers();
  await ses.serviceWorkers.startWorkerForScope(worker.scope);
  const again = await win.webContents.executeJavaScript(`new Promise(async (resolve) => {
    navigator.serviceWorker.onmessage = (event) => resolve(event.data);
    (await navigator.serviceWorker.ready).active.postMessage('tell');
  })`);
  t.is(again, 'object true');
});
