import test from 'ava';
import { session, webContents, type Session } from '../../src/index.js';
import type { OnBeforeRequestDetails } from '../../src/web-request.js';
import { openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

const context = serverAndApp(test, (server) => {
  server.setPage('/with-iframe', `<iframe src="${server.crossOrigin}/framed"></iframe>`);
  server.setRoute('/sw.js', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    res.end("self.addEventListener('install', () => self.skipWaiting()); self.addEventListener('activate', (e) => e.waitUntil(clients.claim())); self.addEventListener('message', (e) => fetch('/from-service-worker').then((r) => r.text()).then((text) => e.source.postMessage(text)));");
  });
  server.setRoute('/shared.js', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    // The worker fetches when asked, once it runs: a fetch made while it starts has been seen to escape
    // interception under heavy load (see the README), and this test is about the worker's requests.
    res.end("onconnect = (e) => { const port = e.ports[0]; port.onmessage = () => fetch('/from-shared-worker').then((r) => r.text()).then((text) => port.postMessage(text)); };");
  });
  server.setRoute('/worker.js', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    res.end("fetch('/from-worker').then((r) => r.text()).then((text) => postMessage(text), (error) => postMessage(String(error)))");
  });
});

/** The next process warning whose message matches `pattern` (tests of one file run at once). */
function nextWarning(pattern: RegExp): Promise<Error> {
  return new Promise((resolve) => {
    const onWarning = (warning: Error): void => {
      if (!pattern.test(warning.message)) return;
      process.off('warning', onWarning);
      resolve(warning);
    };
    process.on('warning', onWarning);
  });
}

const fresh = (): Session => session.fromPartition(uniquePartition('coverage'));

function collect(ses: Session): OnBeforeRequestDetails[] {
  const seen: OnBeforeRequestDetails[] = [];
  ses.webRequest.onBeforeRequest((details, callback) => {
    seen.push(details);
    callback({});
  });
  return seen;
}

test('onBeforeRequest - the first request of a new window is seen, as its mainFrame', async (t) => {
  const ses = fresh();
  const seen = collect(ses);
  const win = await openWindow(t, ses, `${context.server.prefix}/first`);
  t.like(seen[0], { url: `${context.server.prefix}/first`, resourceType: 'mainFrame', webContentsId: win.webContents.id });
});

test('onBeforeRequest - a cancelled navigation fails loadURL with ERR_BLOCKED_BY_CLIENT', async (t) => {
  const ses = fresh();
  ses.webRequest.onBeforeRequest({ urls: [`${context.server.prefix}/blocked`] }, (_details, callback) => callback({ cancel: true }));
  const win = await openWindow(t, ses);
  await t.throwsAsync(win.loadURL(`${context.server.prefix}/blocked`), { message: /ERR_BLOCKED_BY_CLIENT \(-20\) loading/ });
});

test('onBeforeRequest - a cross-origin iframe is a subFrame of its window, and its requests are seen', async (t) => {
  const ses = fresh();
  const seen = collect(ses);
  const win = await openWindow(t, ses, `${context.server.prefix}/with-iframe`);
  const frame = seen.find((d) => d.url === `${context.server.crossOrigin}/framed`);
  t.like(frame, { resourceType: 'subFrame', webContentsId: win.webContents.id });
});

test('onBeforeRequest - a popup is seen from its first request', async (t) => {
  const ses = fresh();
  const seen = collect(ses);
  const win = await openWindow(t, ses, `${context.server.prefix}/opener`);
  const popupRequest = context.server.waitForRequest('/popup');
  await win.webContents.executeJavaScript(`window.open('/popup'); true`, true);
  await popupRequest;
  const popup = seen.find((d) => d.url === `${context.server.prefix}/popup`);
  t.like(popup, { resourceType: 'mainFrame', method: 'GET' });
});

test('onBeforeRequest - requests of a dedicated worker are intercepted', async (t) => {
  const ses = fresh();
  ses.webRequest.onBeforeRequest({ urls: [`${context.server.prefix}/from-worker`] }, (_details, callback) => callback({ redirectURL: `${context.server.prefix}/rewritten` }));
  const win = await openWindow(t, ses, `${context.server.prefix}/host`);
  const text = await win.webContents.executeJavaScript(`new Promise((resolve) => { const w = new Worker('/worker.js'); w.onmessage = (e) => resolve(e.data); })`);
  t.regex(String(text), /<p>\/rewritten<\/p>/);
});

test('webRequest - a listener that throws is reported and its request continues', async (t) => {
  const ses = fresh();
  const win = await openWindow(t, ses, `${context.server.prefix}/`);
  const warning = nextWarning(/after-throw/);
  ses.webRequest.onBeforeRequest(() => {
    throw new Error('listener bug');
  });
  t.regex(String(await win.webContents.executeJavaScript(`fetch('/after-throw').then((r) => r.text())`)), /after-throw/);
  const reported = await warning;
  t.is(reported.name, 'WebRequestListenerError');
  t.is(reported.message, `webRequest.onBeforeRequest listener threw; ${context.server.prefix}/after-throw continues unchanged: Error: listener bug`);
});

test('webRequest - a listener that never calls back is reported after the deadline and its request continues', async (t) => {
  process.env.CHROME_SESSION_LISTENER_TIMEOUT_MS = '300';
  t.teardown(() => delete process.env.CHROME_SESSION_LISTENER_TIMEOUT_MS);
  const ses = fresh();
  const win = await openWindow(t, ses, `${context.server.prefix}/`);
  const warning = nextWarning(/silent/);
  ses.webRequest.onBeforeSendHeaders(() => undefined);
  t.regex(String(await win.webContents.executeJavaScript(`fetch('/silent').then((r) => r.text())`)), /silent/);
  t.is((await warning).message, `webRequest.onBeforeSendHeaders listener did not call back within 300 ms; ${context.server.prefix}/silent continues unchanged`);
});

test('webRequest - listeners are per session', async (t) => {
  const mine = fresh();
  const other = fresh();
  const seen = collect(other);
  const win = await openWindow(t, mine, `${context.server.prefix}/mine`);
  t.is(seen.length, 0);
  t.is(webContents.fromId(win.webContents.id), win.webContents);
});

test('onBeforeRequest - requests of a shared worker are intercepted', async (t) => {
  const ses = fresh();
  ses.webRequest.onBeforeRequest({ urls: [`${context.server.prefix}/from-shared-worker`] }, (_details, callback) => callback({ redirectURL: `${context.server.prefix}/shared-rewritten` }));
  const win = await openWindow(t, ses, `${context.server.prefix}/host`);
  const text = await win.webContents.executeJavaScript(`new Promise((resolve) => { const w = new SharedWorker('/shared.js'); w.port.onmessage = (e) => resolve(e.data); w.port.start(); w.port.postMessage('go'); })`);
  t.regex(String(text), /<p>\/shared-rewritten<\/p>/);
});

test('onBeforeRequest - requests of a service worker are intercepted', async (t) => {
  const ses = fresh();
  ses.webRequest.onBeforeRequest({ urls: [`${context.server.prefix}/from-service-worker`] }, (_details, callback) => callback({ redirectURL: `${context.server.prefix}/sw-rewritten` }));
  const win = await openWindow(t, ses, `${context.server.prefix}/sw-host`);
  const text = await win.webContents.executeJavaScript(`(async () => {
    await navigator.serviceWorker.register('/sw.js');
    const registration = await navigator.serviceWorker.ready;
    return new Promise((resolve) => {
      navigator.serviceWorker.onmessage = (e) => resolve(e.data);
      registration.active.postMessage('go');
    });
  })()`);
  t.regex(String(text), /<p>\/sw-rewritten<\/p>/);
});
